/**
 * SQLite store throughput and ranking latency, measured on the built package.
 * `npm run bench -- sqlite` runs only this file. ENGAGEMENT_SCORE_DIST may point at another build.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
const T0 = Date.UTC(2026, 0, 1);

async function run(report) {
	const { SqliteStore } = require(path.join(DIST, 'src', 'stores', 'sqlite', 'sqlite-store.js'));
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-bench-'));
	try {
		await applyEventsThroughput(SqliteStore, path.join(folder, 'events.sqlite'), report);
		await topContactsLatency(SqliteStore, path.join(folder, 'ranking.sqlite'), report);
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

async function applyEventsThroughput(SqliteStore, file, report) {
	const EVENTS = 100_000;
	const CONTACTS = 10_000;
	const store = SqliteStore.open(file);
	await store.insertProfile(profile('bench'));
	const events = Array.from({ length: EVENTS }, (_, index) => ({
		eventId: `evt-${index}`,
		contactId: `contact-${(index * 7919) % CONTACTS}`,
		eventType: index % 3 === 0 ? 'email.clicked' : 'email.opened',
		delta: index % 3 === 0 ? 10 : 5,
		matchedRuleIds: index % 3 === 0 ? ['clicked', 'engaged'] : ['opened'],
		occurredAt: T0 + index,
	}));
	const { applyBatch } = require(path.join(DIST, 'src', 'score-writes.js'));
	const items = events.map(({ contactId, eventId, eventType, delta, matchedRuleIds, occurredAt }) => ({
		contactId,
		operation: { kind: 'event', eventId, eventType, delta, matchedRuleIds: Object.freeze(matchedRuleIds), at: occurredAt },
	}));
	const started = process.hrtime.bigint();
	const cpuBefore = process.cpuUsage();
	const results = (await applyBatch(store, 'bench', items, 1)).outcomes;
	const cpu = process.cpuUsage(cpuBefore);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (results.length !== EVENTS || (await store.latestChangeSeq('bench')) !== EVENTS) throw new Error('not every event was applied');
	report('SQLite store through the scoring core (planBatch + transact), 100k evaluated events over 10k contacts in one transaction (with event ids and change log)', Math.round(EVENTS / seconds), 'events/s', {
		min: 100_000,
	});
	// On a shared machine the wall clock includes waiting for a core; CPU time shows the store's own cost.
	report('  the same, per second of this process\'s CPU time (user + system)', Math.round(EVENTS / ((cpu.user + cpu.system) / 1e6)), 'events/s');
	await store.close();
}

async function topContactsLatency(SqliteStore, file, report) {
	const CONTACTS = 1_000_000;
	const store = SqliteStore.open(file);
	await store.insertProfile(profile('ranked'));
	await store.insertProfile(profile('other'));
	seedContacts(file, 'ranked', CONTACTS);
	seedContacts(file, 'other', 100_000);

	const queries = [
		['top 100 by score', { order: 'desc', limit: 100 }],
		['bottom 100 by score', { order: 'asc', limit: 100 }],
		['top 100 with score between 200 and 600', { order: 'desc', minScore: 200, maxScore: 600, limit: 100 }],
	];
	for (const [label, query] of queries) {
		const [first] = await store.listContacts('ranked', query);
		if (!first) throw new Error(`no contacts for ${label}`);
		const timings = [];
		for (let round = 0; round < 25; round++) {
			const started = process.hrtime.bigint();
			await store.listContacts('ranked', query);
			timings.push(Number(process.hrtime.bigint() - started) / 1e6);
		}
		timings.sort((a, b) => a - b);
		report(`SQLite listContacts ${label} among 1M contacts (median of 25)`, timings[12], 'ms', { max: 5 });
	}
	await store.close();
}

/** Bulk seeding straight in SQL: the ranking is measured, not how fast 1M rows can be scored. */
function seedContacts(file, profileId, count) {
	const { DatabaseSync } = require('node:sqlite');
	const db = new DatabaseSync(file, { timeout: 30_000 });
	db.exec('BEGIN IMMEDIATE');
	db.prepare(
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		 INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at)
		 SELECT ?, 'contact-' || i, abs(random() % 1000), ?, ?, ? FROM n`,
	).run(count, profileId, T0, T0, T0);
	db.exec('COMMIT');
	db.close();
}

function profile(id) {
	const rules = [{ id: 'opened', eventType: 'email.opened', conditions: [], points: 5 }];
	return {
		id,
		name: id,
		description: 'benchmark',
		status: 'published',
		draftRules: rules,
		publishedRules: rules,
		version: 1,
		publishedAt: T0,
		createdAt: T0,
		updatedAt: T0,
	};
}

module.exports = { run };
