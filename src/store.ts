import type {
	Adjustment,
	ContactQuery,
	ContactScore,
	DecayPolicy,
	DecayResult,
	EventResult,
	ScoreChange,
	ScoredEvent,
	ScoreProfile,
} from './types';

/**
 * Where profiles, scores and the change log live. One interface, several backends
 * (SQLite, workflow static data, Redis); `test/stores/conformance.ts` holds them all to it.
 *
 * Atomicity contract: every write method is all-or-nothing per contact change, and the
 * change-log entry is written in the same atomic step as the score it describes.
 * Concurrent callers (in one process or several) never lose or double an update.
 */
export interface ScoreStore {
	/** Identifies the underlying data ("sqlite:/abs/path"), so in-process listeners of the same data meet. */
	readonly key: string;

	getProfile(profileId: string): Promise<ScoreProfile | undefined>;
	listProfiles(): Promise<ScoreProfile[]>;
	/** @throws ProfileAlreadyExistsError */
	insertProfile(profile: ScoreProfile): Promise<void>;
	/**
	 * Atomic read-modify-write of one profile. `change` is pure and may throw to abort
	 * (nothing is written then).
	 * @throws ProfileNotFoundError
	 */
	updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile>;
	/** Removes the profile with all its scores, history and seen event ids. */
	deleteProfile(profileId: string): Promise<boolean>;

	/**
	 * Applies evaluated events in order, each atomically: an event id already seen for this
	 * profile is a duplicate (no change); otherwise the score moves by `delta`, the contact's
	 * last activity is set, and a change is logged when delta is not 0.
	 * The whole call is refused, nothing written, unless the profile is still published at
	 * `publishedVersion` (rules cannot change under a batch).
	 * @throws ProfileNotFoundError | ProfileNotPublishedError
	 */
	applyEvents(profileId: string, publishedVersion: number, events: readonly ScoredEvent[]): Promise<EventResult[]>;

	/**
	 * Add, subtract or set points on one contact (created at 0 if new). Logs a change when the
	 * score moves. Does not need the profile to be published.
	 * @throws ProfileNotFoundError
	 */
	adjustScore(profileId: string, adjustment: Adjustment): Promise<{ previousScore: number; score: number; change?: ScoreChange }>;

	/**
	 * Sets the contact's score to 0, logging a 'reset' change. Returns undefined, and writes nothing,
	 * for an unknown contact and for a score already 0 (not a change, like setting the current score).
	 * @throws ProfileNotFoundError
	 */
	resetContact(profileId: string, contactId: string, at: number, reason?: string): Promise<ScoreChange | undefined>;

	/** Forgets the contact: score, history and activity. */
	deleteContact(profileId: string, contactId: string): Promise<boolean>;

	/**
	 * Decays every contact whose last activity is before `inactiveBefore` (contacts never active
	 * count by their first appearance), using `decayScore` from decay.ts, each logged as a change.
	 * @throws ProfileNotFoundError
	 */
	applyDecay(profileId: string, policy: DecayPolicy, inactiveBefore: number, at: number): Promise<DecayResult>;

	getContact(profileId: string, contactId: string): Promise<ContactScore | undefined>;
	/** Sorted by score (ties by contact id ascending), filtered by the inclusive min/max. */
	listContacts(profileId: string, query: ContactQuery): Promise<ContactScore[]>;
	/** Newest first. */
	getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]>;

	/** Changes of one profile with seq > afterSeq, oldest first. */
	readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]>;
	/** The seq of the newest change of the profile, 0 if none. */
	latestChangeSeq(profileId: string): Promise<number>;

	/** Durable cursors for change-log consumers (one per trigger node). */
	getCursor(consumerId: string): Promise<number | undefined>;
	saveCursor(consumerId: string, seq: number): Promise<void>;

	close(): Promise<void>;
}
