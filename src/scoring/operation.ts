import type { AdjustOperation, DecayPolicy } from '../types';

/**
 * Everything that can happen to one contact's score. Each is applied by `transition` (transition.ts),
 * the one place that says what it does to the score, the activity times and the change log.
 */
export type ScoreOperation = EventOperation | ModifyOperation | ResetOperation | DecayOperation;

/** An event evaluated against the published rules: `delta` is the sum of the matched rules' points. */
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
}

export interface ModifyOperation {
	readonly kind: 'modify';
	readonly operation: AdjustOperation;
	readonly points: number;
	readonly reason?: string;
	/** Whether this resets the decay clock like an event does. */
	readonly countsAsActivity: boolean;
	readonly at: number;
}

export interface ResetOperation {
	readonly kind: 'reset';
	readonly reason?: string;
	readonly at: number;
}

/** One step of a decay run: applies to a contact idle since before `inactiveBefore`. */
export interface DecayOperation {
	readonly kind: 'decay';
	readonly policy: DecayPolicy;
	readonly inactiveBefore: number;
	readonly at: number;
}
