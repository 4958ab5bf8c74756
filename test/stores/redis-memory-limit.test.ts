import { RedisStore } from '../../src/stores/redis/redis-store';
import { SCRIPTS } from '../../src/stores/redis/scripts';
import type { RedisCommandClient } from '../../src/stores/redis/client';
import { LimitedRedis } from '../helpers/redis-memory';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

/**
 * The Redis store on a Redis at its memory limit (maxmemory, noeviction): what its scripts' flags
 * promise (see redis-scripts.ts). The item-level errors are tested through the nodes in
 * test/nodes/redis-memory-limit.test.ts.
 */
let redis: LimitedRedis;
let prefixCount = 0;

beforeAll(async () => {
	redis = await LimitedRedis.start();
});
afterAll(async () => {
	await redis.destroy();
});
afterEach(async () => {
	await redis.reset();
});

/** A store with contacts a (8), b (3) and their change log, on a fresh prefix. */
async function storeWithContacts() {
	const prefix = `memory-store-${++prefixCount}:`;
	const store = new RedisStore(redis.admin, { keyPrefix: prefix });
	await store.insertProfile(profileFixture('p'));
	await scoring(store).applyEvents('p', 1, [scoredEvent('a', 5, { eventId: 'e1' }), scoredEvent('b', 3), scoredEvent('a', 3)]);
	return { store, state: async () => await redis.storedState(prefix, 'p') };
}

test('a full Redis refuses a write script before it runs, also when it is sent whole again after SCRIPT FLUSH', async () => {
	const { store, state } = await storeWithContacts();
	const before = await state();
	await redis.fill();
	const events = [scoredEvent('a', 1, { eventId: 'e2' }), scoredEvent('c', 1)];
	await expect(scoring(store).applyEvents('p', 1, events)).rejects.toThrow(/OOM command not allowed/);
	await redis.admin.script('FLUSH');
	await expect(scoring(store).applyEvents('p', 1, events)).rejects.toThrow(/OOM command not allowed/);
	await expect(scoring(store).adjustScore('p', { contactId: 'a', operation: 'add', points: 1, at: 5 })).rejects.toThrow(/OOM/);
	await expect(scoring(store).resetContact('p', 'a', 5)).rejects.toThrow(/OOM/);
	expect(await state()).toEqual(before);
});

test('reads still run on a full Redis (their scripts are flagged no-writes), also after SCRIPT FLUSH', async () => {
	const { store } = await storeWithContacts();
	await redis.fill();
	await redis.admin.script('FLUSH');
	expect((await store.listContacts('p', { order: 'desc', limit: 10 })).map((contact) => [contact.contactId, contact.score])).toEqual([
		['a', 8],
		['b', 3],
	]);
	expect(await store.getContact('p', 'b')).toMatchObject({ contactId: 'b', score: 3 });
	expect((await store.getHistory('p', 'a', 10)).map((change) => change.score)).toEqual([8, 5]);
	expect(await store.latestChangeSeq('p')).toBe(3);
});

test('deleting a contact runs on a full Redis, as DEL does: it is how a user frees memory', async () => {
	const { store, state } = await storeWithContacts();
	await redis.fill();
	expect(await store.deleteContact('p', 'a')).toBe(true);
	const after = await state();
	expect(after.scores).toEqual(['b', '3']);
	expect(after.changeLogLength).toBe(1);
});

test('a decay that runs out of memory part way says how many contacts it decayed; the rest are untouched', async () => {
	// Another process fills Redis just before the decay's third step.
	// The first commit scores the contacts; the next ones are the decay's steps.
	let commits = 0;
	const client: RedisCommandClient = {
		call: async (command, ...args) => {
			if (command === 'EVALSHA' && args[0] === SCRIPTS.commit.sha && ++commits === 4) await redis.fill();
			return await redis.admin.call(command, ...args);
		},
		pipeline: () => redis.admin.pipeline(),
		multi: () => redis.admin.multi(),
	};
	const prefix = `memory-store-${++prefixCount}:`;
	const store = new RedisStore(client, { keyPrefix: prefix });
	await store.insertProfile(profileFixture('p'));
	await scoring(store).applyEvents('p', 1, ['a', 'b', 'c', 'd'].map((contactId) => scoredEvent(contactId, 10, { occurredAt: 1_000 })));

	await expect(scoring(store, { contactsPerDecayStep: 1 }).applyDecay('p', { mode: 'subtract', points: 4, floor: 0, inactiveDays: 1 }, 2_000, 3_000)).rejects.toThrow(
		/^The decay stopped part way: 2 contacts were decayed \(changes 5 to 6; a new run now would decay them again\), the others were not: .*OOM command not allowed/,
	);
	expect((await store.listContacts('p', { order: 'asc', limit: 10 })).map((contact) => [contact.contactId, contact.score])).toEqual([
		['a', 6],
		['b', 6],
		['c', 10],
		['d', 10],
	]);
	expect(await store.latestChangeSeq('p')).toBe(6);
});
