import type { ConsumerFeed, FeedOptions, FeedStart } from './change-feed';
import type { ContactJournals, JournalCarried, JournalEntry } from './journal';
import type { ContactState } from './scoring/contact-state';
import type { ChangeRecord } from './scoring/transition';
import type { ContactQuery, ProfileStatus, ScoreChange, ScoreProfile } from './types';

/**
 * Where profiles, contact states and the change log live: storage only. What a change *means* is
 * computed by the scoring core (src/scoring/) and handed to `transact` as plain states and records;
 * no store does score arithmetic. One interface, several backends (SQLite, workflow static data,
 * Redis); `test/stores/conformance.ts` holds them all to it.
 */
export interface ScoreStore {
	/** Identifies the underlying data ("sqlite:/abs/path"), so in-process listeners of the same data meet. */
	readonly key: string;

	getProfile(profileId: string): Promise<ScoreProfile | undefined>;
	listProfiles(): Promise<ScoreProfile[]>;
	/** @throws ProfileAlreadyExistsError */
	insertProfile(profile: ScoreProfile): Promise<void>;
	/**
	 * Atomic read-modify-write (compare-and-set) of one profile. `change` is pure and may throw to
	 * abort (nothing is written then); it may run more than once when another writer got there first.
	 * @throws ProfileNotFoundError
	 */
	updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile>;
	/** Removes the profile with all its contacts, history, journal and seen event ids. */
	deleteProfile(profileId: string): Promise<boolean>;

	/**
	 * The one atomic write. The store reads a snapshot of the profile's header, of the named contacts
	 * and of the named event ids, runs `plan` on it (synchronous and pure; it may throw to abort, and
	 * it may run again on a fresher snapshot), then commits the plan only if nothing it read has moved
	 * meanwhile: the profile's status and version, each contact's version, each new event id still
	 * unseen. The plan's changes are appended to the log in order, in the same atomic step, with
	 * consecutive sequence numbers from `firstChangeSeq`. A plan that writes a contact or event id
	 * the transaction did not name is refused; reading one may be refused (Redis reads only what was named).
	 */
	transact<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>>;

	getContact(profileId: string, contactId: string): Promise<ContactState | undefined>;
	/**
	 * Sorted by score (ties by contact id ascending), filtered by the query's score and time bounds,
	 * read from the store's score index: never every contact handed to the caller to filter.
	 */
	listContacts(profileId: string, query: ContactQuery): Promise<ContactState[]>;
	/** Contacts idle since (last activity, else first appearance) before `before`, by contact id. */
	inactiveContactIds(profileId: string, before: number): Promise<string[]>;
	/**
	 * Contacts whose next expiry (ContactState.nextExpiryAt) is due at or before `dueBy`, earliest
	 * due first (ties by contact id), at most `limit`: a range read of the store's expiry index.
	 */
	expiringContactIds(profileId: string, dueBy: number, limit: number): Promise<string[]>;
	/**
	 * The journal of the named contacts (each one's own entries, oldest first; a contact without
	 * entries is absent) and the profile's profile-wide entries (decay runs), oldest first.
	 */
	readJournals(profileId: string, contactIds: IdList): Promise<ContactJournals>;
	/** Ids of contacts holding journal entries, ascending (code point order, as every store lists ids: stores/ordering.ts), after `afterContactId`, at most `limit`: to page through a profile's journal. */
	journalContactIds(profileId: string, afterContactId: string | undefined, limit: number): Promise<string[]>;
	/**
	 * Retention: atomically replaces the contact's entries with journalSeq <= throughSeq by `carried`,
	 * stored with journalSeq = throughSeq (entries appended meanwhile have higher seqs and stay).
	 * Replay starts from a contact's newest carried entry, so a fold racing another is harmless.
	 */
	foldJournal(profileId: string, contactId: string, throughSeq: number, carried: JournalCarried): Promise<void>;
	/** Retention: deletes the profile-wide entries with `at` before `before`; returns how many. */
	pruneProfileWideJournal(profileId: string, before: number): Promise<number>;
	/** Forgets the contact: its state, its history and its journal. */
	deleteContact(profileId: string, contactId: string): Promise<boolean>;

	/** The contact's changes, newest first. */
	getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]>;
	/** Changes of one profile with seq > afterSeq, oldest first. */
	readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]>;
	/** The seq of the newest change of the profile, 0 if none. */
	latestChangeSeq(profileId: string): Promise<number>;

	/**
	 * A consumer's feed of the profile's changes (one per trigger node): every change after where
	 * the consumer stopped, in order, none lost or repeated across restarts. SQLite and static data
	 * keep a durable cursor; Redis reads through a consumer group of the consumer's own.
	 */
	openFeed(
		profileId: string,
		consumerId: string,
		startAt: FeedStart,
		onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		options?: FeedOptions,
	): ConsumerFeed;

	/** Durable cursors for change-log consumers (one per trigger node). */
	getCursor(consumerId: string): Promise<number | undefined>;
	saveCursor(consumerId: string, seq: number): Promise<void>;

	close(): Promise<void>;
}

/** Ids, each once: a set is taken as it is (a large batch then builds no second one). */
export type IdList = readonly string[] | ReadonlySet<string>;

export interface TransactionKeys {
	/** Every contact the plan may read or write. */
	readonly contactIds: IdList;
	/** Every event id the plan may ask about or mark as seen. */
	readonly eventIds?: IdList;
}

/** What the profile's transaction sees of the profile itself; undefined when it does not exist. */
export interface ProfileHeader {
	readonly status: ProfileStatus;
	/** The published version (0 before the first publish). */
	readonly version: number;
}

export interface Snapshot {
	readonly profile: ProfileHeader | undefined;
	/** The stored state, or undefined for a contact the store does not hold. */
	contact(contactId: string): ContactState | undefined;
	/** Whether the event id was already counted for this profile (within the store's retention). */
	isSeen(eventId: string): boolean;
}

export interface Plan<T> {
	/** New states, each computed from the snapshot's state of that contact (at most one per contact). */
	readonly contacts: readonly ContactState[];
	/** Appended to the log in this order. */
	readonly changes: readonly ChangeRecord[];
	/** Event ids to remember as counted. */
	readonly seenEventIds: readonly string[];
	/**
	 * Appended to the profile's journal in this order, in the same atomic step, with increasing
	 * journalSeq (a per-profile counter of the store's own). An entry with a contactId may name a
	 * contact the plan does not write (an event recorded while the profile is a draft).
	 */
	readonly journal?: readonly JournalEntry[];
	readonly result: T;
}

export interface Committed<T> {
	readonly result: T;
	/** The seq of the plan's first change; change i was logged as firstChangeSeq + i. 0 when it had none. */
	readonly firstChangeSeq: number;
}
