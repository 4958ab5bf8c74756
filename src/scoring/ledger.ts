import type { ChangeCause } from '../types';
import { withGroups } from './change-groups';
import type { ContactLedger, ContactState, ExpiringGrant } from './contact-state';
import type { DecayOperation, EventOperation, ExpiryOperation, ModifyOperation, ResetOperation } from './operation';
import { mayCount, withAward } from './rule-counts';
import { boundedGain, groupMaximum, withinLimits } from './score-limits';
import { adjustedScore, decayScore, normalizeScore } from './score-math';
import type { ChangeRecord } from './transition';

/**
 * The operations of a profile whose rules count limited times, expire or belong to a group, or
 * that has limits: what they do to the score and to the contact's ledger (contact-state.ts).
 *
 * - An event scores its matched rules one by one, in profile order. A rule whose count is used
 *   up scores 0 and is listed in `limitedRuleIds`; a rule whose points would have expired before
 *   the event arrived adds nothing (and is not counted). A grouped rule's points are held to the
 *   group's maximum, then every rule's to the profile's min/max; what is left is what the rule
 *   really added, to its group and the total, and what its expiry later takes back.
 * - An expiry takes back the earliest due grant, from its group and the total (held to the limits
 *   as well), logged with cause `expired`, the rule and the event.
 * - Manual add and subtract points are ungrouped (held to the limits); set and reset put the score
 *   at their value (within the limits): the groups and the points still to expire are cleared, as
 *   the score no longer holds them. How often rules counted is kept.
 * - Decay lowers the total as decayScore says (not below the profile's min); a positive score
 *   scales every group and every grant still to expire by the same ratio, so a group keeps its
 *   share and an expiry never takes back more than is left of it. A score at or below 0 decaying
 *   further down takes it from the ungrouped points.
 */

const DAY_MS = 86_400_000;

export interface LedgerTransition {
	readonly state: ContactState;
	readonly change?: ChangeRecord;
	readonly limitedRuleIds?: readonly string[];
	readonly lapsedRuleIds?: readonly string[];
}

/** Mutable working copy of a contact's ledger for one transition. */
class Working {
	readonly groups: Map<string, number>;
	readonly awards: Map<string, readonly number[]>;
	expiring: ExpiringGrant[];

	constructor(ledger: ContactLedger | undefined) {
		this.groups = new Map(ledger?.groups === undefined ? [] : Object.entries(ledger.groups));
		this.awards = new Map(ledger?.awards === undefined ? [] : Object.entries(ledger.awards));
		this.expiring = ledger?.expiring === undefined ? [] : [...ledger.expiring];
	}

	addToGroup(group: string, points: number): void {
		this.groups.set(group, normalizeScore((this.groups.get(group) ?? 0) + points));
	}

	addGrant(grant: ExpiringGrant): void {
		let index = this.expiring.length;
		while (index > 0 && this.expiring[index - 1].dueAt > grant.dueAt) index--;
		this.expiring.splice(index, 0, grant);
	}

	/** The groups as they stand now; undefined while there is none. */
	groupSubtotals(): Readonly<Record<string, number>> | undefined {
		return this.groups.size === 0 ? undefined : Object.fromEntries(this.groups);
	}

	/** Object.fromEntries keeps names such as "__proto__" as plain keys. */
	ledger(): ContactLedger | undefined {
		const ledger: { -readonly [K in keyof ContactLedger]: ContactLedger[K] } = {};
		if (this.groups.size > 0) ledger.groups = Object.fromEntries(this.groups);
		if (this.awards.size > 0) ledger.awards = Object.fromEntries(this.awards);
		if (this.expiring.length > 0) ledger.expiring = this.expiring;
		return ledger.groups === undefined && ledger.awards === undefined && ledger.expiring === undefined ? undefined : ledger;
	}
}

/** The state with `ledger` and the next expiry it implies; both absent when the ledger is empty. */
export function withLedger(state: ContactState, ledger: ContactLedger | undefined): ContactState {
	const base: ContactState = {
		contactId: state.contactId,
		score: state.score,
		lastActivityAt: state.lastActivityAt,
		firstSeenAt: state.firstSeenAt,
		updatedAt: state.updatedAt,
		version: state.version,
	};
	if (ledger === undefined) return base;
	const nextExpiryAt = ledger.expiring?.[0]?.dueAt;
	return nextExpiryAt === undefined ? { ...base, ledger } : { ...base, ledger, nextExpiryAt };
}

export function ledgerEvent(
	current: ContactState,
	operation: EventOperation,
	next: (score: number) => ContactState,
): LedgerTransition {
	const { limits } = operation;
	const working = new Working(current.ledger);
	const limitedRuleIds: string[] = [];
	const lapsedRuleIds: string[] = [];
	let score = current.score;
	if (operation.rules === undefined) {
		score = normalizeScore(score + boundedGain(score, operation.delta, limits?.min, limits?.max));
	} else {
		const receivedAt = operation.receivedAt ?? operation.at;
		for (const rule of operation.rules) {
			let dueAt: number | undefined;
			if (rule.expiresAfterDays !== undefined) {
				dueAt = operation.at + rule.expiresAfterDays * DAY_MS;
				if (dueAt <= receivedAt) {
					lapsedRuleIds.push(rule.id);
					continue;
				}
			}
			if (rule.counts !== undefined) {
				const awards = working.awards.get(rule.id);
				if (!mayCount(rule.counts, awards, operation.at, operation.timeZone)) {
					limitedRuleIds.push(rule.id);
					continue;
				}
				working.awards.set(rule.id, withAward(rule.counts, awards, operation.at));
			}
			let gain = rule.points;
			if (rule.group !== undefined) {
				gain = boundedGain(working.groups.get(rule.group) ?? 0, gain, undefined, groupMaximum(limits, rule.group));
			}
			gain = boundedGain(score, gain, limits?.min, limits?.max);
			if (rule.group !== undefined) working.addToGroup(rule.group, gain);
			score = normalizeScore(score + gain);
			if (dueAt !== undefined && gain !== 0) {
				const grant: ExpiringGrant = { ruleId: rule.id, points: gain, dueAt };
				working.addGrant({
					...grant,
					...(operation.eventId === undefined ? {} : { eventId: operation.eventId }),
					...(rule.group === undefined ? {} : { group: rule.group }),
				});
			}
		}
	}
	const state = withLedger(next(score), working.ledger());
	const outcome = {
		state,
		...(limitedRuleIds.length > 0 ? { limitedRuleIds } : {}),
		...(lapsedRuleIds.length > 0 ? { lapsedRuleIds } : {}),
	};
	if (score === current.score) return outcome;
	const cause: ChangeCause = {
		kind: 'event',
		eventType: operation.eventType,
		ruleIds: [...operation.matchedRuleIds],
		...(operation.profileVersion === undefined ? {} : { profileVersion: operation.profileVersion }),
		...(operation.eventId === undefined ? {} : { eventId: operation.eventId }),
		...(limitedRuleIds.length > 0 ? { limitedRuleIds } : {}),
	};
	return { ...outcome, change: changeOf(current, score, cause, operation.at) };
}

export function ledgerModify(
	current: ContactState,
	operation: ModifyOperation,
	next: (score: number) => ContactState,
): { state: ContactState; score: number } {
	const target = adjustedScore(current.score, operation.operation, operation.points);
	if (operation.operation === 'set') {
		const score = withinLimits(target, operation.limits);
		return { state: withLedger(next(score), clearedScore(current.ledger)), score };
	}
	const gain = boundedGain(current.score, normalizeScore(target - current.score), operation.limits?.min, operation.limits?.max);
	const score = normalizeScore(current.score + gain);
	return { state: withLedger(next(score), current.ledger), score };
}

export function ledgerReset(current: ContactState, operation: ResetOperation, next: (score: number) => ContactState): ContactState {
	return withLedger(next(withinLimits(0, operation.limits)), clearedScore(current.ledger));
}

/** Whether a reset has anything to clear beyond the score. */
export function holdsPoints(ledger: ContactLedger | undefined): boolean {
	return ledger?.groups !== undefined || ledger?.expiring !== undefined;
}

/** What remains of a ledger when the score is set outright: how often rules counted. */
function clearedScore(ledger: ContactLedger | undefined): ContactLedger | undefined {
	return ledger?.awards === undefined ? undefined : { awards: ledger.awards };
}

export function ledgerDecay(current: ContactState, operation: DecayOperation): { state: ContactState; score: number } {
	const decayed = decayScore(current.score, operation.policy);
	const score = normalizeScore(
		current.score + boundedGain(current.score, normalizeScore(decayed - current.score), operation.limits?.min, undefined),
	);
	let ledger = current.ledger;
	if (ledger !== undefined && current.score > 0 && score >= 0 && score !== current.score) {
		const ratio = score / current.score;
		const working = new Working(ledger);
		for (const [group, subtotal] of working.groups) working.groups.set(group, normalizeScore(subtotal * ratio));
		working.expiring = working.expiring.map((grant) => ({ ...grant, points: normalizeScore(grant.points * ratio) }));
		ledger = working.ledger();
	}
	const state = withLedger({ ...current, score, updatedAt: operation.at, version: current.version + 1 }, ledger);
	return { state, score };
}

export function ledgerExpiry(current: ContactState, operation: ExpiryOperation): LedgerTransition | undefined {
	const { state, changes } = expireGrants(current, operation, 1);
	if (state === undefined) return undefined;
	return changes.length === 0 ? { state } : { state, change: changes[0] };
}

/**
 * Every grant due at or before the operation's time, earliest first, at most `max`: one written
 * state and one change per grant that moved the score, exactly as that many expiry operations
 * one after the other would give (a large backlog is applied without a transition per grant).
 */
export function expireGrants(
	current: ContactState,
	operation: ExpiryOperation,
	max = Infinity,
): { state?: ContactState; changes: ChangeRecord[] } {
	const pending = current.ledger?.expiring;
	if (pending === undefined || pending.length === 0 || pending[0].dueAt > operation.at) return { changes: [] };
	const { limits } = operation;
	const working = new Working(current.ledger);
	const changes: ChangeRecord[] = [];
	let score = current.score;
	let due = 0;
	while (due < max && due < pending.length && pending[due].dueAt <= operation.at) {
		const grant = pending[due++];
		let gain = -grant.points;
		if (grant.group !== undefined) {
			gain = boundedGain(working.groups.get(grant.group) ?? 0, gain, undefined, groupMaximum(limits, grant.group));
		}
		gain = boundedGain(score, gain, limits?.min, limits?.max);
		const previousGroups = working.groupSubtotals();
		if (grant.group !== undefined) working.addToGroup(grant.group, gain);
		const after = normalizeScore(score + gain);
		if (after !== score) {
			const cause: ChangeCause =
				grant.eventId === undefined
					? { kind: 'expired', ruleId: grant.ruleId }
					: { kind: 'expired', ruleId: grant.ruleId, eventId: grant.eventId };
			const change = { contactId: current.contactId, previousScore: score, score: after, delta: normalizeScore(after - score), cause, at: grant.dueAt };
			changes.push(withGroups(change, previousGroups, working.groupSubtotals()));
		}
		score = after;
	}
	working.expiring = working.expiring.slice(due);
	// An expiry is not activity: only the score, the ledger and the update time move.
	const state = withLedger({ ...current, score, updatedAt: operation.at, version: current.version + 1 }, working.ledger());
	return { state, changes };
}

/** How many grants of the contact are due at or before `at`: the expiry operations to apply. */
export function dueExpiries(state: ContactState | undefined, at: number): number {
	const expiring = state?.ledger?.expiring;
	if (expiring === undefined) return 0;
	let due = 0;
	while (due < expiring.length && expiring[due].dueAt <= at) due++;
	return due;
}

/** The points of the score outside any group: the total is the groups' subtotals plus these. */
export function ungroupedPoints(state: ContactState): number {
	let grouped = 0;
	for (const subtotal of Object.values(state.ledger?.groups ?? {})) grouped += subtotal;
	return normalizeScore(state.score - grouped);
}

/** The group with the highest positive subtotal (ties: the first by name), Mautic's "winning group". */
export function topGroup(state: ContactState): string | undefined {
	let top: string | undefined;
	let best = 0;
	for (const [group, subtotal] of Object.entries(state.ledger?.groups ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		if (subtotal > best) {
			top = group;
			best = subtotal;
		}
	}
	return top;
}

function changeOf(current: ContactState, score: number, cause: ChangeCause, at: number): ChangeRecord {
	return { contactId: current.contactId, previousScore: current.score, score, delta: normalizeScore(score - current.score), cause, at };
}
