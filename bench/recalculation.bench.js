/**
 * Recalculation on publish and Preview Draft over a large journal, measured on the built package:
 * 1,000,000 recorded events over 100,000 contacts, on SQLite and on Redis (a redis-server this file
 * starts). `npm run bench -- recalculation` runs only this file; RECALCULATION_BENCH_EVENTS and
 * RECALCULATION_BENCH_CONTACTS make it smaller, ENGAGEMENT_SCORE_DIST points at another build.
 *
 * The journal is seeded at the store level (transactions appending journal entries, as recorded
 * events are), not through the nodes, so that seeding takes seconds. Three figures per store:
 * - the first publish, which scores every recorded event and creates every contact;
 * - a republish with other points, which rewrites every contact (one change each);
 * - Preview Draft of a third rule set on the same journal, which writes nothing.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startRedis } = require('./lib/redis-server');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
const EVENTS = Number(process.env.RECALCULATION_BENCH_EVENTS ?? 1_000_000);
const CONTACTS = Number(process.env.RECALCULATION_BENCH_CONTACTS ?? 100_000);
const SEED_EVENTS_PER_TRANSACTION = 10_000;
const T0 = Date.UTC(2026, 0, 1);
const TYPES = ['email_event', 'email_event', 'email_event', 'page_visit', 'form_submitted'];

const rules = (opened, clicked, form) => [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: opened },
	{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: clicked },
	{ id: 'visit', eventType: 'page_visit', conditions: [], points: 1 },
	{ id: 'form', eventType: 'form_submitted', conditions: [], points: form },
];

async function run(report) {
	const { EngagementEngine, SqliteStore, RedisStore } = require(path.join(DIST, 'src', 'index.js'));
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-bench-recalculation-'));
	try {
		const sqlite = SqliteStore.open(path.join(folder, 'journal.sqlite'));
		await measure('SQLite', sqlite, EngagementEngine, report, 200_000);
		await sqlite.close();
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
	const server = await startRedis();
	const Redis = require('ioredis');
	const client = new Redis({ port: server.port, host: '127.0.0.1' });
	try {
		await measure('Redis', new RedisStore(client, { keyPrefix: 'bench-recalculation:' }), EngagementEngine, report, 100_000);
	} finally {
		client.disconnect();
		await server.stop();
	}
}

async function measure(storeName, store, EngagementEngine, report, target) {
	let now = T0 + 30 * 86_400_000;
	const engine = new EngagementEngine(store, { now: () => now });
	await engine.createProfile({ id: 'bench', name: 'Bench', rules: rules(5, 10, 20) });
	const seedStarted = Date.now();
	await seedJournal(store, 'bench');
	const seedSeconds = (Date.now() - seedStarted) / 1000;
	report(`${storeName}: journal seeded (${EVENTS.toLocaleString('en-US')} recorded events over ${CONTACTS.toLocaleString('en-US')} contacts, store-level transactions)`, Math.round(EVENTS / seedSeconds), 'events/s');

	const first = await timed(() => engine.publishAndRecalculate('bench'));
	check(first.value.recalculation, CONTACTS, storeName);
	figures(report, `${storeName}: first publish, every recorded event scored and every contact created`, first, target);

	await engine.updateDraft('bench', { rules: rules(3, 12, 25) });
	now += 1000;
	const again = await timed(() => engine.publishAndRecalculate('bench'));
	check(again.value.recalculation, CONTACTS, storeName);
	figures(report, `${storeName}: republish with other points, every contact rewritten with one change`, again, target);

	await engine.updateDraft('bench', { rules: rules(4, 8, 30) });
	const preview = await timed(() => engine.previewDraft('bench', { limit: 50, thresholds: [50, 80] }));
	figures(report, `${storeName}: Preview Draft of other points on the same journal (writes nothing)`, preview, target);
}

function check(recalculation, contacts, storeName) {
	if (recalculation?.contactsRecalculated !== contacts || recalculation.completed !== true) {
		throw new Error(`${storeName}: the recalculation did not cover every contact: ${JSON.stringify(recalculation)}`);
	}
}

function figures(report, name, { seconds, cpuSeconds }, target) {
	report(name, Math.round(EVENTS / seconds), 'events/s', { min: target });
	// On a shared machine the wall clock counts other processes' turns; CPU time is this process's own (Redis works beside it).
	report(`  the same, wall ${seconds.toFixed(1)} s; per second of this process's CPU time (user + system)`, Math.round(EVENTS / cpuSeconds), 'events/s');
}

async function timed(work) {
	const started = process.hrtime.bigint();
	const cpuBefore = process.cpuUsage();
	const value = await work();
	const cpu = process.cpuUsage(cpuBefore);
	return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Events recorded as a draft records them: journal entries only, no contact state yet. */
async function seedJournal(store, profileId) {
	for (let first = 0; first < EVENTS; first += SEED_EVENTS_PER_TRANSACTION) {
		const journal = [];
		for (let index = first; index < Math.min(EVENTS, first + SEED_EVENTS_PER_TRANSACTION); index++) {
			const occurredAt = T0 + index * 1000;
			const type = TYPES[index % TYPES.length];
			journal.push({
				kind: 'event',
				contactId: `contact-${String((index * 7919) % CONTACTS).padStart(6, '0')}`,
				type,
				properties: type === 'email_event' ? { event: index % 4 === 0 ? 'clicked' : 'opened' } : {},
				occurredAt,
				receivedAt: occurredAt,
			});
		}
		await store.transact(profileId, { contactIds: [] }, () => ({ contacts: [], changes: [], seenEventIds: [], journal, result: undefined }));
	}
}

module.exports = { run };
