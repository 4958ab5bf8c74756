/**
 * What a user sees when the Redis store cannot be used: Redis down, a wrong password, no
 * credential chosen; and the credential's "Test" button. Real redis-server, stopped by its pid.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections, REDIS_CREDENTIAL_TYPE } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { testCredential, type HarnessCredential } from '../harness/run-workflow';
import {
	createRedisProfile,
	MODIFY_TYPE,
	otherProcessStore,
	profileLocator,
	redisCredential,
	redisNodeTypes,
	runRedisNode,
	scoreOnRedis,
} from '../harness/redis-nodes';

const PASSWORD = 'right-pass';
let server: RedisTestServer;
let credential: HarnessCredential;

beforeAll(async () => {
	server = await RedisTestServer.start({ password: PASSWORD, persistent: true });
	credential = redisCredential(server, { password: PASSWORD, keyPrefix: 'failures:' });
	await createRedisProfile(credential, { id: 'lead', rules: [{ id: 'opened', eventType: 'email_opened', points: 5 }] });
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});

const events: IDataObject[] = [
	{ id: 'e1', contactId: 'c1', type: 'email_opened' },
	{ id: 'e2', contactId: 'c2', type: 'email_opened' },
];

async function storedContacts(): Promise<unknown[]> {
	const store = otherProcessStore(credential);
	try {
		return await store.listContacts('lead', { order: 'desc', limit: 100, offset: 0 });
	} finally {
		await store.close();
	}
}

describe('a wrong password', () => {
	const wrong = () => redisCredential(server, { password: 'not-it', keyPrefix: 'failures:' }, 'redis-wrong');

	test('fails the item with an error saying Redis refused the password, and writes nothing', async () => {
		const run = await scoreOnRedis(wrong(), 'lead', events);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(
			new RegExp(`^Item 0: credentials: Redis at 127\\.0\\.0\\.1:${server.port} refused the credential's user or password .*Nothing was written\\.$`),
		);
		expect(await storedContacts()).toEqual([]);
	});

	test('with continue on fail, every item carries that error and none is scored', async () => {
		const run = await scoreOnRedis(wrong(), 'lead', events, { continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => String(json.error).replace(/:.*/s, ''))).toEqual(['Item 0', 'Item 1']);
		expect(run.json.every((json) => /refused the credential's user or password/.test(String(json.error)))).toBe(true);
		expect(await storedContacts()).toEqual([]);
	});

	test('Modify fails the same way', async () => {
		const run = await runRedisNode(MODIFY_TYPE, wrong(), {
			profileId: profileLocator('lead'),
			contactId: 'c1',
			operation: 'add',
			points: 5,
		});
		expect(run.error?.message).toMatch(/^Item 0: credentials: Redis at .* refused the credential's user or password/);
		expect(await storedContacts()).toEqual([]);
	});
});

test('Redis down: the item fails saying Redis is not reachable; once Redis is back the same events apply exactly once', async () => {
	await scoreOnRedis(credential, 'lead', [{ id: 'warm-up', contactId: 'c0', type: 'email_opened' }]);
	await server.stop();
	try {
		const run = await scoreOnRedis(credential, 'lead', events);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(
			new RegExp(`^Item 0: credentials: Redis at 127\\.0\\.0\\.1:${server.port} is not reachable .*Check that Redis is running`),
		);
	} finally {
		await server.launch();
	}
	expect(await storedContacts()).toEqual([expect.objectContaining({ contactId: 'c0', score: 5 })]);

	// The shared connection comes back on its own schedule (backoff); n8n's Retry On Fail bridges
	// that, and sending the events again counts each of them once.
	const retried = await scoreOnRedis(credential, 'lead', [...events, ...events], {
		retryOnFail: true,
		maxTries: 5,
		waitBetweenTries: 1000,
	});
	expect(retried.error).toBeUndefined();
	expect(retried.json.map((json) => json.duplicate)).toEqual([false, false, true, true]);
	expect(await storedContacts()).toEqual([
		expect.objectContaining({ contactId: 'c0', score: 5 }),
		expect.objectContaining({ contactId: 'c1', score: 5 }),
		expect.objectContaining({ contactId: 'c2', score: 5 }),
	]);
});

test('Store = Redis without a credential chosen fails each item with n8n’s own message before anything runs', async () => {
	const run = await scoreOnRedis(credential, 'lead', events, { credentials: undefined });
	expect(run.error?.name).toBe('NodeOperationError');
	expect(run.error?.message).toBe('Item 0: Node does not have any credentials set');
});

describe('the credential "Test" button (a node\'s credentialTest)', () => {
	const test_ = (data: IDataObject) =>
		testCredential({
			nodeTypes: redisNodeTypes,
			credential: { id: 'redis-1', name: 'Redis', type: REDIS_CREDENTIAL_TYPE, data: { host: server.host, ...data } },
		});

	test('reports success for the right host, port and password', async () => {
		expect(await test_({ port: server.port, password: PASSWORD })).toEqual({
			status: 'OK',
			message: `Connected to redis://127.0.0.1:${server.port}/0`,
		});
	});

	test('reports a refused password', async () => {
		const result = await test_({ port: server.port, password: 'not-it' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the credential's user or password/);
	});

	test('reports a server that is not there', async () => {
		const result = await test_({ port: 1, password: PASSWORD });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Redis at 127\.0\.0\.1:1 is not reachable/);
	});
});
