/**
 * The Redis store, measured on the built package against a real redis-server this file starts on
 * a free loopback port (and stops by pid). `npm run bench -- redis.bench` runs only this file
 * (`-- redis` also runs redis-expiry and redis-commit-script). ENGAGEMENT_SCORE_DIST may point at another build.
 *
 * 1. Score Event through the Redis store in batches, and the same guarantees built from awaited
 *    commands one by one. (The comparison with n8n's own Redis node, one command per item, runs
 *    in a live n8n: builtin-nodes.bench.js.)
 * 2. Trigger latency via the Stream: a change written on one connection, handed over by the
 *    trigger's RedisGroupFeed reading its consumer group on another connection (the cross-process
 *    path of queue mode).
 * 3. Top-100 among 1M contacts.
 */
const path = require('node:path');

const { benchProfile, scoringEvents, T0 } = require('./lib/redis-batch-workload');
const { commandStats, startRedis } = require('./lib/redis-server');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');

async function run(report) {
	const server = await startRedis();
	try {
		await scoringThroughput(server.connect, report);
		await parallelWriters(server.connect, report);
		await triggerLatency(server.connect, report);
		await topContactsLatency(server.connect, report);
	} finally {
		await server.stop();
	}
}

async function scoringThroughput(connect, report) {
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const EVENTS = 100_000;
	const CONTACTS = 10_000;
	const BATCH = 1_000;
	const events = scoringEvents(EVENTS, CONTACTS);

	const store = new RedisStore(connect(), { keyPrefix: 'bench-batch:' });
	const engine = new EngagementEngine(store);
	await store.insertProfile(benchProfile('bench'));
	const statsClient = connect();
	await statsClient.call('CONFIG', 'RESETSTAT');
	const cpuBefore = process.cpuUsage();
	let started = process.hrtime.bigint();
	for (let start = 0; start < EVENTS; start += BATCH) {
		const results = await engine.scoreEvents('bench', events.slice(start, start + BATCH));
		if (results.some((result) => result instanceof Error || result.duplicate)) throw new Error('an event was not applied');
	}
	const batchSeconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpu = process.cpuUsage(cpuBefore);
	if ((await store.latestChangeSeq('bench')) !== EVENTS) throw new Error('not every event was logged');
	const batchRate = Math.round(EVENTS / batchSeconds);
	// Issue 9: at least 50k events/s, and never below the ~32k measured before the scoring core.
	report(`Redis Score Event (engine + store), 100k events in batches of ${BATCH} (dedupe, score, activity, change log)`, batchRate, 'events/s', { min: 50_000, floor: 32_000 });
	// On a shared machine the wall clock also counts other processes' turns; client and Redis each on their own.
	report('  the same, client process CPU time', Math.round(EVENTS / ((cpu.user + cpu.system) / 1e6)), 'events/s');
	// Where Redis spends the batch run: the scripts in all, and the data commands they call.
	const { usec } = commandStats(await statsClient.call('INFO', 'commandstats'));
	const scriptUsec = (usec.evalsha ?? 0) + (usec.eval ?? 0);
	const writeUsec = ['xadd', 'zadd', 'rpush', 'zmscore', 'hset', 'hmget', 'zremrangebyscore', 'set', 'get'].reduce((sum, name) => sum + (usec[name] ?? 0), 0);
	report('  Redis time in the scripts, per event', Number((scriptUsec / EVENTS).toFixed(1)), 'us');
	report('  of which the data commands the scripts call (XADD, ZADD, RPUSH, ZMSCORE, HSET, HMGET, ...), per event', Number((writeUsec / EVENTS).toFixed(1)), 'us');

	const single = new RedisStore(connect(), { keyPrefix: 'bench-single-call:' });
	await single.insertProfile(benchProfile('bench'));
	started = process.hrtime.bigint();
	await new EngagementEngine(single).scoreEvents('bench', events);
	report('  the same 100k events in one execution (one transaction)', Math.round(EVENTS / (Number(process.hrtime.bigint() - started) / 1e9)), 'events/s');

	const points = events.map((event) => (event.type === 'email_event' ? 10 : 15));
	const expected = events.reduce((sum, event, index) => (event.contactId === 'contact-0' ? sum + points[index] : sum), 0);
	const actual = await store.getContact('bench', 'contact-0');
	if (expected !== actual.score) throw new Error(`the batch run scored contact-0 ${actual.score}, expected ${expected}`);

	// The same guarantees built from awaited commands, one each: dedupe (SET NX EX),
	// score (ZINCRBY), activity (HSET), change log (XADD), the contact's history list (RPUSH). Still not atomic.
	const LIKE_FOR_LIKE = 20_000;
	const baselineClient = connect();
	started = process.hrtime.bigint();
	for (let index = 0; index < LIKE_FOR_LIKE; index++) {
		const { id, contactId, occurredAt } = events[index];
		const fresh = await baselineClient.call('SET', `bench-chained:seen:${id}`, '1', 'NX', 'EX', 2_592_000);
		if (fresh === null) continue;
		const score = await baselineClient.call('ZINCRBY', 'bench-chained:scores', points[index], contactId);
		await baselineClient.call('HSET', 'bench-chained:activity', contactId, occurredAt);
		const entry = await baselineClient.call('XADD', 'bench-chained:log', '*', 'c', contactId, 's', score, 'd', points[index]);
		await baselineClient.call('RPUSH', `bench-chained:history:${contactId}`, entry);
	}
	const chainedRate = Math.round(LIKE_FOR_LIKE / (Number(process.hrtime.bigint() - started) / 1e9));
	report('Redis the same guarantees as 5 awaited commands per event (first 20k of the events)', chainedRate, 'events/s');
	report('Redis batch / like-for-like per-command ratio', Number((batchRate / chainedRate).toFixed(1)), 'x');
}

/**
 * 8 writers, each on a connection and an engine of its own (as 8 n8n workers would be), score
 * events for the same 100 hot contacts at once. Every commit is optimistic: a writer whose
 * contacts moved since its snapshot re-reads them and commits again. The totals must be exact.
 */
async function parallelWriters(connect, report) {
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const WRITERS = 8;
	const CONTACTS = 100;
	const BATCHES = 50;
	const BATCH = 100;
	const stores = Array.from({ length: WRITERS }, (_, writer) => new RedisStore(connect(), { keyPrefix: 'bench-hot:', location: `writer-${writer}` }));
	await stores[0].insertProfile(benchProfile('bench'));
	const started = process.hrtime.bigint();
	await Promise.all(
		stores.map(async (store, writer) => {
			const engine = new EngagementEngine(store);
			for (let batch = 0; batch < BATCHES; batch++) {
				const events = Array.from({ length: BATCH }, (_, index) => ({
					id: `w${writer}-b${batch}-${index}`,
					contactId: `hot-${(index * 37 + batch + writer) % CONTACTS}`,
					type: 'email_event',
					properties: { event: 'clicked' },
					occurredAt: T0 + index,
				}));
				const results = await engine.scoreEvents('bench', events);
				if (results.some((result) => result instanceof Error || result.duplicate)) throw new Error('an event was not applied');
			}
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const total = WRITERS * BATCHES * BATCH;
	const contacts = await stores[0].listContacts('bench', { order: 'desc', limit: CONTACTS });
	const sum = contacts.reduce((points, contact) => points + contact.score, 0);
	if (sum !== total * 10) throw new Error(`lost or doubled points: ${sum} instead of ${total * 10}`);
	if ((await stores[0].latestChangeSeq('bench')) !== total) throw new Error('not every event was logged');
	const retries = stores.reduce((count, store) => count + store.commitRetries, 0);
	report(`Redis ${WRITERS} parallel writers on ${CONTACTS} hot contacts, ${total} events in batches of ${BATCH}`, Math.round(total / seconds), 'events/s');
	report(`  points in the end (${total} events x 10)`, sum, 'points', { exactly: total * 10 });
	report(`  commits that had to retry, of ${WRITERS * BATCHES}`, retries, 'retries');
}

async function triggerLatency(connect, report) {
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const { RedisGroupFeed } = require(path.join(DIST, 'src', 'stores', 'redis', 'group-feed.js'));
	const { applyBatch } = require(path.join(DIST, 'src', 'score-writes.js'));
	const SAMPLES = 300;
	const writer = new RedisStore(connect(), { keyPrefix: 'bench-latency:', location: 'worker' });
	await writer.insertProfile(benchProfile('bench'));
	const seenAt = new Map();
	const feed = new RedisGroupFeed(connect(), writer, 'bench', 'latency-trigger', (changes) => {
		const now = process.hrtime.bigint();
		for (const change of changes) seenAt.set(change.seq, now);
	}, { blockMs: 1000 });
	await feed.start();
	await sleep(50);

	const latencies = [];
	for (let index = 0; index < SAMPLES; index++) {
		const started = process.hrtime.bigint();
		const batch = await applyBatch(writer, 'bench', [
			{ contactId: `c${index % 50}`, operation: { kind: 'event', eventType: 'email_event', delta: 5, matchedRuleIds: ['r'], at: T0 } },
		]);
		const seq = batch.firstChangeSeq;
		while (!seenAt.has(seq)) await sleep(0);
		latencies.push(Number(seenAt.get(seq) - started) / 1e6);
		await sleep(2);
	}
	await feed.stop();
	latencies.sort((a, b) => a - b);
	report(`Redis trigger latency via the Stream, write to feed on another connection, p50 of ${SAMPLES}`, latencies[Math.floor(SAMPLES * 0.5)], 'ms');
	report(`Redis trigger latency via the Stream, p99 of ${SAMPLES}`, latencies[Math.floor(SAMPLES * 0.99)], 'ms', { max: 100 });
}

async function topContactsLatency(connect, report) {
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const CONTACTS = 1_000_000;
	const client = connect();
	const store = new RedisStore(client, { keyPrefix: 'bench-rank:' });
	await store.insertProfile(benchProfile('ties'));
	await store.insertProfile(benchProfile('distinct'));
	// Seeded straight into the store's keys: the ranking is measured, not how fast 1M contacts can be scored.
	await seedContacts(client, 'bench-rank:{ties}:', CONTACTS, (index) => (index * 7919) % 1000);
	await seedContacts(client, 'bench-rank:{distinct}:', CONTACTS, (index) => ((index * 7919) % CONTACTS) / 7);

	const queries = [
		['ties', 'top 100 by score (scores 0-999, many ties)', { order: 'desc', limit: 100 }],
		['ties', 'bottom 100 by score', { order: 'asc', limit: 100 }],
		['ties', 'top 100 with score between 200 and 600', { order: 'desc', minScore: 200, maxScore: 600, limit: 100 }],
		['distinct', 'top 100 by score (all scores distinct)', { order: 'desc', limit: 100 }],
	];
	for (const [profileId, label, query] of queries) {
		const page = await store.listContacts(profileId, query);
		if (page.length !== 100) throw new Error(`expected 100 contacts for ${label}`);
		const timings = [];
		for (let round = 0; round < 25; round++) {
			const started = process.hrtime.bigint();
			await store.listContacts(profileId, query);
			timings.push(Number(process.hrtime.bigint() - started) / 1e6);
		}
		timings.sort((a, b) => a - b);
		report(`Redis listContacts ${label} among 1M contacts (median of 25)`, timings[12], 'ms', { max: 5 });
	}
}

async function seedContacts(client, base, count, scoreOf) {
	const CHUNK = 10_000;
	for (let first = 0; first < count; first += CHUNK) {
		const scores = [];
		const contacts = [];
		const idle = [];
		for (let index = first; index < Math.min(count, first + CHUNK); index++) {
			scores.push(scoreOf(index), `contact-${index}`);
			contacts.push(`contact-${index}`, `${T0},${T0},${T0}`);
			idle.push(T0, `contact-${index}`);
		}
		await client
			.pipeline()
			.zadd(`${base}scores`, ...scores)
			.hset(`${base}contacts`, ...contacts)
			.zadd(`${base}idle`, ...idle)
			.exec();
	}
}


function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { run };
