import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { RedisGroupFeed } from '../../src/stores/redis/group-feed';
import { RedisStore, type RedisStoreOptions } from '../../src/stores/redis/redis-store';
import { SqliteStore, type SqliteStoreOptions } from '../../src/stores/sqlite/sqlite-store';
import type { StoreUnderTest } from '../stores/conformance';
import { RedisTestServer } from './redis-server';

/** A SQLite store on a new file in a temp folder of its own, removed by cleanup. */
export async function sqliteStoreInTempFolder(options: SqliteStoreOptions = {}): Promise<StoreUnderTest> {
	const folder = mkdtempSync(join(tmpdir(), 'engagement-sqlite-'));
	const store = SqliteStore.open(join(folder, 'engagement-score.sqlite'), options);
	return {
		store,
		cleanup: async () => {
			await store.close();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}

/**
 * Redis stores on one real redis-server for the test file (started on first use, destroyed after
 * its tests): each store gets a key prefix of its own, so starts empty. Call at a file's top level.
 */
export function redisStoresForThisFile(prefix: string): (options?: RedisStoreOptions) => () => Promise<StoreUnderTest> {
	let server: Promise<RedisTestServer> | undefined;
	const clients: Redis[] = [];
	let storeCount = 0;

	afterAll(async () => {
		for (const client of clients) if (client.status !== 'end') client.disconnect();
		await (await server)?.destroy();
	});

	return (options = {}) =>
		async () => {
			server ??= RedisTestServer.start();
			const { host, port } = await server;
			const connect = () => {
				const client = new Redis({ host, port });
				clients.push(client);
				return client;
			};
			// A trigger's feed reads its consumer group on a connection of its own, as nodes/shared/redis.ts does.
			const openGroupFeed: RedisStoreOptions['openGroupFeed'] = (store, profileId, group, startAt, onChanges, feedOptions) => {
				const client = connect();
				const feed = new RedisGroupFeed(client, store, profileId, group, onChanges, { ...feedOptions, startAt, blockMs: 100 });
				return {
					start: () => feed.start(),
					stop: async () => {
						await feed.stop();
						client.disconnect();
					},
				};
			};
			const storeOptions = { keyPrefix: `${prefix}-${++storeCount}:`, openGroupFeed, ...options };
			const client = connect();
			const store = new RedisStore(client, storeOptions);
			const otherClient = connect();
			const otherWriter = new RedisStore(otherClient, { ...storeOptions, location: 'another-process' });
			return {
				store,
				otherWriter,
				cleanup: async () => {
					await store.close();
					await otherWriter.close();
					client.disconnect();
					otherClient.disconnect();
				},
			};
		};
}
