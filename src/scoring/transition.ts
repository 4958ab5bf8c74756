import type { ChangeCause, ScoreChange } from '../types';
import { withGroups } from './change-groups';
import { type ContactLedger, type ContactState, contactState, idleSince, unseenContact, withFields } from './contact-state';
import { eventCause } from './event-cause';
import { holdsPoints, ledgerDecay, ledgerEvent, ledgerExpiry, ledgerModify, ledgerReset, type RuleGains } from './ledger';
import type { DecayOperation, EventOperation, ModifyOperation, ResetOperation, ScoreOperation } from './operation';
import { adjustedScore, decayScore, normalizeScore } from './score-math';

/** A change of one contact's score, as the change log keeps it (the store adds its sequence number). */
export type ChangeRecord = Omit<ScoreChange, 'seq' | 'profileId'>;

/** What one operation does to one contact. */
export interface Transition {
	/** The contact's new state, to be written; undefined when nothing is to be written. */
	readonly state?: ContactState;
	/** The change to log; present exactly when the score moved. */
	readonly change?: ChangeRecord;
	/** Matched rules of an event that scored 0 because how often they count was used up. */
	readonly limitedRuleIds?: readonly string[];
	/** Matched rules of an event that added nothing because their points would already have expired. */
	readonly lapsedRuleIds?: readonly string[];
}

const NOTHING: Transition = Object.freeze({});

/**
 * What an operation means for a contact: the one definition of scoring semantics. Pure: the same
 * state and operation always give the same result, and nothing given is changed.
 *
 * - event: the score moves by the rules' delta; the event counts as activity.
 * - modify: add, subtract or set points; counts as activity unless told otherwise.
 * - reset: the score goes to 0; a contact the store does not hold, or one already at 0, is left alone.
 * - decay: a contact idle since before the step's `inactiveBefore` decays (decayScore); others are left alone.
 * - expiry: the earliest grant due takes its points back (ledger.ts).
 * Rules that count limited times, expire or belong to a group, and profile limits, are applied by
 * ledger.ts; an operation that carries none of them takes the short path here.
 * Every written state carries the next version; first appearance is the earliest time seen.
 * A change is logged only when the score moved.
 * `ruleGains` (explanations) hears what each rule of an event scored on its own added.
 */
export function transition(
	contactId: string,
	current: ContactState | undefined,
	operation: ScoreOperation,
	ruleGains?: RuleGains,
): Transition {
	const outcome = operationTransition(contactId, current, operation, ruleGains);
	// Most changes are of contacts without a ledger: two checks and out.
	if (outcome.change === undefined || (current?.ledger === undefined && outcome.state?.ledger === undefined)) return outcome;
	// ledgerEvent and expireGrants log their changes with the groups already.
	if (outcome.change.groups !== undefined) return outcome;
	const previousGroups = current?.ledger?.groups;
	const groups = outcome.state?.ledger?.groups;
	if (previousGroups === undefined && groups === undefined) return outcome;
	return withChange(outcome, withGroups(outcome.change, previousGroups, groups));
}

/** The outcome with another change, field by field: a spread of its several shapes is V8's slow generic copy. */
function withChange(outcome: Transition, change: ChangeRecord): Transition {
	const { state, limitedRuleIds, lapsedRuleIds } = outcome;
	const result: { -readonly [K in keyof Transition]: Transition[K] } = state === undefined ? { change } : { state, change };
	if (limitedRuleIds !== undefined) result.limitedRuleIds = limitedRuleIds;
	if (lapsedRuleIds !== undefined) result.lapsedRuleIds = lapsedRuleIds;
	return result;
}

function operationTransition(
	contactId: string,
	current: ContactState | undefined,
	operation: ScoreOperation,
	ruleGains: RuleGains | undefined,
): Transition {
	switch (operation.kind) {
		case 'event':
			return scoredEvent(current ?? unseenContact(contactId, operation.at), operation, ruleGains);
		case 'modify':
			return modified(current ?? unseenContact(contactId, operation.at), operation);
		case 'reset':
			return current === undefined ? NOTHING : reset(current, operation);
		case 'decay':
			return current === undefined ? NOTHING : decayed(current, operation);
		case 'expiry':
			return (current && ledgerExpiry(current, operation)) ?? NOTHING;
	}
}

/** Whether a decay step with this cut-off applies to the contact at all. */
export function isInactive(state: ContactState, inactiveBefore: number): boolean {
	return idleSince(state) < inactiveBefore;
}


function scoredEvent(current: ContactState, operation: EventOperation, ruleGains: RuleGains | undefined): Transition {
	if (operation.rules !== undefined || operation.limits !== undefined) {
		return ledgerEvent(current, operation, (score, ledger) => next(current, score, operation.at, true, ledger), ruleGains);
	}
	const score = normalizeScore(current.score + operation.delta);
	const state = next(current, score, operation.at, true, current.ledger);
	return score === current.score ? { state } : { state, change: changeOf(current, score, eventCause(operation), operation.at) };
}

function modified(current: ContactState, operation: ModifyOperation): Transition {
	const { score, state } =
		operation.limits !== undefined || current.ledger !== undefined
			? ledgerModify(current, operation, (score, ledger) => next(current, score, operation.at, operation.countsAsActivity, ledger))
			: plainModify(current, operation);
	if (score === current.score) return { state };
	const cause: ChangeCause =
		operation.reason === undefined
			? { kind: 'modify', operation: operation.operation, points: operation.points }
			: { kind: 'modify', operation: operation.operation, points: operation.points, reason: operation.reason };
	return { state, change: changeOf(current, score, cause, operation.at) };
}

function plainModify(current: ContactState, operation: ModifyOperation): { score: number; state: ContactState } {
	const score = adjustedScore(current.score, operation.operation, operation.points);
	return { score, state: next(current, score, operation.at, operation.countsAsActivity, current.ledger) };
}

function reset(current: ContactState, operation: ResetOperation): Transition {
	const state =
		operation.limits !== undefined || current.ledger !== undefined
			? ledgerReset(current, operation, (score, ledger) => next(current, score, operation.at, false, ledger))
			: next(current, 0, operation.at, false, current.ledger);
	if (state.score === current.score && !holdsPoints(current.ledger)) return NOTHING;
	if (state.score === current.score) return { state };
	const cause: ChangeCause = operation.reason === undefined ? { kind: 'reset' } : { kind: 'reset', reason: operation.reason };
	return { state, change: changeOf(current, state.score, cause, operation.at) };
}

function decayed(current: ContactState, operation: DecayOperation): Transition {
	if (!isInactive(current, operation.inactiveBefore)) return NOTHING;
	let score: number;
	let state: ContactState;
	if (operation.limits !== undefined || current.ledger !== undefined) {
		({ score, state } = ledgerDecay(current, operation));
	} else {
		score = decayScore(current.score, operation.policy);
		// Decay is not activity, and a decayed contact is not "seen": only the score and the update time move.
		state = withFields(current, { score, updatedAt: operation.at, version: current.version + 1 });
	}
	if (score === current.score) return NOTHING;
	return { state, change: changeOf(current, score, { kind: 'decay', mode: operation.policy.mode }, operation.at) };
}

function next(
	current: ContactState,
	score: number,
	at: number,
	countsAsActivity: boolean,
	ledger: ContactLedger | undefined,
): ContactState {
	const last = current.lastActivityAt;
	return contactState(
		current.contactId,
		score,
		// Newest-known activity wins: an event delivered late must not make an active contact look idle.
		countsAsActivity && (last === null || at > last) ? at : last,
		at < current.firstSeenAt ? at : current.firstSeenAt,
		at,
		current.version + 1,
		ledger,
		current,
	);
}

function changeOf(current: ContactState, score: number, cause: ChangeCause, at: number): ChangeRecord {
	return {
		contactId: current.contactId,
		previousScore: current.score,
		score,
		delta: normalizeScore(score - current.score),
		cause,
		at,
	};
}
