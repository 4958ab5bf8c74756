/**
 * The few Redis calls the store needs, so that src/ depends on no client library. An ioredis
 * `Redis` instance satisfies it as is; nodes/shared/redis.ts builds one from the credential.
 */
/** A Buffer travels as its bytes (see packedStrings). */
export type RedisArgument = string | number | Buffer;

/**
 * A client must also take a list as an argument, standing for its items in place, as ioredis does:
 * long argument lists travel as one list (see `listArgument`), never spread into a call, which
 * overflows the stack past some 100,000 arguments.
 */
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

/** A list passed as one argument, which the client expands in place (see RedisCommandClient). */
export function listArgument(items: readonly RedisArgument[]): RedisArgument {
	return items as unknown as RedisArgument;
}
