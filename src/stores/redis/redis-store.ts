import { randomUUID } from 'node:crypto';

import type { ConsumerFeed, FeedOptions, FeedStart } from '../../change-feed';
import {
	EngagementScoreError,
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	StoreUnavailableError,
} from '../../errors';
import type { ContactState } from '../../scoring/contact-state';
import type { ContactJournals, JournalCarried, JournalEntry, JournalRecord } from '../../journal';
import type { Committed, IdList, Plan, ProfileHeader, ScoreStore, Snapshot, TransactionKeys } from '../../store';
import type { ContactQuery, ProfileStatus, ScoreChange, ScoreProfile } from '../../types';
import { idleSince } from '../../scoring/contact-state';
import { byNameThenId, compareStrings } from '../ordering';
import { DEFAULT_EVENT_ID_RETENTION_MS } from '../event-id-retention';
import { movedGroups } from '../group-index';
import { checkFold, decodeJournalLines, encodeJournalEntry, journalElementWithoutSeq, journalSeqAhead } from '../journal-codec';
import { checkId, checkPlan, idArray, snapshotGuard } from '../plan-checks';
import { listArgument, type RedisArgument, type RedisCommandClient } from './client';
import {
	afterStreamId,
	decodeContactState,
	encodeChangeRecord,
	encodeContactState,
	packedStrings,
	toScoreChange,
	type StreamEntry,
} from './codec';
import {
	cursorsKey,
	DEFAULT_KEY_PREFIX,
	groupIndexKey,
	groupIndexName,
	journalKeys,
	profileIndexKey,
	profileKeys,
	scratchKey,
	scriptKeys,
} from './keys';
import { contactQueueFor } from './contact-queue';
import { SCRIPT_ERRORS } from './lua-common';
import { type RedisScript, SCRIPTS } from './scripts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RedisStoreOptions {
	/** Prepended to every key, so several setups can share one Redis database. */
	readonly keyPrefix?: string;
	/** How long an event id is remembered for deduplication. Default 30 days. */
	readonly eventIdRetentionMs?: number;
	/** Contacts read per page when listing the inactive contacts of a large profile. */
	readonly inactiveContactsPerPage?: number;
	/** Names the server in error messages and in `key`, e.g. "redis://127.0.0.1:6379/0". */
	readonly location?: string;
	/** Called by the last close(), e.g. to release the connection. */
	readonly onClose?: () => Promise<void>;
	/**
	 * Opens a consumer group's feed (RedisGroupFeed) on a connection of its own, whose blocking read
	 * holds it: the caller knows how to connect one (nodes/shared/redis.ts does, from the credential).
	 */
	readonly openGroupFeed?: (
		store: RedisStore,
		profileId: string,
		group: string,
		startAt: FeedStart,
		onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		options: Pick<FeedOptions, 'batchSize' | 'onError'>,
	) => ConsumerFeed;
}

/** Conflicting commits of one transaction retried before giving up (each retry re-reads only what moved). */
const MAX_COMMIT_ATTEMPTS = 100;

/**
 * The Redis backend, for n8n in queue mode and for several n8n instances sharing scores.
 * A transaction reads its snapshot in one pipelined round trip, computes in JS, and commits with
 * one generic check-and-write script (lua-commit.ts): optimistic concurrency, so no lock and no
 * dedicated connection. See keys.ts for the data model. The client is passed in, so this file
 * knows no client library; nodes/shared/redis.ts connects one from the credential.
 */
export class RedisStore implements ScoreStore {
	readonly key: string;
	private readonly prefix: string;
	private readonly retentionMs: number;
	private readonly inactiveContactsPerPage: number;
	/** Commits refused because something they read had moved, and so retried (for benchmarks and tests). */
	commitRetries = 0;
	private readonly location: string;
	private closed = false;

	constructor(
		private readonly client: RedisCommandClient,
		private readonly options: RedisStoreOptions = {},
	) {
		this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
		this.retentionMs = options.eventIdRetentionMs ?? DEFAULT_EVENT_ID_RETENTION_MS;
		this.inactiveContactsPerPage = Math.max(1, Math.floor(options.inactiveContactsPerPage ?? 10_000));
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
			const existed = (await this.runScript(SCRIPTS.deleteProfile, profileId, [], this.writeKeys(profileId))) === 1;
			await this.client.call('SREM', profileIndexKey(this.prefix), profileId);
			return existed;
		});
	}

	async transact<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>> {
		return this.use(async () => {
			const leave = await contactQueueFor(this.key).enter(idArray(keys.contactIds).map((contactId) => `${profileId}\n${contactId}`));
			try {
				return await this.commitPlan(profileId, keys, plan);
			} finally {
				leave();
			}
		});
	}

	async inactiveContactIds(profileId: string, before: number): Promise<string[]> {
		return this.use(async () => {
			const snapshot = scratchKey(this.prefix, profileId, `inactive-${randomUUID()}`);
			const size = (await this.runScript(SCRIPTS.inactiveSnapshot, profileId, [before, DAY_MS], [snapshot])) as number;
			const ids: string[] = [];
			try {
				for (let first = 0; first < size; first += this.inactiveContactsPerPage) {
					const last = Math.min(size, first + this.inactiveContactsPerPage) - 1;
					for (const id of (await this.client.call('ZRANGE', snapshot, first, last)) as string[]) ids.push(id);
				}
			} finally {
				if (size > 0) await this.client.call('UNLINK', snapshot).catch(() => undefined);
			}
			return ids.sort(compareStrings);
		});
	}

	async expiringContactIds(profileId: string, dueBy: number, limit: number): Promise<string[]> {
		return this.use(async () => {
			const count = Math.max(0, Math.floor(limit));
			if (count === 0) return [];
			const key = profileKeys(this.prefix, profileId).expiry;
			// Earliest due first; ZRANGE BYSCORE orders ties by member, i.e. by contact id bytes.
			return (await this.client.call('ZRANGE', key, '-inf', String(dueBy), 'BYSCORE', 'LIMIT', 0, count)) as string[];
		});
	}

	async readJournals(profileId: string, contactIds: IdList): Promise<ContactJournals> {
		return this.use(async () => {
			const ids = idArray(contactIds);
			const reply = (await this.runScript(SCRIPTS.readJournals, profileId, [packedStrings(ids)], this.writeKeys(profileId))) as string[];
			const byContact = new Map<string, JournalRecord[]>();
			if (reply.length === 0) return { byContact, profileWide: [] };
			ids.forEach((contactId, index) => {
				const elements = reply[index + 1];
				if (elements.length > 0) byContact.set(contactId, decodeJournalLines(contactId, elements));
			});
			return { byContact, profileWide: decodeJournalLines('', reply[0]) };
		});
	}

	async journalContactIds(profileId: string, afterContactId: string | undefined, limit: number): Promise<string[]> {
		return this.use(async () => {
			const count = Math.max(0, Math.floor(limit));
			if (count === 0) return [];
			const [, , contacts] = journalKeys(this.prefix, profileId);
			// BYLEX orders by bytes: UTF-8's order, the code point order every store lists in.
			const start = afterContactId === undefined ? '-' : `(${afterContactId}`;
			return (await this.client.call('ZRANGE', contacts, start, '+', 'BYLEX', 'LIMIT', 0, count)) as string[];
		});
	}

	async foldJournal(profileId: string, contactId: string, throughSeq: number, carried: JournalCarried): Promise<void> {
		return this.use(async () => {
			checkFold(contactId, throughSeq, carried);
			try {
				await this.runScript(
					SCRIPTS.foldJournal,
					profileId,
					[contactId, throughSeq, journalElementWithoutSeq(encodeJournalEntry(carried))],
					this.writeKeys(profileId),
				);
			} catch (error) {
				if (scriptErrorCode(error) !== SCRIPT_ERRORS.journalSeqAhead) throw error;
				throw journalSeqAhead(throughSeq, Number(/ES_JOURNAL_SEQ_AHEAD (\d+)/.exec(messageOf(error))?.[1] ?? 0));
			}
		});
	}

	async pruneProfileWideJournal(profileId: string, before: number): Promise<number> {
		return this.use(async () => (await this.runScript(SCRIPTS.pruneProfileWideJournal, profileId, [before], this.writeKeys(profileId))) as number);
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		return this.use(
			async () => (await this.runScript(SCRIPTS.deleteContact, profileId, [contactId], this.writeKeys(profileId))) === 1,
		);
	}

	async getContact(profileId: string, contactId: string): Promise<ContactState | undefined> {
		return this.use(async () => {
			const reply = await this.runScript(SCRIPTS.getContact, profileId, [contactId]);
			if (!Array.isArray(reply)) return undefined;
			const [score, state] = reply as [string, string];
			return decodeContactState(contactId, score, state);
		});
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactState[]> {
		return this.use(async () => {
			const time = (value: number | undefined) => (value === undefined ? '' : String(value));
			const { group } = query;
			const lowest = (bound: number | undefined) => (bound === undefined ? '-inf' : String(bound));
			const highest = (bound: number | undefined) => (bound === undefined ? '+inf' : String(bound));
			const rows = (await this.runScript(
				SCRIPTS.listContacts,
				profileId,
				[
					query.order === 'asc' ? 'asc' : 'desc',
					group === undefined ? lowest(query.minScore) : lowest(query.minGroupScore),
					group === undefined ? upperScoreBound(query) : highest(query.maxGroupScore),
					Math.max(0, Math.floor(query.offset ?? 0)),
					Math.max(0, Math.floor(query.limit)),
					time(query.lastActivityAfter),
					time(query.lastActivityBefore),
					time(query.firstSeenAfter),
					time(query.firstSeenBefore),
					...(group === undefined ? [] : [lowest(query.minScore), upperScoreBound(query)]),
				],
				group === undefined ? [] : [`${groupIndexKey(this.prefix, profileId)}:${groupIndexName(group)}`],
			)) as string[];
			const contacts: ContactState[] = [];
			for (let index = 0; index < rows.length; index += 3) {
				contacts.push(decodeContactState(rows[index], rows[index + 1], rows[index + 2]));
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

	/** Through a consumer group named after the consumer, on the profile's change-log Stream: no polling. */
	openFeed(
		profileId: string,
		consumerId: string,
		startAt: FeedStart,
		onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		options: FeedOptions = {},
	): ConsumerFeed {
		if (!this.options.openGroupFeed) throw new StoreUnavailableError(`${this.location}: this store was opened without a way to read its Stream`, 'store');
		return this.options.openGroupFeed(this, profileId, consumerId, startAt, onChanges, { batchSize: options.batchSize, onError: options.onError });
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

	/** The keys after scriptKeys() of the scripts that write or remove contacts: the group index (KEYS[11]) and the journal's (KEYS[12..14]). */
	private writeKeys(profileId: string): string[] {
		return [groupIndexKey(this.prefix, profileId), ...journalKeys(this.prefix, profileId)];
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

	/** Reads, plans and commits; on a conflict re-reads only what moved and plans again. */
	private async commitPlan<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>> {
		const guard = snapshotGuard(keys);
		const read = new RedisSnapshot();
		await this.readSnapshot(profileId, read, idArray(keys.contactIds), idArray(keys.eventIds), true);
		for (let attempt = 1; ; attempt++) {
			const planned = callerCode(() =>
				plan({
					profile: read.profile,
					contact: (contactId) => {
						guard.contact(contactId);
						return read.contacts.get(contactId);
					},
					isSeen: (eventId) => {
						guard.event(eventId);
						return read.seen.has(eventId);
					},
				}),
			);
			checkPlan(planned, guard);
			const { contacts, changes, seenEventIds, journal = [] } = planned;
			if (contacts.length + changes.length + seenEventIds.length + journal.length === 0) return { result: planned.result, firstChangeSeq: 0 };
			if (read.profile === undefined) throw new ProfileNotFoundError(profileId);
			const reply = (await this.runScript(SCRIPTS.commit, profileId, commitArguments(read, planned, this.retentionMs), this.writeKeys(profileId))) as string[];
			if (reply[0] === 'ok') return { result: planned.result, firstChangeSeq: Number(reply[1]) };
			if (attempt >= MAX_COMMIT_ATTEMPTS) {
				throw new StoreUnavailableError(
					`${this.location}: gave up after ${attempt} attempts, other writers kept changing the same contacts; nothing was written`,
					'store',
				);
			}
			this.commitRetries++;
			const separator = reply.indexOf('|');
			await this.readSnapshot(profileId, read, reply.slice(2, separator), reply.slice(separator + 1), reply[1] === 'profile');
		}
	}

	/**
	 * Reads (or refreshes) a snapshot in one pipelined round trip: the profile's header when asked,
	 * and the given contacts and event ids.
	 */
	private async readSnapshot(
		profileId: string,
		snapshot: RedisSnapshot,
		contactIds: readonly string[],
		eventIds: readonly string[],
		withProfile: boolean,
	): Promise<void> {
		const keys = profileKeys(this.prefix, profileId);
		const pipeline = this.client.pipeline();
		if (withProfile) pipeline.call('HMGET', keys.profile, 'status', 'version');
		if (contactIds.length > 0) {
			pipeline.call('HMGET', keys.contacts, listArgument(contactIds));
			pipeline.call('ZMSCORE', keys.scores, listArgument(contactIds));
		}
		if (eventIds.length > 0) pipeline.call('ZMSCORE', keys.seenEvents, listArgument(eventIds));
		const replies = replyValues(await pipeline.exec());
		let next = 0;
		if (withProfile) {
			const [status, version] = replies[next++] as Array<string | null>;
			snapshot.profile = status === null ? undefined : { status: status as ProfileStatus, version: Number(version) };
			snapshot.profileStatus = status ?? '';
			snapshot.profileVersion = version ?? '';
		}
		if (contactIds.length > 0) {
			const states = replies[next++] as Array<string | null>;
			const scores = replies[next++] as Array<string | null>;
			for (let index = 0; index < contactIds.length; index++) {
				const state = states[index];
				const score = scores[index];
				if (state === null || score === null) snapshot.contacts.set(contactIds[index], undefined);
				else snapshot.contacts.set(contactIds[index], decodeContactState(contactIds[index], score, state));
			}
		}
		if (eventIds.length > 0) {
			const expiries = replies[next++] as Array<string | null>;
			const now = Date.now();
			for (let index = 0; index < eventIds.length; index++) {
				const expiry = expiries[index];
				if (expiry !== null && Number(expiry) > now) snapshot.seen.add(eventIds[index]);
				else snapshot.seen.delete(eventIds[index]);
			}
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

/** What a transaction has read: the profile's header (also as the raw text the commit compares), contacts, seen event ids. */
class RedisSnapshot {
	profile: ProfileHeader | undefined;
	profileStatus = '';
	profileVersion = '';
	readonly contacts = new Map<string, ContactState | undefined>();
	readonly seen = new Set<string>();
}

/** The commit script's arguments (see lua-commit.ts): the plan as text, with the versions it was computed from. */
function commitArguments(snapshot: RedisSnapshot, plan: Plan<unknown>, retentionMs: number): RedisArgument[] {
	const { contacts, changes, seenEventIds, journal = [] } = plan;
	const contactFields: string[] = [];
	for (const state of contacts) {
		const read = snapshot.contacts.get(state.contactId);
		contactFields.push(
			state.contactId,
			String(read?.version ?? 0),
			encodeContactState(state),
			scoreArgument(read, state),
			idleArgument(read, state),
			expiryArgument(read, state),
		);
	}
	const changeFields: string[] = [];
	for (const change of changes) changeFields.push(change.contactId, encodeChangeRecord(change));
	return [
		snapshot.profileStatus,
		snapshot.profileVersion,
		retentionMs,
		packedStrings(contactFields),
		packedStrings(seenEventIds),
		packedStrings(changeFields),
		packedStrings(groupIndexEntries(snapshot, contacts)),
		packedStrings(journalFields(journal)),
	];
}

/** The journal argument of the commit script: [contact id or "", the entry without its journalSeq] per entry. */
function journalFields(journal: readonly JournalEntry[]): string[] {
	const fields: string[] = [];
	for (const entry of journal) {
		const encoded = encodeJournalEntry(entry);
		fields.push(encoded.contactId, journalElementWithoutSeq(encoded));
	}
	return fields;
}

/** The group index entries that move: [index name, contact id, subtotal or "-"] per group whose subtotal changed or left. */
function groupIndexEntries(snapshot: RedisSnapshot, contacts: readonly ContactState[]): string[] {
	const entries: string[] = [];
	for (const state of contacts) {
		const groups = state.ledger?.groups;
		const previous = snapshot.contacts.get(state.contactId)?.ledger?.groups;
		if (groups === undefined && previous === undefined) continue;
		for (const [group, subtotal] of movedGroups(previous, groups)) {
			entries.push(groupIndexName(group), state.contactId, subtotal === undefined ? '-' : String(subtotal));
		}
	}
	return entries;
}

/*
 * The index entries to write, "" for one the index already holds: the commit writes only while the
 * contact is still at the version read, whose entries the indexes hold.
 */

/** The score index entry: the new score, or "" when it did not move. */
function scoreArgument(read: ContactState | undefined, state: ContactState): string {
	return read !== undefined && read.score === state.score ? '' : String(state.score);
}

/** The idle index entry: the new idle-since time, or "" when it did not move (an expiry, a decay step). */
function idleArgument(read: ContactState | undefined, state: ContactState): string {
	const idle = idleSince(state);
	return read !== undefined && idleSince(read) === idle ? '' : String(idle);
}

/** The expiry index entry: the new due time, "-" to remove the old one, "" when it did not move or there was none and is none. */
function expiryArgument(read: ContactState | undefined, state: ContactState): string {
	if (state.nextExpiryAt !== undefined) return read?.nextExpiryAt === state.nextExpiryAt ? '' : String(state.nextExpiryAt);
	return read?.nextExpiryAt === undefined ? '' : '-';
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

/** The query's upper score bound as Redis writes one: the tighter of the inclusive max and the exclusive "below". */
function upperScoreBound(query: ContactQuery): string {
	const { maxScore, scoreBelow } = query;
	if (scoreBelow !== undefined && (maxScore === undefined || scoreBelow <= maxScore)) return `(${scoreBelow}`;
	return maxScore === undefined ? '+inf' : String(maxScore);
}
