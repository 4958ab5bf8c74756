import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { StoreUnavailableError } from '../../src/errors';
import type { ScoredEvent, ScoreProfile } from '../../src/types';
import {
	closeRedisConnections,
	openRedisStore,
	redisConnectionSettings,
	testRedisCredential,
} from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { scoring } from '../helpers/scoring';

const PASSWORD = 's3cret-pass';
let server: RedisTestServer;

beforeAll(async () => {
	server = await RedisTestServer.start({ password: PASSWORD, persistent: true });
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});

function settings(overrides: Record<string, unknown> = {}) {
	return redisConnectionSettings({ host: server.host, port: server.port, password: PASSWORD, keyPrefix: 'conn-test:', ...overrides });
}

function credentialTest(data: Record<string, unknown>) {
	const credential = { id: '1', name: 'Redis', type: 'engagementScoreRedisApi', data } as ICredentialsDecrypted;
	return testRedisCredential.call({} as ICredentialTestFunctions, credential);
}

const profile: ScoreProfile = {
	id: 'conn',
	name: 'Connection',
	description: '',
	status: 'published',
	draftRules: [],
	publishedRules: [],
	version: 1,
	createdAt: 0,
	updatedAt: 0,
};

const event = (contactId: string, delta: number, eventId?: string): ScoredEvent => ({
	contactId,
	eventId,
	eventType: 'email_opened',
	delta,
	matchedRuleIds: ['r1'],
	occurredAt: 1_000,
});

describe('the Redis credential test', () => {
	it('accepts a working host, port and password', async () => {
		const result = await credentialTest({ host: server.host, port: server.port, password: PASSWORD });
		expect(result).toEqual({ status: 'OK', message: `Connected to redis://${server.host}:${server.port}/0` });
	});

	it('says the password is wrong when it is', async () => {
		const result = await credentialTest({ host: server.host, port: server.port, password: 'wrong' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the credential's user or password/);
	});

	it('says the server is not reachable on a port nobody listens on', async () => {
		const { freeLoopbackPort } = await import('../helpers/redis-server');
		const result = await credentialTest({ host: '127.0.0.1', port: await freeLoopbackPort(), password: PASSWORD });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/is not reachable .*ECONNREFUSED/);
	});
});

describe('the Redis store over a credential', () => {
	it('refuses a wrong password with a clear error on the call, writing nothing', async () => {
		const store = openRedisStore(settings({ password: 'wrong' }));
		const failure = store.insertProfile({ ...profile, id: 'never' });
		await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(failure).rejects.toThrow(/refused the credential's user or password/);
		await store.close();
		const good = openRedisStore(settings());
		expect(await good.getProfile('never')).toBeUndefined();
		await good.close();
	});

	it('fails fast while Redis is down, writes nothing, and works again once Redis is back', async () => {
		const store = openRedisStore(settings());
		await store.insertProfile(profile);
		await scoring(store).applyEvents('conn', 1, [event('alice', 5, 'e1')]);

		await server.stop();
		const started = Date.now();
		const failure = scoring(store).applyEvents('conn', 1, [event('alice', 7, 'e2'), event('bob', 3, 'e3')]);
		await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(failure).rejects.toThrow(/Redis at 127\.0\.0\.1:\d+ is not reachable/);
		expect(Date.now() - started).toBeLessThan(2_000);

		await server.launch();
		await waitFor(async () => (await store.getContact('conn', 'alice').catch(() => undefined)) !== undefined);
		expect((await store.getContact('conn', 'alice'))?.score).toBe(5);
		expect(await store.getContact('conn', 'bob')).toBeUndefined();

		// The refused call wrote nothing, so sending it again counts it exactly once.
		const retried = await scoring(store).applyEvents('conn', 1, [event('alice', 7, 'e2'), event('bob', 3, 'e3')]);
		expect(retried.map((result) => result.duplicate)).toEqual([false, false]);
		expect((await store.getContact('conn', 'alice'))?.score).toBe(12);
		expect((await store.getHistory('conn', 'alice', 10)).map((change) => change.score)).toEqual([12, 5]);
		await store.close();
	});
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
