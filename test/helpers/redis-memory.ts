import { Redis } from 'ioredis';

import { profileKeys } from '../../src/stores/redis/keys';
import { RedisTestServer } from './redis-server';

/**
 * A real redis-server with a memory limit and `maxmemory-policy noeviction` (what the README asks
 * for), and a plain client to fill it and read it back: `fill()` makes it full, `free()` frees
 * memory again, `reset()` (after each test) also puts the limit back.
 */
export class LimitedRedis {
	static readonly MAXMEMORY = '64mb';
	private static readonly FILLER = 'test-owned:filler';

	private constructor(
		readonly server: RedisTestServer,
		readonly admin: Redis,
	) {}

	static async start(): Promise<LimitedRedis> {
		const server = await RedisTestServer.start({
			extraArgs: ['--maxmemory', LimitedRedis.MAXMEMORY, '--maxmemory-policy', 'noeviction'],
		});
		return new LimitedRedis(server, new Redis({ host: server.host, port: server.port }));
	}

	/**
	 * Makes Redis full: 8 MB in a hash the test owns, then maxmemory 4 MB below what Redis uses, so
	 * every write is refused until `free()` (which brings Redis 4 MB under it). The margins are
	 * wide because Redis's own use moves by itself: it shrinks an idle client's buffers, for one.
	 */
	async fill(): Promise<void> {
		const chunk = 'x'.repeat(32 * 1024);
		const pipeline = this.admin.pipeline();
		for (let index = 0; index < 256; index++) pipeline.hset(LimitedRedis.FILLER, `part-${index}`, chunk);
		await pipeline.exec();
		await this.admin.config('SET', 'maxmemory', String((await this.usedMemory()) - 4 * 1024 * 1024));
		const probe = await this.admin.set(`${LimitedRedis.FILLER}:probe`, '1').catch((error: Error) => error);
		if (!(probe instanceof Error && probe.message.startsWith('OOM '))) throw new Error(`Redis is not full: SET answered ${String(probe)}`);
	}

	/** Deletes the filler: Redis is under its (lowered) limit again. */
	async free(): Promise<void> {
		await this.admin.del(LimitedRedis.FILLER);
	}

	/** After each test: the filler gone and the limit as started. */
	async reset(): Promise<void> {
		await this.free();
		await this.admin.config('SET', 'maxmemory', LimitedRedis.MAXMEMORY);
	}

	async destroy(): Promise<void> {
		this.admin.disconnect();
		await this.server.destroy();
	}

	/** Everything the store keeps for a profile's contacts, read straight from Redis, to compare before and after. */
	async storedState(prefix: string, profileId: string) {
		const keys = profileKeys(prefix, profileId);
		return {
			scores: await this.admin.zrange(keys.scores, 0, -1, 'WITHSCORES'),
			contacts: await this.admin.hgetall(keys.contacts),
			idle: await this.admin.zrange(keys.idle, 0, -1, 'WITHSCORES'),
			changeLogLength: await this.admin.xlen(keys.log),
			history: await this.admin.zrange(keys.history, 0, -1),
			seenEventIds: await this.admin.zrange(keys.seenEvents, 0, -1),
			seq: await this.admin.get(keys.seq),
			keys: (await this.admin.keys(`${prefix}*`)).sort(),
		};
	}

	private async usedMemory(): Promise<number> {
		return Number(/^used_memory:(\d+)/m.exec(await this.admin.info('memory'))?.[1]);
	}
}
