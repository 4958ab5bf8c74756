import { randomUUID } from 'node:crypto';

import { changeNotifier } from '../change-notifier';
import {
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	ProfileNotPublishedError,
	StoreUnavailableError,
} from '../errors';
import { adjustedScore, decayScore, normalizeScore } from '../score-math';
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
import {
	byNameThenId,
	checkAdjustment,
	checkDecay,
	checkId,
	checkScoredEvents,
	compareStrings,
	eventCause,
	laterOf,
	modifyCause,
	resetCause,
} from './store-input';

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
}

/** [score, lastActivityAt, firstSeenAt, updatedAt] */
type ContactTuple = [number, number | null, number, number];
/** [seq, contactId, previousScore, score, delta, cause as JSON, at] */
type ChangeTuple = [number, string, number, number, number, string, number];

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
export class DocumentStore implements ScoreStore {
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
		const entry = this.requireProfile(profileId);
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

	async applyEvents(profileId: string, publishedVersion: number, events: readonly ScoredEvent[]): Promise<EventResult[]> {
		checkScoredEvents(events);
		const entry = this.requireProfile(profileId);
		const profile = parseProfile(entry);
		if (profile.status !== 'published' || profile.version !== publishedVersion) {
			throw new ProfileNotPublishedError(profileId);
		}
		const results = events.map((event) => this.applyEvent(profileId, entry, event));
		this.trimSeenEvents(entry);
		this.trimChanges(entry);
		if (results.some((result) => result.changeSeq !== undefined)) changeNotifier.notify(this.key, profileId);
		return results;
	}

	async adjustScore(
		profileId: string,
		adjustment: Adjustment,
	): Promise<{ previousScore: number; score: number; change?: ScoreChange }> {
		checkAdjustment(adjustment);
		const entry = this.requireProfile(profileId);
		const { contactId, at } = adjustment;
		const existing = contactOf(entry, contactId);
		const previousScore = existing?.[0] ?? 0;
		const score = adjustedScore(previousScore, adjustment.operation, adjustment.points);
		const lastActivityAt = existing?.[1] ?? null;
		const countsAsActivity = adjustment.countsAsActivity ?? true;
		writeContact(entry, contactId, score, countsAsActivity ? laterOf(lastActivityAt, at) : lastActivityAt, existing, at);
		if (score === previousScore) return { previousScore, score };
		const change = this.logChange(profileId, entry, contactId, previousScore, score, modifyCause(adjustment), at);
		this.trimChanges(entry);
		changeNotifier.notify(this.key, profileId);
		return { previousScore, score, change };
	}

	async resetContact(profileId: string, contactId: string, at: number, reason?: string): Promise<ScoreChange | undefined> {
		const entry = this.requireProfile(profileId);
		const existing = contactOf(entry, contactId);
		if (!existing || existing[0] === 0) return undefined;
		writeContact(entry, contactId, 0, existing[1], existing, at);
		const change = this.logChange(profileId, entry, contactId, existing[0], 0, resetCause(reason), at);
		this.trimChanges(entry);
		changeNotifier.notify(this.key, profileId);
		return change;
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		const entry = this.profileData(profileId);
		if (!entry || !contactOf(entry, contactId)) return false;
		delete entry.contacts[CONTACT_KEY + contactId];
		entry.changes = entry.changes.filter((change) => change[1] !== contactId);
		return true;
	}

	async applyDecay(profileId: string, policy: DecayPolicy, inactiveBefore: number, at: number): Promise<DecayResult> {
		checkDecay(policy, inactiveBefore, at);
		const entry = this.requireProfile(profileId);
		const cause: ChangeCause = { kind: 'decay', mode: policy.mode };
		let contactsInactive = 0;
		let contactsDecayed = 0;
		let totalDelta = 0;
		let firstChangeSeq: number | undefined;
		let lastChangeSeq: number | undefined;
		for (const [key, contact] of Object.entries(entry.contacts)) {
			const [previousScore, lastActivityAt, firstSeenAt] = contact;
			if ((lastActivityAt ?? firstSeenAt) >= inactiveBefore) continue;
			contactsInactive++;
			const score = decayScore(previousScore, policy);
			if (score === previousScore) continue;
			const contactId = key.slice(CONTACT_KEY.length);
			writeContact(entry, contactId, score, lastActivityAt, contact, at);
			const change = this.logChange(profileId, entry, contactId, previousScore, score, cause, at);
			contactsDecayed++;
			totalDelta = normalizeScore(totalDelta + change.delta);
			firstChangeSeq ??= change.seq;
			lastChangeSeq = change.seq;
		}
		this.trimChanges(entry);
		if (contactsDecayed > 0) changeNotifier.notify(this.key, profileId);
		return {
			contactsInactive,
			contactsDecayed,
			totalDelta,
			...(firstChangeSeq === undefined ? {} : { firstChangeSeq, lastChangeSeq }),
		};
	}

	async getContact(profileId: string, contactId: string): Promise<ContactScore | undefined> {
		const entry = this.profileData(profileId);
		const contact = entry && contactOf(entry, contactId);
		return contact && toContactScore(profileId, contactId, contact);
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactScore[]> {
		const entry = this.profileData(profileId);
		if (!entry) return [];
		const direction = query.order === 'asc' ? 1 : -1;
		const offset = Math.max(0, Math.floor(query.offset ?? 0));
		const limit = Math.max(0, Math.floor(query.limit));
		return Object.entries(entry.contacts)
			.filter(([, [score]]) => (query.minScore === undefined || score >= query.minScore) && (query.maxScore === undefined || score <= query.maxScore))
			.map(([key, contact]) => toContactScore(profileId, key.slice(CONTACT_KEY.length), contact))
			.sort((a, b) => direction * (a.score - b.score) || compareStrings(a.contactId, b.contactId))
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

	async getCursor(consumerId: string): Promise<number | undefined> {
		const key = CURSOR_KEY + consumerId;
		return Object.hasOwn(this.data.cursors, key) ? this.data.cursors[key] : undefined;
	}

	async saveCursor(consumerId: string, seq: number): Promise<void> {
		this.data.cursors[CURSOR_KEY + consumerId] = seq;
	}

	async close(): Promise<void> {}

	private applyEvent(profileId: string, entry: ProfileData, event: ScoredEvent): EventResult {
		const { contactId, eventId } = event;
		const existing = contactOf(entry, contactId);
		const previousScore = existing?.[0] ?? 0;
		if (eventId !== undefined) {
			const key = EVENT_KEY + eventId;
			if (Object.hasOwn(entry.seenEventIds, key)) {
				return { contactId, eventId, duplicate: true, previousScore, score: previousScore, delta: 0, matchedRuleIds: [] };
			}
			entry.seenEventIds[key] = 1;
			entry.seenEventOrder.push(eventId);
		}
		const score = adjustedScore(previousScore, 'add', event.delta);
		const at = event.occurredAt;
		writeContact(entry, contactId, score, laterOf(existing?.[1] ?? null, at), existing, at);
		const change =
			score === previousScore
				? undefined
				: this.logChange(profileId, entry, contactId, previousScore, score, eventCause(event), at);
		return {
			contactId,
			...(eventId === undefined ? {} : { eventId }),
			duplicate: false,
			previousScore,
			score,
			delta: normalizeScore(score - previousScore),
			matchedRuleIds: [...event.matchedRuleIds],
			...(change ? { changeSeq: change.seq } : {}),
		};
	}

	private logChange(
		profileId: string,
		entry: ProfileData,
		contactId: string,
		previousScore: number,
		score: number,
		cause: ChangeCause,
		at: number,
	): ScoreChange {
		const seq = ++this.data.lastSeq;
		const delta = normalizeScore(score - previousScore);
		entry.changes.push([seq, contactId, previousScore, score, delta, JSON.stringify(cause), at]);
		return { seq, profileId, contactId, previousScore, score, delta, cause, at };
	}

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

	private requireProfile(profileId: string): ProfileData {
		const entry = this.profileData(profileId);
		if (!entry) throw new ProfileNotFoundError(profileId);
		return entry;
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

function writeContact(
	entry: ProfileData,
	contactId: string,
	score: number,
	lastActivityAt: number | null,
	existing: ContactTuple | undefined,
	at: number,
): void {
	const firstSeenAt = existing ? Math.min(existing[2], at) : at;
	entry.contacts[CONTACT_KEY + contactId] = [score, lastActivityAt, firstSeenAt, at];
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

function toContactScore(profileId: string, contactId: string, [score, lastActivityAt, , updatedAt]: ContactTuple): ContactScore {
	return { profileId, contactId, score, lastActivityAt, updatedAt };
}

function toScoreChange(profileId: string, [seq, contactId, previousScore, score, delta, cause, at]: ChangeTuple): ScoreChange {
	return { seq, profileId, contactId, previousScore, score, delta, cause: JSON.parse(cause) as ChangeCause, at };
}
