import { createHash } from 'node:crypto';

import { listArgument, type RedisArgument, type RedisCommandClient, type RedisCommandPipeline } from './client';
import { COMMIT_LUA, INACTIVE_SNAPSHOT_LUA } from './lua-commit';
import { LUA_COMMON } from './lua-common';
import { DELETE_CONTACT_LUA, GET_CONTACT_LUA, HISTORY_LUA, LIST_CONTACTS_LUA } from './lua-contacts';
import { FOLD_JOURNAL_LUA, PRUNE_PROFILE_WIDE_LUA, READ_JOURNALS_LUA } from './lua-journal';
import { DELETE_PROFILE_LUA, INSERT_PROFILE_LUA, UPDATE_PROFILE_LUA } from './lua-profiles';

/**
 * What a script may do, declared on its first line (Redis 7's `#!lua` flags line). A script with
 * that line is checked by Redis before it runs, never halfway: without it (EVAL's compatibility
 * mode) Redis refuses a write for want of memory only if it is the script's first write, so a
 * script starting with a removal kept writing far past `maxmemory`.
 * - writes: refused whole, with an OOM error, while Redis is over `maxmemory`; once started it
 *   runs to the end, so a batch is either applied whole or not at all.
 * - reads: `no-writes`; Redis lets it run on a full server (and on replicas) and refuses any write in it.
 * - removes: `allow-oom`, for scripts that only delete (like DEL, which Redis allows on a full
 *   server): deleting a contact or profile stays a way to free memory.
 * Redis 6 cannot parse the flags line; nodes/shared/redis.ts refuses servers older than 7.0.
 */
export type ScriptAccess = 'writes' | 'reads' | 'removes';

const FLAGS_LINE: Record<ScriptAccess, string> = {
	writes: '#!lua',
	reads: '#!lua flags=no-writes',
	removes: '#!lua flags=allow-oom',
};

/** A Lua script called by its SHA1 (EVALSHA); sent whole (EVAL) only when the server lacks it. */
export class RedisScript {
	readonly source: string;
	readonly sha: string;

	constructor(body: string, access: ScriptAccess) {
		this.source = `${FLAGS_LINE[access]}\n${LUA_COMMON}${body}`;
		this.sha = createHash('sha1').update(this.source).digest('hex');
	}

	async run(client: RedisCommandClient, keys: readonly string[], args: readonly RedisArgument[]): Promise<unknown> {
		try {
			return await client.call('EVALSHA', this.sha, keys.length, listArgument(keys), listArgument(args));
		} catch (error) {
			if (!isNoScript(error)) throw error;
			return client.call('EVAL', this.source, keys.length, listArgument(keys), listArgument(args));
		}
	}

	queue(pipeline: RedisCommandPipeline, keys: readonly string[], args: readonly RedisArgument[]): void {
		pipeline.call('EVALSHA', this.sha, keys.length, listArgument(keys), listArgument(args));
	}
}

/** A script that did not run because the server's script cache lacks it (restart, SCRIPT FLUSH). */
export function isNoScript(error: unknown): boolean {
	return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

export const SCRIPTS = {
	commit: new RedisScript(COMMIT_LUA, 'writes'),
	inactiveSnapshot: new RedisScript(INACTIVE_SNAPSHOT_LUA, 'writes'),
	deleteContact: new RedisScript(DELETE_CONTACT_LUA, 'removes'),
	getContact: new RedisScript(GET_CONTACT_LUA, 'reads'),
	listContacts: new RedisScript(LIST_CONTACTS_LUA, 'reads'),
	history: new RedisScript(HISTORY_LUA, 'reads'),
	readJournals: new RedisScript(READ_JOURNALS_LUA, 'reads'),
	foldJournal: new RedisScript(FOLD_JOURNAL_LUA, 'writes'),
	pruneProfileWideJournal: new RedisScript(PRUNE_PROFILE_WIDE_LUA, 'removes'),
	insertProfile: new RedisScript(INSERT_PROFILE_LUA, 'writes'),
	updateProfile: new RedisScript(UPDATE_PROFILE_LUA, 'writes'),
	deleteProfile: new RedisScript(DELETE_PROFILE_LUA, 'removes'),
} as const;
