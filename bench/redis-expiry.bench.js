/**
 * Issue 10's Redis expiry figure: applying 1,000,000 due expiries of one profile with 100,000
 * contacts (10 grants each) through the engine (EngagementEngine.applyExpiries) on a real
 * redis-server this file starts (and stops by pid). The contacts are seeded with store.transact,
 * outside the timing. `npm run bench -- redis` runs it with redis.bench.js.
 * ENGAGEMENT_SCORE_DIST may point at another build.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { commandStats, startRedis } = require('./lib/redis-server');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
const CONTACTS = 100_000;
const GRANTS_PER_CONTACT = 10;
const SEED_BATCH = 1_000;
const DAY = 86_400_000;

async function run(report) {
	const Redis = require('ioredis');
	const { EngagementEngine, RedisStore } = require(path.join(DIST, 'src', 'index.js'));
	const server = await startRedis();
	const client = new Redis({ host: '127.0.0.1', port: server.port });
	const statsClient = new Redis({ host: '127.0.0.1', port: server.port });
	try {
		const now = Date.UTC(2026, 5, 1);
		const store = new RedisStore(client, { keyPrefix: 'bench-expiry:' });
		const engine = new EngagementEngine(store, { now: () => now });
		await engine.createProfile({ id: 'expiring', name: 'Expiring', rules: [{ id: 'r', eventType: 'x', points: 1, expiresAfterDays: 1 }] });
		await engine.publish('expiring');
		for (let first = 0; first < CONTACTS; first += SEED_BATCH) {
			const contactIds = Array.from({ length: SEED_BATCH }, (_, index) => `contact-${first + index}`);
			await store.transact('expiring', { contactIds }, () => ({
				contacts: contactIds.map((contactId) => dueContact(contactId, now)),
				changes: [],
				seenEventIds: [],
				result: null,
			}));
		}

		await statsClient.call('CONFIG', 'RESETSTAT');
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		const result = await engine.applyExpiries('expiring');
		const seconds = (performance.now() - started) / 1000;
		const cpu = process.cpuUsage(cpuBefore);
		const expected = CONTACTS * GRANTS_PER_CONTACT;
		if (result.expired !== expected) throw new Error(`expected ${expected} expiries, applied ${result.expired}`);
		if ((await store.latestChangeSeq('expiring')) !== result.changes) throw new Error('not every expiry was logged');
		const left = await store.getContact('expiring', 'contact-0');
		if (left.score !== 0 || left.nextExpiryAt !== undefined) throw new Error('contact-0 still holds points to expire');

		report(
			`Applying ${result.expired.toLocaleString('en-US')} due expiries on Redis (one profile, ${CONTACTS.toLocaleString('en-US')} contacts, ${result.changes.toLocaleString('en-US')} changes logged), wall clock`,
			Math.round(result.expired / seconds),
			'expiries/s',
			{ min: 100_000 },
		);
		// On a shared machine the wall clock also counts other processes' turns.
		report('  the same, client process CPU time', Math.round(result.expired / ((cpu.user + cpu.system) / 1e6)), 'expiries/s');
		const { usec } = commandStats(await statsClient.call('INFO', 'commandstats'));
		report('  Redis time in the scripts, per expiry', Number((((usec.evalsha ?? 0) + (usec.eval ?? 0)) / expected).toFixed(2)), 'us');
	} finally {
		client.disconnect();
		statsClient.disconnect();
		await server.stop();
	}
}

/** A contact whose 10 one-point grants all fell due a day ago. */
function dueContact(contactId, now) {
	const expiring = Array.from({ length: GRANTS_PER_CONTACT }, (_, grant) => ({ ruleId: 'r', eventId: `${contactId}-${grant}`, points: 1, dueAt: now - DAY + grant }));
	const before = now - 2 * DAY;
	return { contactId, score: GRANTS_PER_CONTACT, lastActivityAt: before, firstSeenAt: before, updatedAt: before, version: 1, ledger: { expiring }, nextExpiryAt: expiring[0].dueAt };
}

module.exports = { run };
