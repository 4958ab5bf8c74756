import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { RedisStore, type RedisStoreOptions } from '../../src/stores/redis/redis-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import type { StoreUnderTest } from '../stores/conformance';
import { RedisTestServer } from './redis-server';

/** A SQLite store on a new file in a temp folder of its own, removed by cleanup. */
export async function sqliteStoreInTempFolder(): Promise<StoreUnderTest> {
	const folder = mkdtempSync(join(tmpdir(), 'engagement-sqlite-'));
	const store = SqliteStore.open(join(folder, 'engagement-score.sqlite'));
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
			const client = new Redis({ host, port });
			clients.push(client);
			const store = new RedisStore(client, { keyPrefix: `${prefix}-${++storeCount}:`, ...options });
			return {
				store,
				cleanup: async () => {
					await store.close();
					client.disconnect();
				},
			};
		};
}
