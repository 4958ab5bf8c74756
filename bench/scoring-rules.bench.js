/**
 * Issue 10's figures:
 * - Score Event through SQLite with 50 rules, of which 10 limited ("at most 3 a day") and 10
 *   expiring (30 days), 100,000 events in one n8n-core execution of the built node (dist/): the
 *   median of 5 executions after a warm-up, each over 10,000 contacts of its own, as
 *   node-sqlite.bench.js measures issue 9's figure (every execution's figure is printed, the
 *   first, still warming up, included).
 * - Applying 1,000,000 due expiries of one profile with 100,000 contacts (10 grants each) through
 *   the engine (EngagementEngine.applyExpiries) on an SQLite file; the contacts are seeded with
 *   store.transact, outside the timing.
 * ENGAGEMENT_SCORE_DIST may point at another build (n8n-core and the test harness stay this checkout's).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const EVENTS = 100_000;
const CONTACTS = 10_000;
const ROUNDS = 5;
const EXPIRY_CONTACTS = 100_000;
const GRANTS_PER_CONTACT = 10;
const TYPE = 'n8n-nodes-engagement-score.engagementScore';
const DAY = 86_400_000;

/** 50 rules over 10 event types: per type one limited, one expiring, three plain (conditions on `n`). */
function rules() {
	const list = [];
	for (let type = 0; type < 10; type++) {
		const eventType = `type_${type}`;
		list.push({ id: `limited-${type}`, eventType, points: 2, counts: { times: 3, per: 'day' }, group: 'Limited' });
		list.push({ id: `expiring-${type}`, eventType, points: 3, expiresAfterDays: 30, group: 'Expiring' });
		for (let plain = 0; plain < 3; plain++) {
			list.push({ id: `plain-${type}-${plain}`, eventType, points: 1, conditions: [{ property: 'n', operator: 'greaterThan', value: plain * 3 }] });
		}
	}
	return list;
}

async function run(report) {
	const dist = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
	const { EngagementScore } = require(path.join(dist, 'nodes', 'EngagementScore', 'EngagementScore.node.js'));
	const { EngagementEngine, SqliteStore } = require(path.join(dist, 'src', 'index.js'));
	const { runWorkflow } = require(path.join(__dirname, '..', 'test', 'harness', 'run-workflow.js'));
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-bench-rules-'));
	try {
		const databasePath = path.join(folder, 'bench.sqlite');
		const nodeTypes = { [TYPE]: new EngagementScore() };
		const execute = async (parameters, items) => {
			const result = await runWorkflow({
				nodeTypes,
				nodes: [{ name: 'Engagement Score', type: TYPE, typeVersion: 1, parameters: { store: 'sqlite', databasePath, ...parameters } }],
				items,
			});
			if (result.error) throw new Error(`bench execution failed: ${result.error.message}`);
			return result.output('Engagement Score');
		};
		await execute(
			{ resource: 'profile', operation: 'create', name: 'Rules', newProfileId: 'rules', rulesSource: 'json', rulesJson: JSON.stringify(rules()), publish: true },
			[{ json: {} }],
		);
		const now = Date.now();
		// Each execution scores events of contacts of its own, so that every one meets the same
		// workload: fresh limits and ledgers, as the first does.
		const itemsOf = (count, offset, contactPrefix) =>
			Array.from({ length: count }, (_, index) => {
				const serial = offset + index;
				return {
					json: {
						contactId: `${contactPrefix}-${serial % CONTACTS}`,
						type: `type_${serial % 10}`,
						properties: { n: serial % 10 },
						occurredAt: now - (serial % 5) * DAY,
					},
				};
			});
		const score = { resource: 'event', operation: 'score', profileId: { __rl: true, mode: 'id', value: 'rules' }, mapping: 'autoMap' };
		await execute(score, itemsOf(2_000, 1_000_000, 'warm-up')); // warm-up: JIT, SQLite pages
		// The median of several executions, as node-sqlite.bench.js reports: one execution on a
		// 2-core machine swings widely with GC timing and neighbours.
		const runs = [];
		let limited = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const items = itemsOf(EVENTS, 0, `round-${round}`);
			const cpuBefore = process.cpuUsage();
			const started = performance.now();
			const output = await execute(score, items);
			const seconds = (performance.now() - started) / 1000;
			const cpu = process.cpuUsage(cpuBefore);
			limited = output.filter((item) => item.json.limitedRuleIds.length > 0).length;
			runs.push({ wall: EVENTS / seconds, cpu: EVENTS / ((cpu.user + cpu.system) / 1e6) });
		}
		const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
		const label = `Score Event through SQLite, 50 rules (10 limited, 10 expiring, 20 grouped), ${EVENTS.toLocaleString('en-US')} events over ${CONTACTS.toLocaleString('en-US')} contacts in one n8n-core execution (${limited.toLocaleString('en-US')} with a limited rule), median of ${ROUNDS} executions`;
		report(`${label}, wall clock`, Math.round(median(runs.map((run) => run.wall))), 'events/s', { min: 100_000 });
		console.log(`  each execution, wall clock: ${runs.map((run) => Math.round(run.wall).toLocaleString('en-US')).join(', ')} events/s`);
		// On a shared machine the wall clock also counts other processes' turns.
		report(`${label}, process CPU time`, Math.round(median(runs.map((run) => run.cpu))), 'events/s');

		// 1,000,000 due expiries.
		const store = SqliteStore.open(path.join(folder, 'expiries.sqlite'));
		const engine = new EngagementEngine(store, { now: () => now });
		await engine.createProfile({ id: 'expiring', name: 'Expiring', rules: [{ id: 'r', eventType: 'x', points: 1, expiresAfterDays: 1 }] });
		await engine.publish('expiring');
		for (let first = 0; first < EXPIRY_CONTACTS; first += 1000) {
			const contactIds = Array.from({ length: 1000 }, (_, index) => `contact-${first + index}`);
			await store.transact('expiring', { contactIds }, () => ({
				contacts: contactIds.map((contactId) => {
					const expiring = Array.from({ length: GRANTS_PER_CONTACT }, (_, grant) => ({ ruleId: 'r', eventId: `${contactId}-${grant}`, points: 1, dueAt: now - DAY + grant }));
					return { contactId, score: GRANTS_PER_CONTACT, lastActivityAt: now - 2 * DAY, firstSeenAt: now - 2 * DAY, updatedAt: now - 2 * DAY, version: 1, ledger: { expiring }, nextExpiryAt: expiring[0].dueAt };
				}),
				changes: [],
				seenEventIds: [],
				result: null,
			}));
		}
		const expiryCpuBefore = process.cpuUsage();
		const expiryStarted = performance.now();
		const result = await engine.applyExpiries('expiring');
		const expirySeconds = (performance.now() - expiryStarted) / 1000;
		const expiryCpu = process.cpuUsage(expiryCpuBefore);
		if (result.expired !== EXPIRY_CONTACTS * GRANTS_PER_CONTACT) throw new Error(`expected ${EXPIRY_CONTACTS * GRANTS_PER_CONTACT} expiries, applied ${result.expired}`);
		report(
			`Applying ${result.expired.toLocaleString('en-US')} due expiries on SQLite (one profile, ${EXPIRY_CONTACTS.toLocaleString('en-US')} contacts, ${result.changes.toLocaleString('en-US')} changes logged), wall clock`,
			Math.round(result.expired / expirySeconds),
			'expiries/s',
			{ min: 200_000 },
		);
		report('  the same, process CPU time', Math.round(result.expired / ((expiryCpu.user + expiryCpu.system) / 1e6)), 'expiries/s');
		await store.close();
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

module.exports = { run };
