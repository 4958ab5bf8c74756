import Redis from 'ioredis';

import { compareStrings } from '../../src/stores/ordering';
import type { ContactState } from '../../src/scoring/contact-state';
import type { ChangeRecord } from '../../src/scoring/transition';
import { contactHistoryKey, profileKeys } from '../../src/stores/redis/keys';
import { RedisStore, type RedisStoreOptions } from '../../src/stores/redis/redis-store';
import { decayScore, normalizeScore } from '../../src/scoring/score-math';
import type { DecayPolicy, ScoredEvent } from '../../src/types';
import { RedisTestServer } from '../helpers/redis-server';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

/** What the Redis backend promises beyond the shared conformance suite (see redis.test.ts). */
let server: RedisTestServer;
const clients: Redis[] = [];
let prefixCount = 0;

beforeAll(async () => {
	server = await RedisTestServer.start();
});
afterAll(async () => {
	for (const client of clients) if (client.status !== 'end') client.disconnect();
	await server.destroy();
});

function connect(target: RedisTestServer = server): Redis {
	const client = new Redis({ host: target.host, port: target.port });
	clients.push(client);
	return client;
}

function freshPrefix(): string {
	return `redis-store-${++prefixCount}:`;
}

describe('several workers on one Redis', () => {
	it('keeps exact scores and counts each event id once when four connections write the same events at once', async () => {
		const prefix = freshPrefix();
		const workers = Array.from({ length: 4 }, () => new RedisStore(connect(), { keyPrefix: prefix }));
		await workers[0].insertProfile(profileFixture('p'));

		// 2,000 distinct events over 40 contacts; every event is delivered to two different workers.
		const events: ScoredEvent[] = Array.from({ length: 2000 }, (_, index) =>
			scoredEvent(`contact-${index % 40}`, (index % 7) - 2 + 0.25, { eventId: `evt-${index}` }),
		);
		const deliveries = workers.map((worker, workerIndex) => {
			const mine = events.filter((_, index) => index % 4 === workerIndex || (index + 1) % 4 === workerIndex);
			const batches: Array<Promise<unknown>> = [];
			for (let start = 0; start < mine.length; start += 37) batches.push(scoring(worker).applyEvents('p', 1, mine.slice(start, start + 37)));
			return Promise.all(batches);
		});
		await Promise.all(deliveries);

		const expected = new Map<string, number>();
		for (const event of events) expected.set(event.contactId, normalizeScore((expected.get(event.contactId) ?? 0) + event.delta));
		for (const [contactId, score] of expected) expect((await workers[1].getContact('p', contactId))?.score).toBe(score);

		const changes = await workers[2].readChanges('p', 0, 10_000);
		expect(changes).toHaveLength(2000);
		expect(new Set(changes.map((change) => (change.cause as { eventId: string }).eventId)).size).toBe(2000);
		expect(changes.map((change) => change.seq)).toEqual(Array.from({ length: 2000 }, (_, index) => index + 1));
		for (const contactId of expected.keys()) {
			const steps = changes.filter((change) => change.contactId === contactId);
			for (let index = 1; index < steps.length; index++) expect(steps[index].previousScore).toBe(steps[index - 1].score);
		}
	});
});

describe('event id retention', () => {
	it('forgets expired ids instead of keeping them forever', async () => {
		const client = connect();
		const prefix = freshPrefix();
		const store = new RedisStore(client, { keyPrefix: prefix, eventIdRetentionMs: 100 });
		await store.insertProfile(profileFixture('p'));
		await scoring(store).applyEvents('p', 1, Array.from({ length: 50 }, (_, index) => scoredEvent('a', 1, { eventId: `old-${index}` })));
		await new Promise((resolve) => setTimeout(resolve, 200));
		await scoring(store).applyEvents('p', 1, [scoredEvent('a', 1, { eventId: 'new' })]);
		expect(await client.zcard(`${prefix}{p}:seen`)).toBe(1);
	});
});

describe('scripts', () => {
	it('keeps working after Redis lost its script cache (restart, SCRIPT FLUSH)', async () => {
		const client = connect();
		const store = new RedisStore(client, { keyPrefix: freshPrefix() });
		await store.insertProfile(profileFixture('p'));
		await client.script('FLUSH');
		await scoring(store).applyEvents('p', 1, [scoredEvent('a', 1)]);
		await client.script('FLUSH');
		await scoring(store).applyEvents('p', 1, Array.from({ length: 10 }, () => scoredEvent('a', 2)));
		expect((await store.getContact('p', 'a'))?.score).toBe(21);
		expect(await store.readChanges('p', 0, 100)).toHaveLength(11);
	});

	it('applies a 20,000-event call as a whole and refuses one at a stale version without writing any of it', async () => {
		const store = new RedisStore(connect(), { keyPrefix: freshPrefix() });
		await store.insertProfile(profileFixture('p', { version: 2 }));
		const events = Array.from({ length: 20_000 }, (_, index) => scoredEvent(`c${index % 500}`, 1, { eventId: `e${index}` }));
		await expect(scoring(store).applyEvents('p', 1, events)).rejects.toThrow('is not published');
		expect(await store.latestChangeSeq('p')).toBe(0);
		expect(await store.listContacts('p', { order: 'desc', limit: 10 })).toEqual([]);

		const results = await scoring(store).applyEvents('p', 2, events);
		expect(results.every((result) => !result.duplicate)).toBe(true);
		expect(results[19_999]).toMatchObject({ contactId: 'c499', previousScore: 39, score: 40, changeSeq: 20_000 });
		expect((await store.listContacts('p', { order: 'asc', limit: 1 }))[0].score).toBe(40);
	});
});

describe('the change log', () => {
	it('is a Redis Stream per profile whose entry ids are the change seqs', async () => {
		const client = connect();
		const prefix = freshPrefix();
		const store = new RedisStore(client, { keyPrefix: prefix });
		await store.insertProfile(profileFixture('p'));
		await scoring(store).applyEvents('p', 1, [scoredEvent('a', 5), scoredEvent('b', 0), scoredEvent('a', -2)]);
		const entries = await client.xrange(`${prefix}{p}:log`, '-', '+');
		expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0']);
		expect((await store.readChanges('p', 0, 10)).map((change) => change.seq)).toEqual([1, 2]);
		expect(await store.latestChangeSeq('p')).toBe(2);
	});
});

const T0 = Date.UTC(2026, 0, 1);

/** A contact state as a store keeps it, for tests that write states straight through transact. */
function state(contactId: string, score: number, version: number, extra: Partial<ContactState> = {}): ContactState {
	return { contactId, score, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version, ...extra };
}

describe('the change log, one field per entry', () => {

	it('keeps every field of a change record, also one the scoring core adds later', async () => {
		const store = new RedisStore(connect(), { keyPrefix: freshPrefix() });
		await store.insertProfile(profileFixture('p'));
		// A field this store's code does not name, as a later scoring core may log (e.g. group subtotals).
		const record = { contactId: 'a', previousScore: 0, score: 2.5, delta: 2.5, cause: { kind: 'event', eventId: 'e1', ruleIds: ['r'] }, at: T0, groups: { Sales: 2.5 } };
		const { firstChangeSeq } = await store.transact('p', { contactIds: ['a'] }, () => ({
			contacts: [state('a', 2.5, 1)],
			changes: [record as unknown as ChangeRecord],
			seenEventIds: [],
			result: null,
		}));
		const logged = { seq: firstChangeSeq, profileId: 'p', ...record };
		expect(await store.readChanges('p', 0, 10)).toEqual([logged]);
		expect(await store.getHistory('p', 'a', 10)).toEqual([logged]);
	});

	it('reads entries written one field per value (before this format), so an upgraded store keeps its history, feeds and seqs', async () => {
		const client = connect();
		const prefix = freshPrefix();
		const store = new RedisStore(client, { keyPrefix: prefix });
		await store.insertProfile(profileFixture('p'));
		// What the previous version wrote for one change of contact "a": the entry, its history member, the seq.
		await client.xadd(`${prefix}{p}:log`, '1-0', 'c', 'a', 'p', '0', 's', '5', 'd', '5', 'k', '{"kind":"event","eventId":"e1","ruleIds":["opened"]}', 'a', String(T0));
		await client.zadd(`${prefix}{p}:history`, 0, `1:a:${'1'.padStart(16, '0')}`);
		await client.set(`${prefix}{p}:seq`, '1');
		await client.hset(`${prefix}{p}:contacts`, 'a', `v1,${T0},${T0},${T0}`);
		await client.zadd(`${prefix}{p}:scores`, 5, 'a');
		await client.zadd(`${prefix}{p}:idle`, T0, 'a');
		const old = { seq: 1, profileId: 'p', contactId: 'a', previousScore: 0, score: 5, delta: 5, cause: { kind: 'event', eventId: 'e1', ruleIds: ['opened'] }, at: T0 };

		await scoring(store).applyEvents('p', 1, [scoredEvent('a', 2, { eventId: 'e2', occurredAt: T0 + 1 })]);
		const changes = await store.readChanges('p', 0, 10);
		expect(changes).toEqual([old, expect.objectContaining({ seq: 2, contactId: 'a', previousScore: 5, score: 7, delta: 2 })]);
		expect(await store.getHistory('p', 'a', 10)).toEqual([changes[1], old]);
		expect(await store.getHistory('p', 'a', 1)).toEqual([changes[1]]);
		expect(await store.latestChangeSeq('p')).toBe(2);
		expect(await store.deleteContact('p', 'a')).toBe(true);
		expect(await store.readChanges('p', 0, 10)).toEqual([]);
		expect(await client.zcard(`${prefix}{p}:history`)).toBe(0);
		expect(await client.exists(contactHistoryKey(profileKeys(prefix, 'p'), 'a'))).toBe(0);
	});

	it('merges a history written by old and new versions at once (a rolling upgrade) by seq, newest first', async () => {
		const client = connect();
		const prefix = freshPrefix();
		const store = new RedisStore(client, { keyPrefix: prefix });
		await store.insertProfile(profileFixture('p'));
		await scoring(store).applyEvents('p', 1, [1, 2, 3, 4].map((points) => scoredEvent('a', points, { occurredAt: T0 + points })));
		// An older worker's index entries for seqs 2 and 4 (its entries, as it wrote them, beside the lists).
		const keys = profileKeys(prefix, 'p');
		await client.lrem(contactHistoryKey(keys, 'a'), 0, '2');
		await client.lrem(contactHistoryKey(keys, 'a'), 0, '4');
		await client.zadd(keys.history, 0, `1:a:${'2'.padStart(16, '0')}`, 0, `1:a:${'4'.padStart(16, '0')}`);
		expect((await store.getHistory('p', 'a', 10)).map((change) => change.seq)).toEqual([4, 3, 2, 1]);
		expect((await store.getHistory('p', 'a', 3)).map((change) => change.seq)).toEqual([4, 3, 2]);
	});

	it("keeps a contact's history in a list of its own that deleting the profile removes with it", async () => {
		const client = connect();
		const prefix = freshPrefix();
		const store = new RedisStore(client, { keyPrefix: prefix });
		await store.insertProfile(profileFixture('p'));
		// Ids that are awkward in a key name: the hash tag's braces, the separator, not ASCII.
		const contacts = ['a', 'b}', 'c:{x}', 'Ünïcødé 📧'];
		await scoring(store).applyEvents('p', 1, contacts.flatMap((contactId) => [scoredEvent(contactId, 1), scoredEvent(contactId, 2)]));
		for (const contactId of contacts) {
			expect(await client.lrange(contactHistoryKey(profileKeys(prefix, 'p'), contactId), 0, -1)).toHaveLength(2);
			expect((await store.getHistory('p', contactId, 10)).map((change) => change.score)).toEqual([3, 1]);
		}
		expect(await store.deleteProfile('p')).toBe(true);
		expect(await client.keys(`${prefix}*`)).toEqual([`${prefix}{p}:seq`]);
		await store.insertProfile(profileFixture('p'));
		expect(await store.getHistory('p', 'a', 10)).toEqual([]);
	});
});

describe('indexes written only when they move', () => {
	const DAY = 24 * 60 * 60 * 1000;
	const write = (store: RedisStore, contacts: ContactState[]) =>
		store.transact('p', { contactIds: contacts.map((contact) => contact.contactId) }, () => ({ contacts, changes: [], seenEventIds: [], result: null }));

	it('keeps ranking, inactivity and due expiries right when a write moves only some of them', async () => {
		const store = new RedisStore(connect(), { keyPrefix: freshPrefix() });
		await store.insertProfile(profileFixture('p'));
		const expiring = (dueAt: number) => ({ ledger: { expiring: [{ ruleId: 'r', points: 1, dueAt }] }, nextExpiryAt: dueAt });
		await write(store, [state('a', 1, 1, expiring(T0 + DAY)), state('b', 2, 1), state('c', 3, 1)]);
		// a: score moves, activity and expiry stay; b: activity moves, score stays; c: expiry starts, nothing else moves.
		await write(store, [
			state('a', 5, 2, expiring(T0 + DAY)),
			state('b', 2, 2, { lastActivityAt: T0 + 2 * DAY }),
			state('c', 3, 2, expiring(T0 + 3 * DAY)),
		]);
		const ranked = await store.listContacts('p', { order: 'desc', limit: 10 });
		expect(ranked.map((contact) => [contact.contactId, contact.score])).toEqual([['a', 5], ['c', 3], ['b', 2]]);
		expect(await store.inactiveContactIds('p', T0 + DAY)).toEqual(['a', 'c']);
		expect(await store.expiringContactIds('p', T0 + 3 * DAY, 10)).toEqual(['a', 'c']);
		// a: expiry ends; c: the same due time again.
		await write(store, [state('a', 4, 3), state('c', 3, 3, expiring(T0 + 3 * DAY))]);
		expect(await store.expiringContactIds('p', T0 + 3 * DAY, 10)).toEqual(['c']);
		expect((await store.listContacts('p', { order: 'asc', limit: 10 })).map((contact) => contact.contactId)).toEqual(['b', 'c', 'a']);
	});
});

describe('ranking', () => {
	it('pages contacts by score in both orders with ties by contact id ascending, like the SQLite store', async () => {
		const store = new RedisStore(connect(), { keyPrefix: freshPrefix() });
		await store.insertProfile(profileFixture('p'));
		let seed = 7;
		const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		const contacts = Array.from({ length: 300 }, (_, index) => ({
			contactId: `${String.fromCharCode(97 + Math.floor(random() * 26))}-${index}`,
			score: Math.floor(random() * 12) - 3 + (random() < 0.2 ? 0.5 : 0),
		}));
		await scoring(store).applyEvents('p', 1, contacts.map(({ contactId, score }) => scoredEvent(contactId, score)));
		const byRank = (order: 'asc' | 'desc') =>
			[...contacts].sort((a, b) => (order === 'asc' ? a.score - b.score : b.score - a.score) || compareStrings(a.contactId, b.contactId));

		for (const order of ['asc', 'desc'] as const) {
			for (const [minScore, maxScore] of [[undefined, undefined], [0, 5], [-3, 0.5], [4, 4]] as const) {
				const expected = byRank(order).filter(
					({ score }) => (minScore === undefined || score >= minScore) && (maxScore === undefined || score <= maxScore),
				);
				for (const [offset, limit] of [[0, 1000], [0, 7], [13, 29], [expected.length - 3, 10]]) {
					const page = await store.listContacts('p', { order, minScore, maxScore, offset: Math.max(0, offset), limit });
					expect(page.map(({ contactId, score }) => ({ contactId, score }))).toEqual(
						expected.slice(Math.max(0, offset), Math.max(0, offset) + limit),
					);
				}
			}
		}
	});
});

describe('decay in steps', () => {
	it('decays every inactive contact exactly once across many steps and leaves active ones alone', async () => {
		const store = new RedisStore(connect(), { keyPrefix: freshPrefix(), inactiveContactsPerPage: 7 });
		await store.insertProfile(profileFixture('p'));
		const cutoff = 1_000_000;
		const contacts = Array.from({ length: 95 }, (_, index) => ({
			contactId: `c${index}`,
			score: (index * 7) % 40,
			active: index % 5 === 0,
		}));
		await scoring(store).applyEvents(
			'p',
			1,
			contacts.map(({ contactId, score, active }) => scoredEvent(contactId, score, { occurredAt: active ? cutoff + 1 : cutoff - 1 })),
		);
		const policy: DecayPolicy = { mode: 'multiply', factor: 0.8, floor: 3, inactiveDays: 1 };
		const result = await scoring(store, { contactsPerDecayStep: 10 }).applyDecay('p', policy, cutoff, cutoff + 10);

		let totalDelta = 0;
		for (const { contactId, score, active } of contacts) {
			const expected = active ? score : decayScore(score, policy);
			totalDelta = normalizeScore(totalDelta + expected - score);
			expect((await store.getContact('p', contactId))?.score).toBe(expected);
		}
		const inactive = contacts.filter(({ active }) => !active);
		expect(result.contactsInactive).toBe(inactive.length);
		expect(result.contactsDecayed).toBe(inactive.filter(({ score }) => decayScore(score, policy) !== score).length);
		expect(result.totalDelta).toBe(totalDelta);
		const logged = await store.readChanges('p', result.firstChangeSeq! - 1, 1000);
		expect(logged).toHaveLength(result.contactsDecayed);
		expect(logged.every((change) => change.cause.kind === 'decay')).toBe(true);
	});
});

describe('Redis Cluster', () => {
	it('runs on a cluster node: every key one script touches shares the profile hash tag, so no script is cross-slot', async () => {
		const clusterNode = await RedisTestServer.start({
			extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
		});
		const client = connect(clusterNode);
		try {
			await client.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
			await waitFor(async () => String(await client.call('CLUSTER', 'INFO')).includes('cluster_state:ok'));
			const options: RedisStoreOptions = { inactiveContactsPerPage: 2 };
			const store = new RedisStore(client, options);
			await store.insertProfile(profileFixture('leads'));
			await store.updateProfile('leads', (profile) => ({ ...profile, version: 2 }));
			await scoring(store).applyEvents('leads', 2, [scoredEvent('a', 5, { eventId: 'x' }), scoredEvent('b', 3), scoredEvent('a', 1)]);
			await scoring(store).adjustScore('leads', { contactId: 'c', operation: 'set', points: 9, at: 0 });
			await scoring(store).resetContact('leads', 'b', 1);
			await scoring(store).applyDecay('leads', { mode: 'subtract', points: 1, floor: 0, inactiveDays: 1 }, Date.UTC(2030, 0, 1), 2);
			expect((await store.listContacts('leads', { order: 'desc', limit: 10 })).map((contact) => contact.score)).toEqual([8, 5, 0]);
			expect(await store.getHistory('leads', 'a', 10)).toHaveLength(3);
			expect(await store.deleteContact('leads', 'a')).toBe(true);
			expect(await store.deleteProfile('leads')).toBe(true);

			// The check is real: a script given keys of two profiles is refused by a cluster node.
			await expect(client.eval("return redis.call('GET', KEYS[1])", 2, '{a}:x', '{b}:x')).rejects.toThrow(/CROSSSLOT/);
		} finally {
			client.disconnect();
			await clusterNode.destroy();
		}
	});
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}
