/**
 * Engagement Score and Modify Engagement Score with Store = Redis, run through n8n-core with a
 * saved Redis credential, against a real redis-server. What the nodes write is read back over a
 * separate connection, so the scores demonstrably live in Redis.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections, redisCredentialDescription, REDIS_CREDENTIAL_TEST } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { callNodeMethod, type HarnessCredential } from '../harness/run-workflow';
import {
	createRedisProfile,
	credentialReference,
	credentialTypes,
	EngagementScoreTrigger,
	MODIFY_TYPE,
	otherProcessStore,
	profileLocator,
	redisCredential,
	redisNodeTypes,
	runEngagementScoreOnRedis,
	runRedisNode,
	scoreOnRedis,
} from '../harness/redis-nodes';
import { ENGAGEMENT_SCORE_TYPE } from '../harness/engagement-score-nodes';

const DAY_MS = 24 * 60 * 60 * 1000;
let server: RedisTestServer;
let credential: HarnessCredential;
let prefixCounter = 0;

beforeAll(async () => {
	server = await RedisTestServer.start({ password: 'node-pass' });
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});
beforeEach(() => {
	// A fresh key prefix per test: the credential's own setting, so tests share the server, not data.
	credential = redisCredential(server, { password: 'node-pass', keyPrefix: `node-test-${++prefixCounter}:` });
});

const rules = [
	{ id: 'opened', eventType: 'email_opened', points: 5 },
	{ id: 'big-order', eventType: 'order_placed', conditions: [{ property: 'amount', operator: 'greaterThan', value: 100 }], points: 25 },
	{ id: 'unsubscribed', eventType: 'email_unsubscribed', points: -10 },
];

async function readBack<T>(read: (store: ReturnType<typeof otherProcessStore>) => Promise<T>): Promise<T> {
	const store = otherProcessStore(credential);
	try {
		return await read(store);
	} finally {
		await store.close();
	}
}

describe('every node offers the Redis store with its credential', () => {
	const nodes = [
		['Engagement Score', redisNodeTypes[ENGAGEMENT_SCORE_TYPE].getNodeType(1)],
		['Modify Engagement Score', redisNodeTypes[MODIFY_TYPE]],
		['Engagement Score Trigger', new EngagementScoreTrigger()],
	] as const;

	test.each(nodes)('%s lists the tested Redis credential, shown only for the Redis store', (_, nodeType) => {
		expect(nodeType.description.credentials).toEqual([redisCredentialDescription]);
		expect(typeof nodeType.methods?.credentialTest?.[REDIS_CREDENTIAL_TEST]).toBe('function');
		const store = nodeType.description.properties.find((property) => property.name === 'store');
		expect(store?.options).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'redis' })]));
	});
});

describe('Engagement Score on Redis', () => {
	test('a profile created and published through the node is in Redis and in the profile picker', async () => {
		const created = await createRedisProfile(credential, { id: 'lead', rules });
		expect(created).toMatchObject({ id: 'lead', status: 'published', version: 1 });

		const stored = await readBack((store) => store.getProfile('lead'));
		expect(stored).toMatchObject({ id: 'lead', status: 'published', version: 1 });
		expect(stored?.publishedRules?.map((rule) => rule.id)).toEqual(['opened', 'big-order', 'unsubscribed']);

		const picked = await callNodeMethod<{ results: Array<{ name: string; value: string }> }>({
			nodeTypes: redisNodeTypes,
			node: {
				name: 'Score',
				type: ENGAGEMENT_SCORE_TYPE,
				typeVersion: 1,
				parameters: { store: 'redis', resource: 'event', operation: 'score' },
				credentials: credentialReference(credential),
			},
			kind: 'listSearch',
			method: 'searchProfiles',
			args: ['lea'],
			credentials: [credential],
			credentialTypes,
		});
		expect(picked.results).toEqual([{ name: 'lead (published v1)', value: 'lead', description: undefined }]);
	});

	test('events score by the published rules; an event id sent again, in the same or a later execution, counts once', async () => {
		await createRedisProfile(credential, { id: 'lead', rules });
		const first = await scoreOnRedis(credential, 'lead', [
			{ id: 'e1', contactId: 'c1', type: 'email_opened' },
			{ id: 'e2', contactId: 'c1', type: 'order_placed', properties: { amount: 250 } },
			{ id: 'e1', contactId: 'c1', type: 'email_opened' },
			{ id: 'e3', contactId: 'c2', type: 'order_placed', properties: { amount: 20 } },
		]);
		expect(first.error).toBeUndefined();
		expect(first.json.map((json) => [json.contactId, json.duplicate, json.delta, json.score])).toEqual([
			['c1', false, 5, 5],
			['c1', false, 25, 30],
			['c1', true, 0, 30],
			['c2', false, 0, 0],
		]);

		const again = await scoreOnRedis(credential, 'lead', [
			{ id: 'e2', contactId: 'c1', type: 'order_placed', properties: { amount: 250 } },
			{ id: 'e4', contactId: 'c1', type: 'email_unsubscribed' },
		]);
		expect(again.json.map((json) => [json.duplicate, json.score])).toEqual([
			[true, 30],
			[false, 20],
		]);

		const c1 = await readBack((store) => store.getContact('lead', 'c1'));
		expect(c1?.score).toBe(20);
		const history = await readBack((store) => store.getHistory('lead', 'c1', 10));
		expect(history.map((change) => change.delta)).toEqual([-10, 25, 5]);
	});

	test('Contact > Get Many lists contacts by score, highest first, within the filters; ids like __proto__ are ordinary', async () => {
		await createRedisProfile(credential, { id: 'lead', rules });
		const events = [
			...Array.from({ length: 4 }, (_, index) => ({ id: `a${index}`, contactId: '__proto__', type: 'email_opened' })),
			...Array.from({ length: 2 }, (_, index) => ({ id: `b${index}`, contactId: 'constructor', type: 'email_opened' })),
			{ id: 'c0', contactId: 'zed', type: 'email_opened' },
			{ id: 'c1', contactId: 'amy', type: 'email_opened' },
			{ id: 'd0', contactId: 'big', type: 'order_placed', properties: { amount: 500 } },
		];
		expect((await scoreOnRedis(credential, 'lead', events)).error).toBeUndefined();

		const list = async (parameters: Record<string, unknown>) =>
			await runEngagementScoreOnRedis(credential, {
				resource: 'contact',
				operation: 'getMany',
				profileId: profileLocator('lead'),
				returnAll: true,
				...parameters,
			});
		const all = await list({});
		expect(all.json.map((json) => [json.contactId, json.score])).toEqual([
			['big', 25],
			['__proto__', 20],
			['constructor', 10],
			['amy', 5],
			['zed', 5],
		]);
		const lowFirst = await list({ order: 'asc', filters: { minScore: 6, maxScore: 20 } });
		expect(lowFirst.json.map((json) => json.contactId)).toEqual(['constructor', '__proto__']);

		const one = await runEngagementScoreOnRedis(credential, {
			resource: 'contact',
			operation: 'get',
			profileId: profileLocator('lead'),
			contactId: '__proto__',
		});
		expect(one.json[0]).toMatchObject({ contactId: '__proto__', found: true, score: 20 });
	});

	test('Decay > Apply lowers only contacts inactive for the given days, down to the floor', async () => {
		await createRedisProfile(credential, { id: 'lead', rules });
		const longAgo = new Date(Date.now() - 60 * DAY_MS).toISOString();
		await scoreOnRedis(credential, 'lead', [
			{ id: 'o1', contactId: 'sleepy', type: 'order_placed', properties: { amount: 500 }, occurredAt: longAgo },
			{ id: 'o2', contactId: 'busy', type: 'order_placed', properties: { amount: 500 } },
		]);

		const decay = await runEngagementScoreOnRedis(credential, {
			resource: 'decay',
			operation: 'apply',
			profileId: profileLocator('lead'),
			mode: 'subtract',
			inactiveDays: 30,
			points: 20,
			floor: 10,
		});
		expect(decay.error).toBeUndefined();
		expect(decay.json[0]).toEqual({ profileId: 'lead', mode: 'subtract', contactsInactive: 1, contactsDecayed: 1, totalDelta: -15 });
		expect((await readBack((store) => store.getContact('lead', 'sleepy')))?.score).toBe(10);
		expect((await readBack((store) => store.getContact('lead', 'busy')))?.score).toBe(25);
		const [latest] = await readBack((store) => store.getHistory('lead', 'sleepy', 1));
		expect(latest).toMatchObject({ delta: -15, cause: { kind: 'decay', mode: 'subtract' } });
	});
});

describe('Modify Engagement Score on Redis', () => {
	const modify = async (operation: string, items: IDataObject[], continueOnFail = false) =>
		await runRedisNode(
			MODIFY_TYPE,
			credential,
			{
				profileId: profileLocator('lead'),
				contactId: '={{ $json.contactId }}',
				operation,
				points: '={{ $json.points }}',
				reason: '={{ $json.reason }}',
			},
			items.map((json) => ({ json })),
			{ continueOnFail },
		);

	test('adds, subtracts and sets points with a reason, kept in Redis', async () => {
		await createRedisProfile(credential, { id: 'lead', rules: [], publish: false });
		const added = await modify('add', [{ contactId: 'c1', points: 15, reason: 'Demo call' }]);
		const subtracted = await modify('subtract', [{ contactId: 'c1', points: 4, reason: 'No show' }]);
		const set = await modify('set', [{ contactId: 'c2', points: 42, reason: 'Imported' }]);
		expect([added.error, subtracted.error, set.error]).toEqual([undefined, undefined, undefined]);
		expect([...added.json, ...subtracted.json, ...set.json].map((json) => [json.contactId, json.previousScore, json.score, json.reason])).toEqual([
			['c1', 0, 15, 'Demo call'],
			['c1', 15, 11, 'No show'],
			['c2', 0, 42, 'Imported'],
		]);
		const [latest] = await readBack((store) => store.getHistory('lead', 'c1', 1));
		expect(latest).toMatchObject({ delta: -4, score: 11, cause: { kind: 'modify', reason: 'No show' } });
		expect((await readBack((store) => store.getContact('lead', 'c2')))?.score).toBe(42);
	});

	test('a bad item fails naming its index and field; with continue on fail the others still apply', async () => {
		await createRedisProfile(credential, { id: 'lead', rules: [], publish: false });
		const failed = await modify('add', [{ contactId: 'c1', points: 'lots', reason: '' }]);
		expect(failed.error?.name).toBe('NodeOperationError');
		expect(failed.error?.message).toMatch(/^Item 0: Points: /);
		expect(await readBack((store) => store.getContact('lead', 'c1'))).toBeUndefined();

		const partly = await modify(
			'add',
			[
				{ contactId: 'c1', points: 5, reason: '' },
				{ contactId: '', points: 5, reason: '' },
				{ contactId: 'c1', points: 5, reason: '' },
			],
			true,
		);
		expect(partly.error).toBeUndefined();
		expect(partly.json[1].error).toMatch(/^Item 1: Contact ID: /);
		expect((await readBack((store) => store.getContact('lead', 'c1')))?.score).toBe(10);
	});
});
