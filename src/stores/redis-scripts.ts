import { createHash } from 'node:crypto';

import type { RedisArgument, RedisCommandClient, RedisCommandPipeline } from './redis-client';
import { LUA_COMMON } from './redis-lua-common';
import { ADJUST_SCORE_LUA, DELETE_CONTACT_LUA, GET_CONTACT_LUA, HISTORY_LUA, LIST_CONTACTS_LUA, RESET_CONTACT_LUA } from './redis-lua-contacts';
import { DECAY_CHUNK_LUA, DECAY_SNAPSHOT_LUA } from './redis-lua-decay';
import { APPLY_EVENTS_LUA } from './redis-lua-events';
import { DELETE_PROFILE_LUA, INSERT_PROFILE_LUA, UPDATE_PROFILE_LUA } from './redis-lua-profiles';

/** A Lua script called by its SHA1 (EVALSHA); sent whole (EVAL) only when the server lacks it. */
export class RedisScript {
	readonly source: string;
	readonly sha: string;

	constructor(body: string) {
		this.source = LUA_COMMON + body;
		this.sha = createHash('sha1').update(this.source).digest('hex');
	}

	async run(client: RedisCommandClient, keys: readonly string[], args: readonly RedisArgument[]): Promise<unknown> {
		try {
			return await client.call('EVALSHA', this.sha, keys.length, ...keys, ...args);
		} catch (error) {
			if (!isNoScript(error)) throw error;
			return client.call('EVAL', this.source, keys.length, ...keys, ...args);
		}
	}

	queue(pipeline: RedisCommandPipeline, keys: readonly string[], args: readonly RedisArgument[]): void {
		pipeline.call('EVALSHA', this.sha, keys.length, ...keys, ...args);
	}
}

/** A script that did not run because the server's script cache lacks it (restart, SCRIPT FLUSH). */
export function isNoScript(error: unknown): boolean {
	return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

export const SCRIPTS = {
	applyEvents: new RedisScript(APPLY_EVENTS_LUA),
	adjustScore: new RedisScript(ADJUST_SCORE_LUA),
	resetContact: new RedisScript(RESET_CONTACT_LUA),
	deleteContact: new RedisScript(DELETE_CONTACT_LUA),
	getContact: new RedisScript(GET_CONTACT_LUA),
	listContacts: new RedisScript(LIST_CONTACTS_LUA),
	history: new RedisScript(HISTORY_LUA),
	decaySnapshot: new RedisScript(DECAY_SNAPSHOT_LUA),
	decayChunk: new RedisScript(DECAY_CHUNK_LUA),
	insertProfile: new RedisScript(INSERT_PROFILE_LUA),
	updateProfile: new RedisScript(UPDATE_PROFILE_LUA),
	deleteProfile: new RedisScript(DELETE_PROFILE_LUA),
} as const;
