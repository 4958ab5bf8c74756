import Redis from 'ioredis';

import { ChangeFeed } from '../../src/change-feed';
import { RedisChangeWaker } from '../../src/stores/redis-change-waker';
import { RedisStore } from '../../src/stores/redis-store';
import type { ScoreChange } from '../../src/types';
import { closeRedisConnections, openRedisStore, redisConnectionSettings, startRedisChangeWaker } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { profileFixture, scoredEvent } from './conformance';

/**
 * A trigger in one process must hear about changes another process (a queue-mode worker) writes.
 * The writer here is a store with another `location`, so the in-process notifier cannot reach the
 * reader: only Redis can. The feed polls once a minute, so a prompt delivery is the waker's doing.
 */
let server: RedisTestServer;
const clients: Redis[] = [];

beforeAll(async () => {
	server = await RedisTestServer.start({ persistent: true });
});
afterAll(async () => {
	for (const client of clients) if (client.status !== 'end') client.disconnect();
	await closeRedisConnections();
	await server.destroy();
});

function connect(): Redis {
	const client = new Redis({ host: server.host, port: server.port });
	clients.push(client);
	return client;
}

async function feedCollecting(store: RedisStore, consumerId: string) {
	const received: ScoreChange[] = [];
	const feed = new ChangeFeed(store, 'p', consumerId, (changes) => void received.push(...changes), { pollIntervalMs: 60_000 });
	await feed.start();
	return { feed, received };
}

it('wakes a feed at once when another process writes a change, and only because of the waker', async () => {
	const prefix = 'waker-1:';
	const writer = new RedisStore(connect(), { keyPrefix: prefix, location: 'worker-process' });
	const reader = new RedisStore(connect(), { keyPrefix: prefix, location: 'main-process' });
	const unwokenReader = new RedisStore(connect(), { keyPrefix: prefix, location: 'process-without-waker' });
	await writer.insertProfile(profileFixture('p'));

	const withoutWaker = await feedCollecting(unwokenReader, 'no-waker');
	const withWaker = await feedCollecting(reader, 'with-waker');
	const waker = new RedisChangeWaker(connect(), reader, 'p', { blockMs: 200 });
	waker.start();
	await new Promise((resolve) => setTimeout(resolve, 50));

	const written = Date.now();
	await writer.applyEvents('p', 1, [scoredEvent('alice', 5), scoredEvent('bob', 3)]);
	await waitFor(() => withWaker.received.length === 2);
	expect(Date.now() - written).toBeLessThan(500);
	expect(withWaker.received.map((change) => [change.contactId, change.score])).toEqual([
		['alice', 5],
		['bob', 3],
	]);
	await new Promise((resolve) => setTimeout(resolve, 200));
	expect(withoutWaker.received).toEqual([]);

	await waker.stop();
	await withWaker.feed.stop();
	await withoutWaker.feed.stop();
});

it('keeps waking the trigger across a Redis restart, and the feed resumes from its cursor without repeats', async () => {
	const settings = redisConnectionSettings({ host: server.host, port: server.port, keyPrefix: 'waker-2:' });
	const writer = new RedisStore(connect(), { keyPrefix: 'waker-2:', location: 'worker-process' });
	await writer.insertProfile(profileFixture('p'));
	const reader = openRedisStore(settings);
	const errors: unknown[] = [];
	const { feed, received } = await feedCollecting(reader, 'trigger-node-1');
	const stopWaker = startRedisChangeWaker(settings, reader, 'p', (error) => errors.push(error));
	await new Promise((resolve) => setTimeout(resolve, 100));

	await writer.applyEvents('p', 1, [scoredEvent('alice', 5)]);
	await waitFor(() => received.length === 1);

	await server.stop();
	await new Promise((resolve) => setTimeout(resolve, 300));
	await server.launch();
	const again = new RedisStore(connect(), { keyPrefix: 'waker-2:', location: 'worker-process' });
	await again.applyEvents('p', 1, [scoredEvent('alice', 2), scoredEvent('carol', 1)]);
	await waitFor(() => received.length === 3, 10_000);
	expect(received.map((change) => [change.seq, change.contactId, change.score])).toEqual([
		[1, 'alice', 5],
		[2, 'alice', 7],
		[3, 'carol', 1],
	]);
	expect(await reader.getCursor('trigger-node-1')).toBe(3);

	await stopWaker();
	await feed.stop();
	await reader.close();
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
