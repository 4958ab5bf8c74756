import type { AdjustOperation, DecayPolicy, Rule, ScoreLimits } from '../types';

/**
 * Everything that can happen to one contact's score. Each is applied by `transition` (transition.ts),
 * the one place that says what it does to the score, the activity times and the change log.
 */
export type ScoreOperation = EventOperation | ModifyOperation | ResetOperation | DecayOperation | ExpiryOperation;

/** What the core needs of a matched rule to score it on its own. */
export type ScoringRule = Pick<Rule, 'id' | 'points' | 'counts' | 'expiresAfterDays' | 'group'>;

/**
 * An event evaluated against the published rules: `delta` is the sum of the matched rules' points.
 * With `rules` (the matched rules, in profile order) or `limits`, each rule is scored on its own:
 * how often it counts, its expiry, its group and the profile's limits (see ledger.ts).
 */
export interface EventOperation {
	readonly kind: 'event';
	readonly eventId?: string;
	readonly eventType: string;
	readonly delta: number;
	/** Frozen and shared by the evaluator for every event with the same outcome. */
	readonly matchedRuleIds: readonly string[];
	/** The published version whose rules gave `matchedRuleIds`, kept in the logged cause. */
	readonly profileVersion?: number;
	readonly at: number;
	readonly rules?: readonly ScoringRule[];
	readonly limits?: ScoreLimits;
	/** The zone calendar periods of `counts` are counted in; default UTC. */
	readonly timeZone?: string;
	/** When the event reached the engine: a rule whose points would already have expired by then adds nothing. Default `at`. */
	readonly receivedAt?: number;
}

export interface ModifyOperation {
	readonly kind: 'modify';
	readonly operation: AdjustOperation;
	readonly points: number;
	readonly reason?: string;
	/** Whether this resets the decay clock like an event does. */
	readonly countsAsActivity: boolean;
	readonly at: number;
	readonly limits?: ScoreLimits;
}

export interface ResetOperation {
	readonly kind: 'reset';
	readonly reason?: string;
	readonly at: number;
	readonly limits?: ScoreLimits;
}

/** One step of a decay run: applies to a contact idle since before `inactiveBefore`. */
export interface DecayOperation {
	readonly kind: 'decay';
	readonly policy: DecayPolicy;
	readonly inactiveBefore: number;
	readonly at: number;
	readonly limits?: ScoreLimits;
}

/** Takes back the earliest expiring grant due at or before `at` (one grant: one logged change). */
export interface ExpiryOperation {
	readonly kind: 'expiry';
	readonly at: number;
	readonly limits?: ScoreLimits;
}
