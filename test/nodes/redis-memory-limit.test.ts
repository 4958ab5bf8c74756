/**
 * The nodes on a Redis at its memory limit (maxmemory with noeviction, the policy the README asks
 * for): the item fails saying Redis is out of memory, nothing of the batch is written (scores,
 * change log, seen event ids, seq), and once memory is freed the same work applies once.
 * Real redis-server; the test fills it with a key of its own.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections } from '../../nodes/shared/redis';
import { LimitedRedis } from '../helpers/redis-memory';
import type { HarnessCredential } from '../harness/run-workflow';
import {
	createRedisProfile,
	MODIFY_TYPE,
	type NodeRun,
	profileLocator,
	redisCredential,
	runEngagementScoreOnRedis,
	runRedisNode,
	scoreOnRedis,
} from '../harness/redis-nodes';

const DAY_MS = 24 * 60 * 60 * 1000;
let redis: LimitedRedis;
let credential: HarnessCredential;
let prefix: string;
let prefixCounter = 0;

beforeAll(async () => {
	redis = await LimitedRedis.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await redis.destroy();
});
beforeEach(() => {
	prefix = `memory-${++prefixCounter}:`;
	credential = redisCredential(redis.server, { keyPrefix: prefix });
});
afterEach(async () => {
	await redis.reset();
});

async function storedState() {
	return await redis.storedState(prefix, 'lead');
}

function outOfMemoryError(itemIndex: number): RegExp {
	return new RegExp(
		`^Item ${itemIndex}: Store: Redis at 127\\.0\\.0\\.1:${redis.server.port} is out of memory \\(maxmemory [\\d.]+[KMG]?, used [\\d.]+[KMG]?\\): nothing was written\\. Free memory or raise maxmemory\\.$`,
	);
}

/**
 * Runs `work` on a full Redis: it must fail with the out-of-memory error and leave the profile's
 * data exactly as it was. Then frees memory, runs it again and returns that run, which must succeed.
 */
async function refusedWhileFullThenApplied(work: () => Promise<NodeRun>): Promise<NodeRun> {
	const before = await storedState();
	await redis.fill();
	const failed = await work();
	expect(failed.error?.name).toBe('NodeOperationError');
	expect(failed.error?.message).toMatch(outOfMemoryError(0));
	expect(await storedState()).toEqual(before);

	await redis.free();
	const applied = await work();
	expect(applied.error).toBeUndefined();
	return applied;
}

const rules = [{ id: 'opened', eventType: 'email_opened', points: 5 }];

test('Score Event on a full Redis fails every item saying Redis is out of memory, writes nothing, and applies the same events once after memory is freed', async () => {
	await createRedisProfile(credential, { id: 'lead', rules });
	expect((await scoreOnRedis(credential, 'lead', [{ id: 'warm-up', contactId: 'c1', type: 'email_opened' }])).error).toBeUndefined();
	const before = await storedState();
	expect(before.changeLogLength).toBe(1);

	await redis.fill();
	const events: IDataObject[] = [
		{ id: 'e1', contactId: 'c1', type: 'email_opened' },
		{ id: 'e2', contactId: 'c2', type: 'email_opened' },
		{ id: 'e3', contactId: 'c1', type: 'email_opened' },
	];
	const failed = await scoreOnRedis(credential, 'lead', events);
	expect(failed.error?.name).toBe('NodeOperationError');
	expect(failed.error?.message).toMatch(outOfMemoryError(0));
	expect(await storedState()).toEqual(before);

	const eachFailed = await scoreOnRedis(credential, 'lead', events, { continueOnFail: true });
	expect(eachFailed.error).toBeUndefined();
	expect(eachFailed.json.map((json, index) => outOfMemoryError(index).test(String(json.error)))).toEqual([true, true, true]);
	expect(await storedState()).toEqual(before);

	await redis.free();
	const applied = await scoreOnRedis(credential, 'lead', [...events, ...events]);
	expect(applied.error).toBeUndefined();
	expect(applied.json.map((json) => [json.contactId, json.duplicate, json.score])).toEqual([
		['c1', false, 10],
		['c2', false, 5],
		['c1', false, 15],
		['c1', true, 15],
		['c2', true, 5],
		['c1', true, 15],
	]);
	const after = await storedState();
	expect(after.changeLogLength).toBe(4);
	expect(after.seq).toBe('4');
	expect(after.seenEventIds.sort()).toEqual(['e1', 'e2', 'e3', 'warm-up']);
});

test('a batch larger than one script (5,001 events: several scripts in one MULTI/EXEC) on a full Redis fails whole with the same error', async () => {
	await createRedisProfile(credential, { id: 'lead', rules });
	await scoreOnRedis(credential, 'lead', [{ id: 'warm-up', contactId: 'c1', type: 'email_opened' }]);
	const events = Array.from({ length: 5001 }, (_, index) => ({ id: `e${index}`, contactId: `c${index % 100}`, type: 'email_opened' }));
	await refusedWhileFullThenApplied(async () => await scoreOnRedis(credential, 'lead', events));
	expect((await storedState()).changeLogLength).toBe(5002);
});

test('Modify Engagement Score on a full Redis fails saying Redis is out of memory and writes nothing; after memory is freed it applies', async () => {
	await createRedisProfile(credential, { id: 'lead', rules });
	await scoreOnRedis(credential, 'lead', [{ id: 'warm-up', contactId: 'c1', type: 'email_opened' }]);
	const applied = await refusedWhileFullThenApplied(
		async () =>
			await runRedisNode(MODIFY_TYPE, credential, { profileId: profileLocator('lead'), contactId: 'c1', operation: 'add', points: 7 }),
	);
	expect(applied.json[0]).toMatchObject({ contactId: 'c1', previousScore: 5, score: 12 });
	expect((await storedState()).changeLogLength).toBe(2);
});

test('Decay > Apply on a full Redis fails saying Redis is out of memory and writes nothing (no snapshot left behind); after memory is freed it applies', async () => {
	await createRedisProfile(credential, { id: 'lead', rules });
	const longAgo = new Date(Date.now() - 60 * DAY_MS).toISOString();
	await scoreOnRedis(credential, 'lead', [
		{ id: 'o1', contactId: 'sleepy', type: 'email_opened', occurredAt: longAgo },
		{ id: 'o2', contactId: 'dozy', type: 'email_opened', occurredAt: longAgo },
		{ id: 'o3', contactId: 'busy', type: 'email_opened' },
	]);
	const applied = await refusedWhileFullThenApplied(
		async () =>
			await runEngagementScoreOnRedis(credential, {
				resource: 'decay',
				operation: 'apply',
				profileId: profileLocator('lead'),
				mode: 'subtract',
				inactiveDays: 30,
				points: 2,
				floor: 0,
			}),
	);
	expect(applied.json[0]).toMatchObject({ contactsInactive: 2, contactsDecayed: 2, totalDelta: -4 });
	expect((await storedState()).changeLogLength).toBe(5);
});

test('reading contacts still works on a full Redis', async () => {
	await createRedisProfile(credential, { id: 'lead', rules });
	await scoreOnRedis(credential, 'lead', [{ id: 'e1', contactId: 'c1', type: 'email_opened' }]);
	await redis.fill();
	const list = await runEngagementScoreOnRedis(credential, {
		resource: 'contact',
		operation: 'getMany',
		profileId: profileLocator('lead'),
		returnAll: true,
	});
	expect(list.error).toBeUndefined();
	expect(list.json.map((json) => [json.contactId, json.score])).toEqual([['c1', 5]]);
});
