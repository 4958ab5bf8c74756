import type { Redis } from 'ioredis';

import { profileKeys } from '../../src/stores/redis-keys';

/**
 * Makes the Redis behind `client` full, for a server started with `--maxmemory-policy noeviction`:
 * 2 MB in `fillerKey` (a hash the test owns), then maxmemory half a megabyte below what Redis uses,
 * so every write is refused until the filler is deleted (which brings Redis 1.5 MB under the limit).
 * Restore the limit with `CONFIG SET maxmemory` when done.
 */
export async function fillRedis(client: Redis, fillerKey: string): Promise<void> {
	const chunk = 'x'.repeat(32 * 1024);
	const pipeline = client.pipeline();
	for (let index = 0; index < 64; index++) pipeline.hset(fillerKey, `part-${index}`, chunk);
	await pipeline.exec();
	await client.config('SET', 'maxmemory', String((await usedMemory(client)) - 512 * 1024));
	const probe = await client.set(`${fillerKey}:probe`, '1').catch((error: Error) => error);
	if (!(probe instanceof Error && probe.message.startsWith('OOM '))) throw new Error(`Redis is not full: SET answered ${String(probe)}`);
}

export async function usedMemory(client: Redis): Promise<number> {
	return Number(/^used_memory:(\d+)/m.exec(await client.info('memory'))?.[1]);
}

/** Everything the store keeps for a profile's contacts, read straight from Redis, to compare before and after. */
export async function storedProfileState(client: Redis, prefix: string, profileId: string) {
	const keys = profileKeys(prefix, profileId);
	return {
		scores: await client.zrange(keys.scores, 0, -1, 'WITHSCORES'),
		contacts: await client.hgetall(keys.contacts),
		idle: await client.zrange(keys.idle, 0, -1, 'WITHSCORES'),
		changeLogLength: await client.xlen(keys.log),
		history: await client.zrange(keys.history, 0, -1),
		seenEventIds: await client.zrange(keys.seenEvents, 0, -1),
		seq: await client.get(keys.seq),
		keys: (await client.keys(`${prefix}*`)).sort(),
	};
}
