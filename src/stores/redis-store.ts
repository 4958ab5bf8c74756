import { randomUUID } from 'node:crypto';

import { changeNotifier } from '../change-notifier';
import {
	EngagementScoreError,
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	ProfileNotPublishedError,
	StoreUnavailableError,
} from '../errors';
import type { ScoreStore } from '../store';
import type {
	Adjustment,
	ChangeCause,
	ContactQuery,
	ContactScore,
	DecayPolicy,
	DecayResult,
	EventResult,
	ScoreChange,
	ScoredEvent,
	ScoreProfile,
} from '../types';
import { normalizeScore } from '../score-math';
import type { RedisArgument, RedisCommandClient } from './redis-client';
import { afterStreamId, numberFields, toContactScore, toScoreChange, type StreamEntry } from './redis-codec';
import {
	cursorsKey,
	DEFAULT_KEY_PREFIX,
	profileIndexKey,
	profileKeys,
	scratchKey,
	scriptKeys,
} from './redis-keys';
import { SCRIPT_ERRORS } from './redis-lua-common';
import { isNoScript, type RedisScript, SCRIPTS } from './redis-scripts';
import {
	byNameThenId,
	checkAdjustment,
	checkDecay,
	checkId,
	checkScoredEvents,
	eventCause,
	modifyCause,
	resetCause,
} from './store-input';

export const DEFAULT_EVENT_ID_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RedisStoreOptions {
	/** Prepended to every key, so several setups can share one Redis database. */
	readonly keyPrefix?: string;
	/** How long an event id is remembered for deduplication. Default 30 days. */
	readonly eventIdRetentionMs?: number;
	/** Events per Lua script call; a bigger call is sent as several scripts in one MULTI/EXEC. */
	readonly eventsPerScript?: number;
	/** Contacts per decay script call, so a large decay never blocks Redis for long. */
	readonly contactsPerDecayStep?: number;
	/** Names the server in error messages and in `key`, e.g. "redis://127.0.0.1:6379/0". */
	readonly location?: string;
	/** Called by the last close(), e.g. to release the connection. */
	readonly onClose?: () => Promise<void>;
}

/**
 * The Redis backend, for n8n in queue mode and for several n8n instances sharing scores.
 * Every write is one Lua script (atomic in Redis): see redis-keys.ts for the data model and the
 * redis-lua-*.ts files for the scripts. The client is passed in, so this file knows no client
 * library; nodes/shared/redis.ts connects one from the credential.
 */
export class RedisStore implements ScoreStore {
	readonly key: string;
	private readonly prefix: string;
	private readonly retentionMs: number;
	private readonly eventsPerScript: number;
	private readonly contactsPerDecayStep: number;
	private readonly location: string;
	private closed = false;

	constructor(
		private readonly client: RedisCommandClient,
		private readonly options: RedisStoreOptions = {},
	) {
		this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
		this.retentionMs = options.eventIdRetentionMs ?? DEFAULT_EVENT_ID_RETENTION_DAYS * DAY_MS;
		this.eventsPerScript = Math.max(1, Math.floor(options.eventsPerScript ?? 5000));
		this.contactsPerDecayStep = Math.max(1, Math.floor(options.contactsPerDecayStep ?? 1000));
		this.location = options.location ?? 'redis';
		this.key = `redis:${this.location}#${this.prefix}`;
	}

	async getProfile(profileId: string): Promise<ScoreProfile | undefined> {
		return this.use(async () => {
			const document = await this.client.call('HGET', profileKeys(this.prefix, profileId).profile, 'doc');
			return typeof document === 'string' ? (JSON.parse(document) as ScoreProfile) : undefined;
		});
	}

	async listProfiles(): Promise<ScoreProfile[]> {
		return this.use(async () => {
			const ids = (await this.client.call('SMEMBERS', profileIndexKey(this.prefix))) as string[];
			if (ids.length === 0) return [];
			const pipeline = this.client.pipeline();
			for (const id of ids) pipeline.call('HGET', profileKeys(this.prefix, id).profile, 'doc');
			const replies = replyValues(await pipeline.exec());
			return replies
				.filter((document): document is string => typeof document === 'string')
				.map((document) => JSON.parse(document) as ScoreProfile)
				.sort(byNameThenId);
		});
	}

	async insertProfile(profile: ScoreProfile): Promise<void> {
		return this.use(async () => {
			checkId(profile.id, 'id');
			// The index first: it may then name a profile that failed to be written, which
			// listProfiles skips, but never misses one that exists.
			await this.client.call('SADD', profileIndexKey(this.prefix), profile.id);
			await this.runScript(SCRIPTS.insertProfile, profile.id, [
				JSON.stringify(profile),
				profile.status,
				profile.version,
				profile.version > 0 ? publishedVersionRecord(profile) : '',
			]);
		});
	}

	async updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile> {
		return this.use(async () => {
			const key = profileKeys(this.prefix, profileId).profile;
			for (;;) {
				const [document, rev] = (await this.client.call('HMGET', key, 'doc', 'rev')) as Array<string | null>;
				if (document === null || rev === null) throw new ProfileNotFoundError(profileId);
				const current = JSON.parse(document) as ScoreProfile;
				const updated = callerCode(() => change(current));
				if (updated.id !== profileId) {
					throw new InvalidInputError(`A profile's id cannot change (from "${profileId}" to "${updated.id}")`, 'id');
				}
				const newVersion = updated.version !== current.version && updated.version > 0;
				try {
					await this.runScript(SCRIPTS.updateProfile, profileId, [
						rev,
						JSON.stringify(updated),
						updated.status,
						updated.version,
						newVersion ? publishedVersionRecord(updated) : '',
					]);
					return updated;
				} catch (error) {
					// Someone else wrote the profile since we read it: run the change again on theirs.
					if (scriptErrorCode(error) !== SCRIPT_ERRORS.profileChanged) throw error;
				}
			}
		});
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		return this.use(async () => {
			const existed = (await this.runScript(SCRIPTS.deleteProfile, profileId, [])) === 1;
			await this.client.call('SREM', profileIndexKey(this.prefix), profileId);
			return existed;
		});
	}

	async applyEvents(profileId: string, publishedVersion: number, events: readonly ScoredEvent[]): Promise<EventResult[]> {
		return this.use(async () => {
			checkScoredEvents(events);
			const chunks: ScoredEvent[][] = [];
			for (let start = 0; start < events.length; start += this.eventsPerScript) {
				chunks.push(events.slice(start, start + this.eventsPerScript));
			}
			if (chunks.length === 0) {
				// Still refuse an unknown or unpublished profile, as for a non-empty batch.
				chunks.push([]);
			}
			const argsOf = (chunk: readonly ScoredEvent[]): RedisArgument[] => [
				publishedVersion,
				this.retentionMs,
				JSON.stringify(chunk.map(eventArgument)),
			];
			const replies =
				chunks.length === 1
					? [(await this.runScript(SCRIPTS.applyEvents, profileId, argsOf(chunks[0]))) as string]
					: ((await this.runScriptsAtomically(SCRIPTS.applyEvents, profileId, chunks.map(argsOf))) as string[]);
			const replyParts = replies.flatMap((reply) => (reply === '' ? [] : reply.split(';')));
			let logged = false;
			const eventResults = events.map((event, index) => {
				const result = toEventResult(event, replyParts[index]);
				logged ||= result.changeSeq !== undefined;
				return result;
			});
			if (logged) changeNotifier.notify(this.key, profileId);
			return eventResults;
		});
	}

	async adjustScore(
		profileId: string,
		adjustment: Adjustment,
	): Promise<{ previousScore: number; score: number; change?: ScoreChange }> {
		return this.use(async () => {
			checkAdjustment(adjustment);
			const cause = modifyCause(adjustment);
			const reply = (await this.runScript(SCRIPTS.adjustScore, profileId, [
				adjustment.contactId,
				adjustment.operation,
				adjustment.points,
				adjustment.at,
				(adjustment.countsAsActivity ?? true) ? '1' : '0',
				JSON.stringify(cause),
			])) as string;
			const [previousScore, score, seq] = numberFields(reply) as [number, number, number | undefined];
			if (seq === undefined) return { previousScore, score };
			changeNotifier.notify(this.key, profileId);
			const change = newChange(seq, profileId, adjustment.contactId, previousScore, score, cause, adjustment.at);
			return { previousScore, score, change };
		});
	}

	async resetContact(profileId: string, contactId: string, at: number, reason?: string): Promise<ScoreChange | undefined> {
		return this.use(async () => {
			checkId(contactId, 'contactId');
			const cause = resetCause(reason);
			const reply = await this.runScript(SCRIPTS.resetContact, profileId, [contactId, at, JSON.stringify(cause)]);
			if (typeof reply !== 'string') return undefined;
			const [previousScore, seq] = numberFields(reply) as [number, number];
			changeNotifier.notify(this.key, profileId);
			return newChange(seq, profileId, contactId, previousScore, 0, cause, at);
		});
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		return this.use(async () => (await this.runScript(SCRIPTS.deleteContact, profileId, [contactId])) === 1);
	}

	async applyDecay(profileId: string, policy: DecayPolicy, inactiveBefore: number, at: number): Promise<DecayResult> {
		return this.use(async () => {
			checkDecay(policy, inactiveBefore, at);
			const snapshot = scratchKey(this.prefix, profileId, `decay-${randomUUID()}`);
			const extraKeys = [snapshot];
			const size = (await this.runScript(SCRIPTS.decaySnapshot, profileId, [inactiveBefore, DAY_MS], extraKeys)) as number;
			const amount = policy.mode === 'subtract' ? policy.points : policy.factor;
			const cause = JSON.stringify({ kind: 'decay', mode: policy.mode } satisfies ChangeCause);
			let contactsInactive = 0;
			let contactsDecayed = 0;
			let totalDelta = 0;
			let firstChangeSeq: number | undefined;
			let lastChangeSeq: number | undefined;
			try {
				for (let first = 0; first < size; first += this.contactsPerDecayStep) {
					const last = Math.min(size, first + this.contactsPerDecayStep) - 1;
					const args = [first, last, policy.mode, amount, policy.floor, inactiveBefore, at, cause];
					let reply: string[];
					try {
						reply = (await this.runScript(SCRIPTS.decayChunk, profileId, args, extraKeys)) as string[];
					} catch (error) {
						// Each step is atomic, but the steps before it stay written: say how far the decay got.
						if (contactsDecayed === 0) throw error;
						throw new StoreUnavailableError(
							`The decay stopped part way: ${contactsDecayed} contacts were decayed (changes ${firstChangeSeq} to ${lastChangeSeq}; a new run now would decay them again), the others were not: ${messageOf(this.translate(error))}`,
							'store',
						);
					}
					const [inactive, decayed, delta, firstSeq, lastSeq] = reply;
					contactsInactive += Number(inactive);
					contactsDecayed += Number(decayed);
					totalDelta = normalizeScore(totalDelta + Number(delta));
					if (firstSeq !== '') firstChangeSeq ??= Number(firstSeq);
					if (lastSeq !== '') lastChangeSeq = Number(lastSeq);
					if (Number(decayed) > 0) changeNotifier.notify(this.key, profileId);
				}
			} finally {
				if (size > 0) await this.client.call('UNLINK', snapshot).catch(() => undefined);
			}
			return {
				contactsInactive,
				contactsDecayed,
				totalDelta,
				...(firstChangeSeq === undefined ? {} : { firstChangeSeq, lastChangeSeq }),
			};
		});
	}

	async getContact(profileId: string, contactId: string): Promise<ContactScore | undefined> {
		return this.use(async () => {
			const reply = await this.runScript(SCRIPTS.getContact, profileId, [contactId]);
			if (!Array.isArray(reply)) return undefined;
			const [score, meta] = reply as [string, string];
			return toContactScore(profileId, contactId, score, meta);
		});
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactScore[]> {
		return this.use(async () => {
			const rows = (await this.runScript(SCRIPTS.listContacts, profileId, [
				query.order === 'asc' ? 'asc' : 'desc',
				query.minScore === undefined ? '-inf' : String(query.minScore),
				query.maxScore === undefined ? '+inf' : String(query.maxScore),
				Math.max(0, Math.floor(query.offset ?? 0)),
				Math.max(0, Math.floor(query.limit)),
			])) as string[];
			const contacts: ContactScore[] = [];
			for (let index = 0; index < rows.length; index += 3) {
				contacts.push(toContactScore(profileId, rows[index], rows[index + 1], rows[index + 2]));
			}
			return contacts;
		});
	}

	async getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]> {
		return this.use(async () => {
			const count = Math.max(0, Math.floor(limit));
			if (count === 0) return [];
			const entries = (await this.runScript(SCRIPTS.history, profileId, [contactId, count])) as StreamEntry[];
			return entries.map((entry) => toScoreChange(profileId, entry));
		});
	}

	async readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]> {
		return this.use(async () => {
			const count = Math.max(0, Math.floor(limit));
			if (count === 0) return [];
			const log = profileKeys(this.prefix, profileId).log;
			const entries = (await this.client.call('XRANGE', log, afterStreamId(afterSeq), '+', 'COUNT', count)) as StreamEntry[];
			return entries.map((entry) => toScoreChange(profileId, entry));
		});
	}

	async latestChangeSeq(profileId: string): Promise<number> {
		return this.use(async () => {
			const log = profileKeys(this.prefix, profileId).log;
			const [newest] = (await this.client.call('XREVRANGE', log, '+', '-', 'COUNT', 1)) as StreamEntry[];
			return newest ? toScoreChange(profileId, newest).seq : 0;
		});
	}

	async getCursor(consumerId: string): Promise<number | undefined> {
		return this.use(async () => {
			const seq = await this.client.call('HGET', cursorsKey(this.prefix), consumerId);
			return typeof seq === 'string' ? Number(seq) : undefined;
		});
	}

	async saveCursor(consumerId: string, seq: number): Promise<void> {
		return this.use(async () => {
			await this.client.call('HSET', cursorsKey(this.prefix), consumerId, seq);
		});
	}

	/** The profile's change-log Stream, which triggers read through consumer groups (see RedisGroupFeed). */
	changeLogKey(profileId: string): string {
		return profileKeys(this.prefix, profileId).log;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.options.onClose?.();
	}

	private async runScript(
		script: RedisScript,
		profileId: string,
		args: readonly RedisArgument[],
		extraKeys: readonly string[] = [],
	): Promise<unknown> {
		try {
			return await script.run(this.client, [...scriptKeys(profileKeys(this.prefix, profileId)), ...extraKeys], args);
		} catch (error) {
			throw refusalOf(error, profileId) ?? error;
		}
	}

	/**
	 * Several calls of one script as one MULTI/EXEC: Redis runs them back to back with nothing in
	 * between, so a large batch is as atomic as a small one, and a connection lost before EXEC
	 * writes nothing. A refused script (its check failed) wrote nothing, and the checks are
	 * the same for every call in one batch, so the first refusal is the batch's answer.
	 */
	private async runScriptsAtomically(
		script: RedisScript,
		profileId: string,
		argLists: ReadonlyArray<readonly RedisArgument[]>,
	): Promise<unknown[]> {
		const keys = scriptKeys(profileKeys(this.prefix, profileId));
		for (let attempt = 0; ; attempt++) {
			const transaction = this.client.multi();
			for (const args of argLists) script.queue(transaction, keys, args);
			const replies = await transaction.exec();
			if (!replies) throw new StoreUnavailableError(`${this.location}: the transaction was aborted`, 'store');
			const failure = replies.find(([error]) => error)?.[0];
			if (!failure) return replies.map(([, value]) => value);
			// Not loaded (Redis restarted): no script of the transaction ran. Load it and go again.
			if (isNoScript(failure) && attempt === 0) {
				await this.client.call('SCRIPT', 'LOAD', script.source);
				continue;
			}
			throw refusalOf(failure, profileId) ?? failure;
		}
	}

	/** Engine errors pass through; script refusals become engine errors; anything else is StoreUnavailableError. */
	private async use<T>(work: () => Promise<T>): Promise<T> {
		if (this.closed) throw new StoreUnavailableError(`The Redis store ${this.location} is closed`, 'store');
		try {
			return await work();
		} catch (error) {
			throw this.translate(error);
		}
	}

	private translate(error: unknown): unknown {
		if (error instanceof CallerCodeError) return error.original;
		if (error instanceof EngagementScoreError) return error;
		return new StoreUnavailableError(`${this.location} failed: ${messageOf(error)}`, 'store');
	}
}

function toEventResult(event: ScoredEvent, reply: string): EventResult {
	const { contactId, eventId } = event;
	const withId = eventId === undefined ? {} : { eventId };
	if (reply.startsWith('d,')) {
		const score = Number(reply.slice(2));
		return { contactId, ...withId, duplicate: true, previousScore: score, score, delta: 0, matchedRuleIds: [] };
	}
	const [previousScore, score, seq] = numberFields(reply) as [number, number, number | undefined];
	return {
		contactId,
		...withId,
		duplicate: false,
		previousScore,
		score,
		delta: normalizeScore(score - previousScore),
		matchedRuleIds: [...event.matchedRuleIds],
		...(seq === undefined ? {} : { changeSeq: seq }),
	};
}

function eventArgument(event: ScoredEvent): [string | false, string, number, number, string] {
	return [event.eventId ?? false, event.contactId, event.delta, event.occurredAt, JSON.stringify(eventCause(event))];
}

function newChange(
	seq: number,
	profileId: string,
	contactId: string,
	previousScore: number,
	score: number,
	cause: ChangeCause,
	at: number,
): ScoreChange {
	return { seq, profileId, contactId, previousScore, score, delta: normalizeScore(score - previousScore), cause, at };
}

function publishedVersionRecord(profile: ScoreProfile): string {
	return JSON.stringify({ version: profile.version, publishedAt: profile.publishedAt, rules: profile.publishedRules ?? [] });
}

function replyValues(replies: Array<[Error | null, unknown]> | null): unknown[] {
	if (!replies) throw new Error('the pipeline was aborted');
	return replies.map(([error, value]) => {
		if (error) throw error;
		return value;
	});
}

/** A script's deliberate refusal (see SCRIPT_ERRORS) as the engine error it stands for. */
function refusalOf(error: unknown, profileId: string): EngagementScoreError | undefined {
	const code = scriptErrorCode(error);
	if (code === SCRIPT_ERRORS.profileNotFound) return new ProfileNotFoundError(profileId);
	if (code === SCRIPT_ERRORS.profileNotPublished) return new ProfileNotPublishedError(profileId);
	if (code === SCRIPT_ERRORS.profileExists) return new ProfileAlreadyExistsError(profileId);
	return undefined;
}

/** Redis may prefix a script's error reply with "ERR ". */
function scriptErrorCode(error: unknown): string | undefined {
	const message = error instanceof Error ? error.message : '';
	return /^(?:ERR )?(ES_[A-Z_]+)/.exec(message)?.[1];
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Carries an error thrown by the caller's own callback through `use`, which must not disguise it. */
class CallerCodeError {
	constructor(readonly original: unknown) {}
}

function callerCode<T>(work: () => T): T {
	try {
		return work();
	} catch (error) {
		throw new CallerCodeError(error);
	}
}
