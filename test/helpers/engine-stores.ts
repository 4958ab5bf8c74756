import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import type { ScoreStore } from '../../src/store';
import { RedisStore } from '../../src/stores/redis/redis-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { RedisTestServer } from './redis-server';

export interface StoreKind {
	readonly name: string;
	open(): Promise<{ store: ScoreStore; cleanup(): void }>;
}

/**
 * The three stores for engine tests, each opened fresh: static data, a SQLite file in a temp
 * folder, a Redis store with a key prefix of its own on one redis-server for the test file
 * (started on first use, destroyed after its tests). Call at a file's top level.
 */
export function storeKindsForThisFile(prefix: string): StoreKind[] {
	let redisServer: Promise<RedisTestServer> | undefined;
	const redisClients: Redis[] = [];
	let redisPrefixes = 0;
	afterAll(async () => {
		for (const client of redisClients) client.disconnect();
		await (await redisServer)?.destroy();
	});
	return [
		{ name: 'static data', open: async () => ({ store: new StaticDataStore({}), cleanup: () => undefined }) },
		{
			name: 'SQLite',
			open: async () => {
				const folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
				return { store: SqliteStore.open(join(folder, 'scores.sqlite')), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
			},
		},
		{
			name: 'Redis',
			open: async () => {
				redisServer ??= RedisTestServer.start();
				const { host, port } = await redisServer;
				const client = new Redis({ host, port });
				redisClients.push(client);
				return { store: new RedisStore(client, { keyPrefix: `${prefix}-${++redisPrefixes}:` }), cleanup: () => client.disconnect() };
			},
		},
	];
}
