import type { AdjustOperation, DecayPolicy } from '../types';

/**
 * What makes up a contact's score, from its journal replayed under given rules (explainContact).
 * The parts add up exactly (each sum taken with normalizeScore):
 *   score = carried.score + Σ rules[].points + Σ manual[].effect + Σ resets[].effect + Σ decay[].effect
 * and for each group g: groups[g] = Σ of groupContributions' entry for g (carried + rules + manual + resets + decay).
 * A set or a reset contributes the difference it made, so what came before it still adds up.
 */
export interface ScoreExplanation {
	readonly contactId: string;
	readonly score: number;
	/** Each group's subtotal; the rest of the score is ungrouped. */
	readonly groups: Readonly<Record<string, number>>;
	/** What the contact held when its journal began (its newest carried entry); absent: it started from nothing. */
	readonly carried?: { readonly score: number; readonly groups: Readonly<Record<string, number>>; readonly at: number };
	/** Every rule that matched an event or had points expire, in profile order (rules no longer in it last). */
	readonly rules: readonly RuleContribution[];
	readonly groupContributions: readonly GroupContribution[];
	/** Every add, subtract and set, in order. */
	readonly manual: readonly ManualContribution[];
	/** Every reset of the contact while it was known, in order. */
	readonly resets: readonly ResetContribution[];
	/** Every decay run that moved the score, in order. */
	readonly decay: readonly DecayContribution[];
	/** What limits held back, summed over the rules and the manual changes. */
	readonly heldBack: HeldBack;
}

export interface RuleContribution {
	readonly ruleId: string;
	readonly group?: string;
	/** Events the rule scored (counted, whatever the limits then let through). */
	readonly events: number;
	/** Points it added when it scored, after its group's and the score's limits. */
	readonly added: number;
	/** Points its expiries took back (negative for a rule that adds). */
	readonly expired: number;
	/** added + expired: its part of the score. */
	readonly points: number;
	/** Matched events it did not count because how often it counts was used up. */
	readonly limitedEvents: number;
	/** Matched events that arrived after its points would already have expired. */
	readonly lapsedEvents: number;
	/** Points its group's maximum held back. */
	readonly heldBackByGroupLimit: number;
	/** Points the score's minimum or maximum held back. */
	readonly heldBackByScoreLimit: number;
}

export interface GroupContribution {
	readonly group: string;
	readonly subtotal: number;
	readonly carried: number;
	/** Each rule's net points in the group. */
	readonly rules: ReadonlyArray<{ readonly ruleId: string; readonly points: number }>;
	/** What sets cleared from the group. */
	readonly manual: number;
	/** What resets cleared from the group. */
	readonly resets: number;
	readonly decay: number;
}

export interface ManualContribution {
	readonly operation: AdjustOperation;
	readonly points: number;
	readonly reason?: string;
	readonly at: number;
	/** How much it moved the score. */
	readonly effect: number;
	/** What the score's limits held back of what it asked for. */
	readonly heldBackByScoreLimit: number;
}

export interface ResetContribution {
	readonly reason?: string;
	readonly at: number;
	readonly effect: number;
}

export interface DecayContribution {
	readonly mode: DecayPolicy['mode'];
	readonly at: number;
	readonly effect: number;
}

export interface HeldBack {
	/** Rule matches not counted because how often the rule counts was used up. */
	readonly limitedEvents: number;
	/** Rule matches that arrived after their points would already have expired. */
	readonly lapsedEvents: number;
	readonly byGroupLimit: number;
	readonly byScoreLimit: number;
}
