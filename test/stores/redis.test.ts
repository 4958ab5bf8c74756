import Redis from 'ioredis';

import { RedisStore, type RedisStoreOptions } from '../../src/stores/redis/redis-store';
import { RedisTestServer } from '../helpers/redis-server';
import { describeStoreConformance } from './conformance';

/** One real redis-server for the file; every test gets its own key prefix, so an empty store. */
let server: Promise<RedisTestServer> | undefined;
const clients: Redis[] = [];
let storeCount = 0;

afterAll(async () => {
	for (const client of clients) if (client.status !== 'end') client.disconnect();
	await (await server)?.destroy();
});

function redisStore(options: RedisStoreOptions) {
	return async () => {
		server ??= RedisTestServer.start();
		const { host, port } = await server;
		const client = new Redis({ host, port });
		clients.push(client);
		const store = new RedisStore(client, { keyPrefix: `conformance-${++storeCount}:`, ...options });
		return {
			store,
			cleanup: async () => {
				await store.close();
				client.disconnect();
			},
		};
	};
}

describeStoreConformance('Redis (real redis-server)', redisStore({}));

// The same promises when the inactive contacts of a decay are read in many pages.
describeStoreConformance('Redis, inactive contacts read 2 per page', redisStore({ inactiveContactsPerPage: 2 }));
