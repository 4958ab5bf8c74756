/**
 * The few Redis calls the store needs, so that src/ depends on no client library. An ioredis
 * `Redis` instance satisfies it as is; nodes/shared/redis.ts builds one from the credential.
 */
export type RedisArgument = string | number;

export interface RedisCommandClient {
	call(command: string, ...args: RedisArgument[]): Promise<unknown>;
	pipeline(): RedisCommandPipeline;
	/** Like pipeline(), wrapped in MULTI/EXEC. */
	multi(): RedisCommandPipeline;
}

export interface RedisCommandPipeline {
	call(command: string, ...args: RedisArgument[]): unknown;
	/** One [error, reply] pair per queued command, in order. */
	exec(): Promise<Array<[Error | null, unknown]> | null>;
}
