import { randomUUID } from 'node:crypto';

import { openCursorFeed } from '../../change-feed';
import { InvalidInputError, ProfileAlreadyExistsError, ProfileNotFoundError, StoreUnavailableError } from '../../errors';
import { type ContactLedger, type ContactState, storedContactState } from '../../scoring';
import type { ContactJournals, JournalCarried, JournalEntry, JournalRecord } from '../../journal';
import type { Committed, IdList, Plan, ScoreStore, Snapshot, TransactionKeys } from '../../store';
import type { ChangeCause, ContactQuery, ScoreChange, ScoreProfile } from '../../types';
import { byNameThenId, compareNumbers, compareStrings } from '../ordering';
import { checkFold, decodeJournalEntry, encodeJournalEntry, journalSeqAhead } from '../journal-codec';
import { checkId, checkPlan, idArray, snapshotGuard } from '../plan-checks';

/**
 * Static data is saved with the workflow on every production execution, so it must stay small:
 * each profile keeps only its newest MAX_CHANGES changes (history and the trigger feed reach no
 * further back) and remembers only its newest MAX_SEEN_EVENT_IDS event ids for deduplication.
 * Trimming waits for TRIM_SLACK extra entries so that it happens once per many writes.
 */
export const MAX_CHANGES = 10_000;
export const MAX_SEEN_EVENT_IDS = 10_000;
const TRIM_SLACK = 0.1;

/** The property of the container this store owns. */
export const CONTAINER_PROPERTY = 'engagementScoreStore';

/*
 * Layout. n8n JSON-serialises static data and, on reload, walks it assigning every nested object
 * back as a plain property, so a user-chosen key like "__proto__" would replace a prototype
 * there. Hence every user-chosen key is prefixed ("c:__proto__" is an ordinary key), profiles
 * and causes are kept as JSON text, and rows are tuples (smaller than objects once serialised).
 */
interface StoreData {
	format: 1;
	storeId: string;
	/** Last change seq handed out; never reused, even after a profile is deleted. */
	lastSeq: number;
	profiles: Record<string, ProfileData>;
	cursors: Record<string, number>;
}

interface ProfileData {
	/** The ScoreProfile as JSON text. */
	profile: string;
	contacts: Record<string, ContactTuple>;
	/** Oldest first. */
	changes: ChangeTuple[];
	seenEventIds: Record<string, 1>;
	/** Oldest first, to forget the oldest ids when trimming. */
	seenEventOrder: string[];
	/** The last journalSeq handed out; absent until the profile's first journal entry. */
	journalSeq?: number;
	/** Each contact's journal entries, oldest first (absent: none yet). Never trimmed: retention folds them. */
	journal?: Record<string, JournalTuple[]>;
	/** The profile-wide entries (decay runs), oldest first. */
	profileWideJournal?: JournalTuple[];
}

/** [journalSeq, kind, at, body as JSON]: the entry as journal-codec.ts encodes it (user keys stay inside text). */
type JournalTuple = [number, string, number, string];

/**
 * [score, lastActivityAt, firstSeenAt, updatedAt, version, nextExpiryAt, ledger as JSON, journaled
 * 1|0, recalculatedVersion]; tuples written before versions existed have 4 (version 1); the next two
 * only while the contact has a ledger or one of the last two (null then when it has no ledger), the
 * last two only while the state is journaled or was recalculated.
 */
type ContactTuple = [number, number | null, number, number, number?, (number | null)?, (string | null)?, number?, (number | null)?];
/**
 * [seq, contactId, previousScore, score, delta, cause as JSON, at], then, for a change of a contact
 * holding groups, [previousGroups, groups] as JSON.
 */
type ChangeTuple = [number, string, number, number, number, string, number, string?, string?];

const PROFILE_KEY = 'p:';
const CONTACT_KEY = 'c:';
const EVENT_KEY = 'e:';
const CURSOR_KEY = 'k:';

/**
 * Keeps everything inside one workflow's static data: zero footprint, but scoped to that workflow
 * and saved by n8n only after production executions (manual test runs are not saved).
 *
 * Every method does all its reading and writing synchronously, so calls made concurrently within
 * one execution are atomic. Executions that run at the same time each get their own copy of the
 * static data from n8n and the last one saved wins: that is n8n's behaviour for static data, and
 * the reason the SQLite store is the default.
 */
export class StaticDataStore implements ScoreStore {
	readonly key: string;
	private readonly data: StoreData;

	constructor(container: Record<string, unknown>) {
		this.data = storeDataIn(container);
		this.key = `workflowStaticData:${this.data.storeId}`;
	}

	async getProfile(profileId: string): Promise<ScoreProfile | undefined> {
		const entry = this.profileData(profileId);
		return entry && parseProfile(entry);
	}

	async listProfiles(): Promise<ScoreProfile[]> {
		return Object.values(this.data.profiles).map(parseProfile).sort(byNameThenId);
	}

	async insertProfile(profile: ScoreProfile): Promise<void> {
		checkId(profile.id, 'id');
		if (this.profileData(profile.id)) throw new ProfileAlreadyExistsError(profile.id);
		this.data.profiles[PROFILE_KEY + profile.id] = {
			profile: JSON.stringify(profile),
			contacts: {},
			changes: [],
			seenEventIds: {},
			seenEventOrder: [],
		};
	}

	async updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile> {
		const entry = this.profileData(profileId);
		if (!entry) throw new ProfileNotFoundError(profileId);
		const updated = change(parseProfile(entry));
		if (updated.id !== profileId) {
			throw new InvalidInputError(`A profile's id cannot change (from "${profileId}" to "${updated.id}")`, 'id');
		}
		entry.profile = JSON.stringify(updated);
		return updated;
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		if (!this.profileData(profileId)) return false;
		delete this.data.profiles[PROFILE_KEY + profileId];
		return true;
	}

	async transact<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>> {
		// Synchronous from the first read to the last write: no other call can interleave.
		const entry = this.profileData(profileId);
		const guard = snapshotGuard(keys);
		const profile = entry && parseProfile(entry);
		const planned = plan({
			profile: profile && { status: profile.status, version: profile.version },
			contact: (contactId) => {
				const tuple = entry && contactOf(entry, contactId);
				return tuple && toContactState(contactId, tuple);
			},
			isSeen: (eventId) => {
				return entry !== undefined && Object.hasOwn(entry.seenEventIds, EVENT_KEY + eventId);
			},
		});
		checkPlan(planned, guard);
		const { contacts, changes, seenEventIds, journal = [] } = planned;
		if (contacts.length + changes.length + seenEventIds.length + journal.length === 0) return { result: planned.result, firstChangeSeq: 0 };
		if (entry === undefined) throw new ProfileNotFoundError(profileId);
		appendJournal(entry, journal);
		for (const eventId of seenEventIds) {
			entry.seenEventIds[EVENT_KEY + eventId] = 1;
			entry.seenEventOrder.push(eventId);
		}
		for (const state of contacts) {
			entry.contacts[CONTACT_KEY + state.contactId] = toContactTuple(state);
		}
		const firstChangeSeq = changes.length === 0 ? 0 : this.data.lastSeq + 1;
		for (const change of changes) {
			const tuple: ChangeTuple = [
				++this.data.lastSeq,
				change.contactId,
				change.previousScore,
				change.score,
				change.delta,
				JSON.stringify(change.cause),
				change.at,
			];
			if (change.groups !== undefined) tuple.push(JSON.stringify(change.previousGroups ?? {}), JSON.stringify(change.groups));
			entry.changes.push(tuple);
		}
		this.trimSeenEvents(entry);
		this.trimChanges(entry);
		return { result: planned.result, firstChangeSeq };
	}

	async readJournals(profileId: string, contactIds: IdList): Promise<ContactJournals> {
		const entry = this.profileData(profileId);
		const byContact = new Map<string, JournalRecord[]>();
		if (entry === undefined) return { byContact, profileWide: [] };
		for (const contactId of idArray(contactIds)) {
			const tuples = journalOf(entry, contactId);
			if (tuples !== undefined) byContact.set(contactId, tuples.map((tuple) => toJournalRecord(contactId, tuple)));
		}
		return { byContact, profileWide: (entry.profileWideJournal ?? []).map((tuple) => toJournalRecord('', tuple)) };
	}

	async journalContactIds(profileId: string, afterContactId: string | undefined, limit: number): Promise<string[]> {
		const entry = this.profileData(profileId);
		if (entry?.journal === undefined) return [];
		return Object.keys(entry.journal)
			.map((key) => key.slice(CONTACT_KEY.length))
			.filter((contactId) => afterContactId === undefined || compareStrings(contactId, afterContactId) > 0)
			.sort(compareStrings)
			.slice(0, Math.max(0, Math.floor(limit)));
	}

	async foldJournal(profileId: string, contactId: string, throughSeq: number, carried: JournalCarried): Promise<void> {
		checkFold(contactId, throughSeq, carried);
		const entry = this.profileData(profileId);
		if (entry === undefined) return;
		if (throughSeq > (entry.journalSeq ?? 0)) throw journalSeqAhead(throughSeq, entry.journalSeq ?? 0);
		const { kind, at, body } = encodeJournalEntry(carried);
		const kept = (journalOf(entry, contactId) ?? []).filter(([seq]) => seq > throughSeq);
		(entry.journal ??= {})[CONTACT_KEY + contactId] = [[throughSeq, kind, at, body], ...kept];
	}

	async pruneProfileWideJournal(profileId: string, before: number): Promise<number> {
		const entry = this.profileData(profileId);
		const entries = entry?.profileWideJournal;
		if (entry === undefined || entries === undefined) return 0;
		const kept = entries.filter(([, , at]) => !(at < before));
		if (kept.length !== entries.length) entry.profileWideJournal = kept;
		return entries.length - kept.length;
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		const entry = this.profileData(profileId);
		if (!entry) return false;
		// A contact may have a journal (events recorded for a draft) before it has a state.
		delete entry.journal?.[CONTACT_KEY + contactId];
		if (!contactOf(entry, contactId)) return false;
		delete entry.contacts[CONTACT_KEY + contactId];
		entry.changes = entry.changes.filter((change) => change[1] !== contactId);
		return true;
	}

	async inactiveContactIds(profileId: string, before: number): Promise<string[]> {
		const entry = this.profileData(profileId);
		if (!entry) return [];
		const ids: string[] = [];
		for (const [key, [, lastActivityAt, firstSeenAt]] of Object.entries(entry.contacts)) {
			if ((lastActivityAt ?? firstSeenAt) < before) ids.push(key.slice(CONTACT_KEY.length));
		}
		return ids.sort(compareStrings);
	}

	async expiringContactIds(profileId: string, dueBy: number, limit: number): Promise<string[]> {
		const entry = this.profileData(profileId);
		if (!entry) return [];
		const due: Array<[number, string]> = [];
		for (const [key, tuple] of Object.entries(entry.contacts)) {
			const nextExpiryAt = tuple[5];
			if (typeof nextExpiryAt === 'number' && nextExpiryAt <= dueBy) due.push([nextExpiryAt, key.slice(CONTACT_KEY.length)]);
		}
		due.sort(([a, first], [b, second]) => a - b || compareStrings(first, second));
		return due.slice(0, Math.max(0, Math.floor(limit))).map(([, contactId]) => contactId);
	}

	async getContact(profileId: string, contactId: string): Promise<ContactState | undefined> {
		const entry = this.profileData(profileId);
		const contact = entry && contactOf(entry, contactId);
		return contact && toContactState(contactId, contact);
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactState[]> {
		const entry = this.profileData(profileId);
		if (!entry) return [];
		const direction = query.order === 'asc' ? 1 : -1;
		const offset = Math.max(0, Math.floor(query.offset ?? 0));
		const limit = Math.max(0, Math.floor(query.limit));
		const { group } = query;
		const ranked = (contact: ContactState) => (group === undefined ? contact.score : (contact.ledger?.groups?.[group] as number));
		return Object.entries(entry.contacts)
			.map(([key, contact]) => toContactState(key.slice(CONTACT_KEY.length), contact))
			.filter((contact) => meetsQuery(contact, query))
			.sort((a, b) => direction * compareNumbers(ranked(a), ranked(b)) || compareStrings(a.contactId, b.contactId))
			.slice(offset, offset + limit);
	}

	async getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]> {
		const entry = this.profileData(profileId);
		const history: ScoreChange[] = [];
		if (!entry) return history;
		for (let index = entry.changes.length - 1; index >= 0 && history.length < limit; index--) {
			if (entry.changes[index][1] === contactId) history.push(toScoreChange(profileId, entry.changes[index]));
		}
		return history;
	}

	async readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]> {
		const entry = this.profileData(profileId);
		if (!entry) return [];
		const first = firstIndexAfter(entry.changes, afterSeq);
		return entry.changes.slice(first, first + Math.max(0, Math.floor(limit))).map((change) => toScoreChange(profileId, change));
	}

	async latestChangeSeq(profileId: string): Promise<number> {
		const changes = this.profileData(profileId)?.changes;
		return changes && changes.length > 0 ? changes[changes.length - 1][0] : 0;
	}

	readonly openFeed = openCursorFeed;

	async getCursor(consumerId: string): Promise<number | undefined> {
		const key = CURSOR_KEY + consumerId;
		return Object.hasOwn(this.data.cursors, key) ? this.data.cursors[key] : undefined;
	}

	async saveCursor(consumerId: string, seq: number): Promise<void> {
		this.data.cursors[CURSOR_KEY + consumerId] = seq;
	}

	async close(): Promise<void> {}

	private trimChanges(entry: ProfileData): void {
		if (entry.changes.length > MAX_CHANGES * (1 + TRIM_SLACK)) entry.changes = entry.changes.slice(-MAX_CHANGES);
	}

	private trimSeenEvents(entry: ProfileData): void {
		if (entry.seenEventOrder.length <= MAX_SEEN_EVENT_IDS * (1 + TRIM_SLACK)) return;
		const forgotten = entry.seenEventOrder.length - MAX_SEEN_EVENT_IDS;
		for (const eventId of entry.seenEventOrder.slice(0, forgotten)) delete entry.seenEventIds[EVENT_KEY + eventId];
		entry.seenEventOrder = entry.seenEventOrder.slice(forgotten);
	}

	private profileData(profileId: string): ProfileData | undefined {
		const key = PROFILE_KEY + profileId;
		return Object.hasOwn(this.data.profiles, key) ? this.data.profiles[key] : undefined;
	}

}

function storeDataIn(container: Record<string, unknown>): StoreData {
	if (!Object.hasOwn(container, CONTAINER_PROPERTY)) {
		container[CONTAINER_PROPERTY] = { format: 1, storeId: randomUUID(), lastSeq: 0, profiles: {}, cursors: {} };
	}
	const data = container[CONTAINER_PROPERTY] as StoreData | undefined;
	if (typeof data !== 'object' || data === null || data.format !== 1 || typeof data.storeId !== 'string') {
		throw new StoreUnavailableError(
			`The workflow static data property "${CONTAINER_PROPERTY}" does not hold engagement scores this version can read`,
			'store',
		);
	}
	return data;
}

function parseProfile(entry: ProfileData): ScoreProfile {
	return JSON.parse(entry.profile) as ScoreProfile;
}

function contactOf(entry: ProfileData, contactId: string): ContactTuple | undefined {
	const key = CONTACT_KEY + contactId;
	return Object.hasOwn(entry.contacts, key) ? entry.contacts[key] : undefined;
}

/** Binary search: seqs in a profile's log are increasing. */
function firstIndexAfter(changes: readonly ChangeTuple[], afterSeq: number): number {
	let low = 0;
	let high = changes.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (changes[middle][0] <= afterSeq) low = middle + 1;
		else high = middle;
	}
	return low;
}

function toContactTuple(state: ContactState): ContactTuple {
	const tuple: ContactTuple = [state.score, state.lastActivityAt, state.firstSeenAt, state.updatedAt, state.version];
	const flagged = state.journaled !== undefined || state.recalculatedVersion !== undefined;
	if (state.ledger !== undefined) tuple.push(state.nextExpiryAt ?? null, JSON.stringify(state.ledger));
	else if (flagged) tuple.push(null, null);
	if (flagged) tuple.push(state.journaled ? 1 : 0, state.recalculatedVersion ?? null);
	return tuple;
}

function toContactState(contactId: string, tuple: ContactTuple): ContactState {
	const [score, lastActivityAt, firstSeenAt, updatedAt, version, nextExpiryAt, ledger, journaled, recalculatedVersion] = tuple;
	const held = typeof ledger === 'string';
	return storedContactState(
		contactId,
		score,
		lastActivityAt,
		firstSeenAt,
		updatedAt,
		version ?? 1,
		held ? (JSON.parse(ledger) as ContactLedger) : undefined,
		held && typeof nextExpiryAt === 'number' ? nextExpiryAt : undefined,
		journaled === 1 ? true : undefined,
		typeof recalculatedVersion === 'number' ? recalculatedVersion : undefined,
	);
}

/** Inside the plan's commit: the entries in order, each with the profile's next journalSeq. */
function appendJournal(entry: ProfileData, journal: readonly JournalEntry[]): void {
	for (const appended of journal) {
		const { contactId, kind, at, body } = encodeJournalEntry(appended);
		const tuple: JournalTuple = [(entry.journalSeq = (entry.journalSeq ?? 0) + 1), kind, at, body];
		if (contactId === '') (entry.profileWideJournal ??= []).push(tuple);
		else ((entry.journal ??= {})[CONTACT_KEY + contactId] ??= []).push(tuple);
	}
}

function journalOf(entry: ProfileData, contactId: string): JournalTuple[] | undefined {
	const key = CONTACT_KEY + contactId;
	return entry.journal !== undefined && Object.hasOwn(entry.journal, key) ? entry.journal[key] : undefined;
}

function toJournalRecord(contactId: string, [seq, kind, at, body]: JournalTuple): JournalRecord {
	return decodeJournalEntry(contactId, seq, kind, at, body);
}

function toScoreChange(
	profileId: string,
	[seq, contactId, previousScore, score, delta, cause, at, previousGroups, groups]: ChangeTuple,
): ScoreChange {
	const change: ScoreChange = { seq, profileId, contactId, previousScore, score, delta, cause: JSON.parse(cause) as ChangeCause, at };
	if (groups === undefined) return change;
	return { ...change, groups: JSON.parse(groups), previousGroups: JSON.parse(previousGroups ?? '{}') };
}

/** Whether a contact meets every bound of the query (see ContactQuery); a null last activity meets none of its bounds. */
function meetsQuery(contact: ContactState, query: ContactQuery): boolean {
	const { score, lastActivityAt, firstSeenAt } = contact;
	if (query.group !== undefined) {
		const groups = contact.ledger?.groups;
		if (groups === undefined || !Object.hasOwn(groups, query.group)) return false;
		const subtotal = groups[query.group];
		if (query.minGroupScore !== undefined && !(subtotal >= query.minGroupScore)) return false;
		if (query.maxGroupScore !== undefined && !(subtotal <= query.maxGroupScore)) return false;
	}
	if (query.minScore !== undefined && !(score >= query.minScore)) return false;
	if (query.maxScore !== undefined && !(score <= query.maxScore)) return false;
	if (query.scoreBelow !== undefined && !(score < query.scoreBelow)) return false;
	if (query.lastActivityBefore !== undefined && !(lastActivityAt !== null && lastActivityAt < query.lastActivityBefore)) return false;
	if (query.lastActivityAfter !== undefined && !(lastActivityAt !== null && lastActivityAt > query.lastActivityAfter)) return false;
	if (query.firstSeenBefore !== undefined && !(firstSeenAt < query.firstSeenBefore)) return false;
	if (query.firstSeenAfter !== undefined && !(firstSeenAt > query.firstSeenAfter)) return false;
	return true;
}
