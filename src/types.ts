import type { JournalRetention } from './journal';

/**
 * The plain data the engine works with. Every value here is immutable by convention
 * (the engine never mutates what it is given) and JSON-serialisable, so any store can keep it.
 * Times are epoch milliseconds; adapters format them with luxon.
 */

export const CONDITION_OPERATORS = [
	'equals',
	'notEquals',
	'contains',
	'notContains',
	'greaterThan',
	'greaterThanOrEqual',
	'lessThan',
	'lessThanOrEqual',
	'in',
	'notIn',
	'exists',
	'notExists',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** A declarative test on one event property. `property` may be a dotted path ("order.total"). */
export interface Condition {
	readonly property: string;
	readonly operator: ConditionOperator;
	/** Unused by exists/notExists; an array for in/notIn. */
	readonly value?: unknown;
}

export interface Rule {
	readonly id: string;
	/** One of EVENT_TYPES or any custom type name. */
	readonly eventType: string;
	/** All must hold (AND). An empty list matches every event of the type. */
	readonly conditions: readonly Condition[];
	/** Added to the score; negative subtracts. */
	readonly points: number;
	readonly description?: string;
	/** How often the rule counts for one contact; absent: every time. */
	readonly counts?: RuleCounts;
	/** The rule's points leave the score this many days after the event's occurredAt; absent: never. */
	readonly expiresAfterDays?: number;
	/** The score group the rule's points belong to ("Email", "Sales"); absent: ungrouped. */
	readonly group?: string;
}

/** Calendar periods are counted in the profile's time zone; weeks start on Monday (ISO). */
export const COUNT_PERIODS = ['contact', 'day', 'week', 'month', 'rollingDays'] as const;
export type CountPeriod = (typeof COUNT_PERIODS)[number];

/**
 * At most `times` per `per`: per contact (ever), per calendar day, week or month, or per rolling
 * window of `days` days. Once per contact is `{ times: 1, per: 'contact' }`.
 */
export interface RuleCounts {
	readonly times: number;
	readonly per: CountPeriod;
	/** Only for per 'rollingDays'. */
	readonly days?: number;
}

/** Limits of a profile's scores. Each bound is optional; a group without a maximum is unbounded. */
export interface ScoreLimits {
	readonly min?: number;
	readonly max?: number;
	/** The largest subtotal of each named group. */
	readonly groupMax?: Readonly<Record<string, number>>;
}

/** How a profile scores beyond its rules: limits, and the zone its calendar periods are counted in. */
export interface ScoringSettings {
	readonly limits?: ScoreLimits;
	/** IANA zone name; absent: UTC. */
	readonly timeZone?: string;
}

export type ProfileStatus = 'draft' | 'published';

export interface ScoreProfile {
	readonly id: string;
	readonly name: string;
	readonly description: string;
	/** 'published' while `published` scores events; unpublishing keeps scores but stops scoring. */
	readonly status: ProfileStatus;
	/** The rules being edited. Editing never changes what scores until the next publish. */
	readonly draftRules: readonly Rule[];
	/** The rules that score events, frozen at the last publish; undefined if never published. */
	readonly publishedRules?: readonly Rule[];
	/** Limits and time zone being edited; absent: none (no limits, UTC). Live from the next publish. */
	readonly draftSettings?: ScoringSettings;
	/** The settings that score, frozen at the last publish with the rules. */
	readonly publishedSettings?: ScoringSettings;
	/** Incremented by every publish; 0 before the first. */
	readonly version: number;
	readonly publishedAt?: number;
	/** How long recorded events are kept (a profile setting, not versioned with the rules); absent: DEFAULT_JOURNAL_RETENTION_DAYS. */
	readonly journalRetention?: JournalRetention;
	readonly createdAt: number;
	readonly updatedAt: number;
	/** Set by a publish that recalculates, in the same compare-and-set; cleared when every contact is recalculated. */
	readonly recalculation?: PendingRecalculation;
}

/** A recalculation of every contact from its journal to `toVersion`, not finished yet (src/recalculation/). */
export interface PendingRecalculation {
	/** The version published before it. */
	readonly fromVersion: number;
	readonly toVersion: number;
	readonly startedAt: number;
	/** When a run last finished a page: a run silent for long is taken to have crashed and is resumed. */
	readonly heartbeatAt: number;
	/** Every contact id up to this one (code unit order) is recalculated: a resumed run goes on after it. */
	readonly doneThrough?: string;
}

/** An event as it enters the engine, after validation (see event.ts). */
export interface ScoreEvent {
	/** Optional idempotency key: the same id for the same profile counts once. */
	readonly id?: string;
	readonly contactId: string;
	readonly type: string;
	readonly properties: Readonly<Record<string, unknown>>;
	readonly occurredAt: number;
}

/** What evaluation of one event against the published rules produced. */
export interface Evaluation {
	readonly delta: number;
	readonly matchedRuleIds: readonly string[];
	/** The matched rules, in profile order, when the profile has rules that are scored on their own. */
	readonly rules?: readonly Rule[];
}

/** An evaluated event, ready for a store to apply atomically. */
export interface ScoredEvent {
	readonly eventId?: string;
	readonly contactId: string;
	readonly eventType: string;
	readonly delta: number;
	readonly matchedRuleIds: readonly string[];
	readonly occurredAt: number;
}

export interface EventResult {
	readonly contactId: string;
	readonly eventId?: string;
	/** True when the event id was seen before for this profile: nothing changed, nothing recorded. */
	readonly duplicate: boolean;
	/** Scored against the published rules (false for a duplicate, or an event recorded while the profile is not published). */
	readonly scored: boolean;
	/** Kept in the profile's journal (false only for a duplicate), for a later recalculation. */
	readonly recorded: boolean;
	readonly previousScore: number;
	readonly score: number;
	readonly delta: number;
	readonly matchedRuleIds: readonly string[];
	/** Matched rules that scored 0 because how often they count was used up; absent when none. */
	readonly limitedRuleIds?: readonly string[];
	/** Sequence number of the change-log entry, when the score changed. */
	readonly changeSeq?: number;
}

export type AdjustOperation = 'add' | 'subtract' | 'set';

export type ChangeCause =
	| {
			readonly kind: 'event';
			readonly eventType: string;
			readonly ruleIds: readonly string[];
			/** The published version whose rules matched (absent in changes logged before it was recorded). */
			readonly profileVersion?: number;
			readonly eventId?: string;
			/** Matched rules that scored nothing because how often they count was used up. */
			readonly limitedRuleIds?: readonly string[];
	  }
	| { readonly kind: 'modify'; readonly operation: AdjustOperation; readonly points: number; readonly reason?: string }
	| { readonly kind: 'decay'; readonly mode: DecayPolicy['mode'] }
	| { readonly kind: 'reset'; readonly reason?: string }
	| { readonly kind: 'expired'; readonly ruleId: string; readonly eventId?: string }
	/** The contact's score recomputed from its journal when version `toVersion` was published. */
	| { readonly kind: 'recalculation'; readonly fromVersion: number; readonly toVersion: number };

/** One entry of the change log: a contact's history and the triggers' feed. */
export interface ScoreChange {
	/** Strictly increasing within a store (per profile at least); cursors compare on it. */
	readonly seq: number;
	readonly profileId: string;
	readonly contactId: string;
	readonly previousScore: number;
	readonly score: number;
	readonly delta: number;
	readonly cause: ChangeCause;
	readonly at: number;
	/**
	 * Each group's subtotal after the change, logged when the contact holds groups before or after
	 * it (a trigger tests "Sales group ≥ 30" on it); absent for a contact without groups and in
	 * changes logged before groups were recorded.
	 */
	readonly groups?: Readonly<Record<string, number>>;
	/** Each group's subtotal before the change, beside `groups` (a group absent here was 0). */
	readonly previousGroups?: Readonly<Record<string, number>>;
}

export interface ContactScore {
	readonly profileId: string;
	readonly contactId: string;
	readonly score: number;
	/** Last event (or activity-counting adjustment); null if the contact only ever decayed. */
	readonly lastActivityAt: number | null;
	/** The earliest time the contact was seen (its first event or adjustment). */
	readonly firstSeenAt: number;
	readonly updatedAt: number;
	/** Each group's subtotal, once a grouped rule scored; the rest of the score is ungrouped. */
	readonly groups?: Readonly<Record<string, number>>;
	/** The group with the highest positive subtotal (ties: first by name). */
	readonly topGroup?: string;
}

export interface Adjustment {
	readonly contactId: string;
	readonly operation: AdjustOperation;
	readonly points: number;
	readonly reason?: string;
	readonly at: number;
	/** Whether this counts as contact activity for decay (default true). */
	readonly countsAsActivity?: boolean;
}

export type DecayPolicy =
	| {
			readonly mode: 'subtract';
			readonly inactiveDays: number;
			readonly points: number;
			readonly floor: number;
	  }
	| {
			readonly mode: 'multiply';
			readonly inactiveDays: number;
			readonly factor: number;
			readonly floor: number;
	  };

export interface DecayResult {
	/** Contacts whose last activity is older than the policy's inactivity window. */
	readonly contactsInactive: number;
	/** Of those, contacts whose score actually changed (the rest were at or below the floor). */
	readonly contactsDecayed: number;
	/** Sum of all deltas applied (negative or zero). */
	readonly totalDelta: number;
	/** Change-log range written by this decay run, to read the individual changes if wanted. */
	readonly firstChangeSeq?: number;
	readonly lastChangeSeq?: number;
}

/**
 * Which contacts of a profile to list, in score order. Every bound is optional; a contact must meet
 * all given. Times are epoch ms and exclusive; a contact never active (lastActivityAt null) meets
 * no last-activity bound.
 */
export interface ContactQuery {
	readonly order: 'desc' | 'asc';
	/** Inclusive. */
	readonly minScore?: number;
	/** Inclusive. */
	readonly maxScore?: number;
	/** Exclusive upper bound, e.g. the top of a tier's range. */
	readonly scoreBelow?: number;
	readonly lastActivityBefore?: number;
	readonly lastActivityAfter?: number;
	readonly firstSeenBefore?: number;
	readonly firstSeenAfter?: number;
	/**
	 * List by this group's score instead of the total: only contacts holding the group (a grouped
	 * rule scored for them), in the order of its subtotal, ties by contact id ascending.
	 */
	readonly group?: string;
	/** Inclusive bounds on the group's subtotal; only with `group`. */
	readonly minGroupScore?: number;
	readonly maxGroupScore?: number;
	readonly limit: number;
	readonly offset?: number;
}
