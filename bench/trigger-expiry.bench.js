/**
 * Issue 10's trigger figure: "from an expiry falling due to the trigger's emit, p99 <= 1.5 s with
 * no other activity". On SQLite and on Redis (a real redis-server this file starts): the built
 * Engagement Score Trigger (dist/) activated as n8n activates a published workflow, through
 * n8n-core's ActiveWorkflowTriggers (test/harness/trigger-harness.js), watching "score < 20" with
 * its default options (poll interval 1 s, one execution per firing change). Before it is
 * activated, Score Event (through n8n-core) gives each of DROPS contacts one event worth 30 points
 * that expire a day after it occurred, the occurredAt chosen so that the points fall due at known
 * times spread over WINDOW seconds, starting a few seconds after the activation. Then nothing runs
 * but the trigger: it applies due expiries on its own and emits the drop to 0. For each contact,
 * latency = the emit's time - its dueAt.
 *
 * Options (environment): BENCH_TRIGGER_DROPS (default 200), BENCH_TRIGGER_WINDOW_SECONDS (40).
 * `npm run bench -- trigger-expiry` runs only this file.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startRedis } = require('./lib/redis-server');

const DROPS = Number(process.env.BENCH_TRIGGER_DROPS ?? 200);
const WINDOW_MS = Number(process.env.BENCH_TRIGGER_WINDOW_SECONDS ?? 40) * 1000;
/** Time for seeding and activation before the first point falls due. */
const LEAD_MS = 5_000;
/** How long after the last dueAt a missing drop counts as lost. */
const GRACE_MS = 15_000;
const TARGET_P99_MS = 1_500;
const DAY = 86_400_000;
const PACKAGE = 'n8n-nodes-engagement-score';
const SCORE_TYPE = `${PACKAGE}.engagementScore`;
const TRIGGER_TYPE = `${PACKAGE}.engagementScoreChangeTrigger`;
const PROFILE_ID = 'expiring';
const RULES = [{ id: 'demo', eventType: 'appointment_booked', points: 30, expiresAfterDays: 1 }];

async function run(report) {
	const dist = path.join(__dirname, '..', 'dist');
	const { EngagementScore } = require(path.join(dist, 'nodes', 'EngagementScore', 'EngagementScore.node.js'));
	const { EngagementScoreTrigger } = require(path.join(dist, 'nodes', 'EngagementScoreTrigger', 'EngagementScoreTrigger.node.js'));
	const { EngagementScoreRedisApi } = require(path.join(dist, 'credentials', 'EngagementScoreRedisApi.credentials.js'));
	const { runWorkflow } = require(path.join(__dirname, '..', 'test', 'harness', 'run-workflow.js'));
	const { activateTrigger } = require(path.join(__dirname, '..', 'test', 'harness', 'trigger-harness.js'));
	const nodes = { EngagementScore, EngagementScoreTrigger, runWorkflow, activateTrigger };

	console.log(
		`${new Date().toISOString()}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}; ` +
			`n8n-core's ActiveWorkflowTriggers (no n8n server), ${DROPS} drops due over ${WINDOW_MS / 1000} s per store, trigger options at their defaults`,
	);
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-bench-trigger-'));
	const redis = await startRedis();
	try {
		const sqlite = { parameters: { store: 'sqlite', databasePath: path.join(folder, 'bench.sqlite') } };
		const credential = { id: 'redis-1', name: 'Bench Redis', type: 'engagementScoreRedisApi', data: { host: '127.0.0.1', port: redis.port } };
		const onRedis = {
			parameters: { store: 'redis' },
			nodeCredentials: { engagementScoreRedisApi: { id: credential.id, name: credential.name } },
			credentials: [credential],
			credentialTypes: [new EngagementScoreRedisApi()],
		};
		for (const [label, store] of [['SQLite', sqlite], ['Redis', onRedis]]) {
			const latencies = await measureDrops(nodes, store, label);
			reportLatencies(report, label, latencies);
		}
	} finally {
		await redis.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

/** Seeds the contacts, activates the trigger and returns each drop's emit time - dueAt, in ms. */
async function measureDrops({ EngagementScore, EngagementScoreTrigger, runWorkflow, activateTrigger }, store, label) {
	const execute = async (parameters, items) => {
		const result = await runWorkflow({
			nodeTypes: { [SCORE_TYPE]: new EngagementScore() },
			nodes: [{ name: 'Engagement Score', type: SCORE_TYPE, typeVersion: 1, credentials: store.nodeCredentials, parameters: { ...store.parameters, ...parameters } }],
			items,
			credentials: store.credentials,
			credentialTypes: store.credentialTypes,
		});
		if (result.error) throw new Error(`${label}: bench execution failed: ${result.error.message}`);
		return result.output('Engagement Score');
	};
	const profileId = { __rl: true, mode: 'id', value: PROFILE_ID };
	await execute(
		{ resource: 'profile', operation: 'create', name: 'Expiring', newProfileId: PROFILE_ID, rulesSource: 'json', rulesJson: JSON.stringify(RULES), publish: true },
		[{ json: {} }],
	);
	// Spread over the window by the golden ratio, so dueAts fall at every phase of the trigger's timer.
	const firstDueAt = Date.now() + LEAD_MS;
	const dueAtByContact = new Map();
	for (let index = 0; index < DROPS; index++) dueAtByContact.set(`contact-${index}`, firstDueAt + Math.round(((index * 0.6180339887) % 1) * WINDOW_MS));
	const seeded = await execute(
		{ resource: 'event', operation: 'score', profileId, mapping: 'autoMap' },
		[...dueAtByContact].map(([contactId, dueAt]) => ({
			json: { contactId, type: 'appointment_booked', id: `booking-${contactId}`, occurredAt: new Date(dueAt - DAY).toISOString() },
		})),
	);
	if (seeded.some((item) => item.json.score !== 30)) throw new Error(`${label}: seeding did not give every contact 30 points`);

	const emittedAt = new Map();
	const wrong = [];
	const trigger = await activateTrigger({
		type: TRIGGER_TYPE,
		nodeType: new EngagementScoreTrigger(),
		parameters: {
			...store.parameters,
			profileId,
			conditions: { condition: [{ operator: 'lt', value: 20 }] },
			combinator: 'and',
			mode: 'enter',
		},
		nodeCredentials: store.nodeCredentials,
		credentials: store.credentials,
		credentialTypes: store.credentialTypes,
		workflowId: `bench-trigger-expiry-${label}`,
		onEmit(items) {
			const now = Date.now();
			for (const item of items) {
				if (item.cause?.kind !== 'expired' || item.score !== 0 || emittedAt.has(item.contactId)) wrong.push(item);
				else emittedAt.set(item.contactId, now);
			}
		},
	});
	try {
		if (Date.now() >= firstDueAt) throw new Error(`${label}: seeding and activation took longer than the ${LEAD_MS} ms lead`);
		await trigger.waitForItems(DROPS, LEAD_MS + WINDOW_MS + GRACE_MS);
	} finally {
		await trigger.deactivate();
	}
	if (wrong.length > 0) throw new Error(`${label}: unexpected emits, e.g. ${JSON.stringify(wrong[0])}`);
	return [...dueAtByContact].map(([contactId, dueAt]) => emittedAt.get(contactId) - dueAt);
}

function reportLatencies(report, label, latencies) {
	const sorted = [...latencies].sort((a, b) => a - b);
	const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
	if (sorted[0] < 0) throw new Error(`${label}: a drop was emitted ${-sorted[0]} ms before its points fell due`);
	const name = `Trigger on ${label}: expiry falling due -> emit, ${latencies.length} drops, no other activity`;
	console.log(`  ${name}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1]} ms`);
	report(`${name}, p99`, at(0.99), 'ms', { max: TARGET_P99_MS });
}

module.exports = { run };
