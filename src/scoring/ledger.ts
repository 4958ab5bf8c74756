import type { ChangeCause } from '../types';
import { withGroups } from './change-groups';
import { type ContactLedger, type ContactState, contactState, type ExpiringGrant } from './contact-state';
import { eventCause } from './event-cause';
import type { DecayOperation, EventOperation, ExpiryOperation, ModifyOperation, ResetOperation, ScoringRule } from './operation';
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

/**
 * Told what each matched rule of an event that scored added, in profile order: `afterGroupLimit`
 * is what its group's maximum let through of its points, `gain` what the score's limits then left
 * (what it added to its group and the total). For explanations; the core computes, this only listens.
 */
export type RuleGains = (rule: ScoringRule, afterGroupLimit: number, gain: number) => void;

/** Builds a contact's next state with the given score and ledger (the operation's times and version). */
export type NextState = (score: number, ledger: ContactLedger | undefined) => ContactState;

/**
 * Working copy of a contact's ledger for one transition. Each part is copied only when first
 * changed: an event usually changes one or two parts, and its state shares the rest.
 * Records are copied with spread and written as own data properties, so names such as
 * "__proto__" stay plain keys.
 */
class Working {
	private groups: Record<string, number> | undefined;
	private awards: Record<string, readonly number[]> | undefined;
	private expiring: readonly ExpiringGrant[] | undefined;
	private groupsCopied = false;
	private awardsCopied = false;
	private expiringCopied = false;

	constructor(ledger: ContactLedger | undefined) {
		this.groups = ledger?.groups;
		this.awards = ledger?.awards;
		this.expiring = ledger?.expiring;
	}

	group(group: string): number {
		return ownValue(this.groups, group) ?? 0;
	}

	groupEntries(): Array<[string, number]> {
		return this.groups === undefined ? [] : Object.entries(this.groups);
	}

	setGroup(group: string, subtotal: number): void {
		if (!this.groupsCopied) {
			this.groups = { ...this.groups };
			this.groupsCopied = true;
		}
		setOwn(this.groups as Record<string, number>, group, subtotal);
	}

	addToGroup(group: string, points: number): void {
		this.setGroup(group, normalizeScore(this.group(group) + points));
	}

	awardsOf(ruleId: string): readonly number[] | undefined {
		return ownValue(this.awards, ruleId);
	}

	setAwards(ruleId: string, times: readonly number[]): void {
		if (!this.awardsCopied) {
			this.awards = { ...this.awards };
			this.awardsCopied = true;
		}
		setOwn(this.awards as Record<string, readonly number[]>, ruleId, times);
	}

	pending(): readonly ExpiringGrant[] {
		return this.expiring ?? [];
	}

	replacePending(expiring: readonly ExpiringGrant[]): void {
		this.expiring = expiring;
		this.expiringCopied = false;
	}

	addGrant(grant: ExpiringGrant): void {
		const list = this.expiringCopied ? (this.expiring as ExpiringGrant[]) : [...(this.expiring ?? [])];
		let index = list.length;
		while (index > 0 && list[index - 1].dueAt > grant.dueAt) index--;
		if (index === list.length) list.push(grant);
		else list.splice(index, 0, grant);
		this.expiring = list;
		this.expiringCopied = true;
	}

	/** The groups as they stand now (a copy: the working record changes in place); undefined while there is none. */
	groupSubtotals(): Readonly<Record<string, number>> | undefined {
		return hasOwnKeys(this.groups) ? { ...this.groups } : undefined;
	}

	ledger(): ContactLedger | undefined {
		const groups = hasOwnKeys(this.groups) ? this.groups : undefined;
		const awards = hasOwnKeys(this.awards) ? this.awards : undefined;
		const expiring = this.expiring !== undefined && this.expiring.length > 0 ? this.expiring : undefined;
		if (groups === undefined && awards === undefined && expiring === undefined) return undefined;
		const ledger: { -readonly [K in keyof ContactLedger]: ContactLedger[K] } = {};
		if (groups !== undefined) ledger.groups = groups;
		if (awards !== undefined) ledger.awards = awards;
		if (expiring !== undefined) ledger.expiring = expiring;
		return ledger;
	}
}

function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
	return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
	if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
	else record[key] = value;
}

function hasOwnKeys(record: object | undefined): boolean {
	if (record === undefined) return false;
	for (const key in record) if (Object.hasOwn(record, key)) return true;
	return false;
}

/** The state with `ledger` and the next expiry it implies; both absent when the ledger is empty. */
export function withLedger(state: ContactState, ledger: ContactLedger | undefined): ContactState {
	return contactState(state.contactId, state.score, state.lastActivityAt, state.firstSeenAt, state.updatedAt, state.version, ledger, state);
}

/**
 * The contact with only its score, ledger and update time moved (decay, expiry), field by field:
 * a spread of states of several shapes is V8's slow generic copy.
 */
function movedScore(current: ContactState, score: number, at: number, ledger: ContactLedger | undefined): ContactState {
	return contactState(current.contactId, score, current.lastActivityAt, current.firstSeenAt, at, current.version + 1, ledger, current);
}

export function ledgerEvent(current: ContactState, operation: EventOperation, next: NextState, ruleGains?: RuleGains): LedgerTransition {
	const { limits } = operation;
	const working = new Working(current.ledger);
	let limitedRuleIds: string[] | undefined;
	let lapsedRuleIds: string[] | undefined;
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
					(lapsedRuleIds ??= []).push(rule.id);
					continue;
				}
			}
			if (rule.counts !== undefined) {
				const awards = working.awardsOf(rule.id);
				if (!mayCount(rule.counts, awards, operation.at, operation.timeZone)) {
					(limitedRuleIds ??= []).push(rule.id);
					continue;
				}
				working.setAwards(rule.id, withAward(rule.counts, awards, operation.at));
			}
			let gain = rule.points;
			if (rule.group !== undefined) {
				gain = boundedGain(working.group(rule.group), gain, undefined, groupMaximum(limits, rule.group));
			}
			const afterGroupLimit = gain;
			gain = boundedGain(score, gain, limits?.min, limits?.max);
			if (ruleGains !== undefined) ruleGains(rule, afterGroupLimit, gain);
			if (rule.group !== undefined) working.addToGroup(rule.group, gain);
			score = normalizeScore(score + gain);
			if (dueAt !== undefined && gain !== 0) working.addGrant(grantOf(rule.id, operation.eventId, rule.group, gain, dueAt));
		}
	}
	const ledger = working.ledger();
	const outcome: { -readonly [K in keyof LedgerTransition]: LedgerTransition[K] } = { state: next(score, ledger) };
	if (limitedRuleIds !== undefined) outcome.limitedRuleIds = limitedRuleIds;
	if (lapsedRuleIds !== undefined) outcome.lapsedRuleIds = lapsedRuleIds;
	if (score === current.score) return outcome;
	// Without limited rules the cause is the plain path's (shared per outcome where it can be).
	const cause: ChangeCause =
		limitedRuleIds === undefined ? eventCause(operation) : { ...eventCause(operation), limitedRuleIds };
	// With the groups before and after already (as transition would add them): built once.
	const previousGroups = current.ledger?.groups;
	const groups = ledger?.groups;
	const { contactId, score: previousScore } = current;
	const delta = normalizeScore(score - previousScore);
	outcome.change =
		previousGroups === undefined && groups === undefined
			? { contactId, previousScore, score, delta, cause, at: operation.at }
			: { contactId, previousScore, score, delta, cause, at: operation.at, groups: groups ?? {}, previousGroups: previousGroups ?? {} };
	return outcome;
}

function grantOf(ruleId: string, eventId: string | undefined, group: string | undefined, points: number, dueAt: number): ExpiringGrant {
	if (eventId === undefined) return group === undefined ? { ruleId, points, dueAt } : { ruleId, points, dueAt, group };
	return group === undefined ? { ruleId, points, dueAt, eventId } : { ruleId, points, dueAt, eventId, group };
}

export function ledgerModify(
	current: ContactState,
	operation: ModifyOperation,
	next: NextState,
): { state: ContactState; score: number } {
	const target = adjustedScore(current.score, operation.operation, operation.points);
	if (operation.operation === 'set') {
		const score = withinLimits(target, operation.limits);
		return { state: next(score, clearedScore(current.ledger)), score };
	}
	const gain = boundedGain(current.score, normalizeScore(target - current.score), operation.limits?.min, operation.limits?.max);
	const score = normalizeScore(current.score + gain);
	return { state: next(score, current.ledger), score };
}

export function ledgerReset(current: ContactState, operation: ResetOperation, next: NextState): ContactState {
	return next(withinLimits(0, operation.limits), clearedScore(current.ledger));
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
		for (const [group, subtotal] of working.groupEntries()) working.setGroup(group, normalizeScore(subtotal * ratio));
		working.replacePending(working.pending().map((grant) => ({ ...grant, points: normalizeScore(grant.points * ratio) })));
		ledger = working.ledger();
	}
	const state = movedScore(current, score, operation.at, ledger);
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
	// The groups as they stand between grants, copied only when a grant moved one: the given
	// ledger's own record to start with (never changed), then a change's `groups` is the next one's
	// `previousGroups` (changes only read them).
	let groups = hasOwnKeys(current.ledger?.groups) ? current.ledger?.groups : undefined;
	while (due < max && due < pending.length && pending[due].dueAt <= operation.at) {
		const grant = pending[due++];
		let gain = -grant.points;
		if (grant.group !== undefined) {
			gain = boundedGain(working.group(grant.group), gain, undefined, groupMaximum(limits, grant.group));
		}
		gain = boundedGain(score, gain, limits?.min, limits?.max);
		const previousGroups = groups;
		if (grant.group !== undefined) {
			working.addToGroup(grant.group, gain);
			groups = working.groupSubtotals();
		}
		const after = normalizeScore(score + gain);
		if (after !== score) {
			const cause: ChangeCause =
				grant.eventId === undefined
					? { kind: 'expired', ruleId: grant.ruleId }
					: { kind: 'expired', ruleId: grant.ruleId, eventId: grant.eventId };
			const change = { contactId: current.contactId, previousScore: score, score: after, delta: normalizeScore(after - score), cause, at: grant.dueAt };
			changes.push(withGroups(change, previousGroups, groups));
		}
		score = after;
	}
	working.replacePending(pending.slice(due));
	// An expiry is not activity: only the score, the ledger and the update time move.
	const state = movedScore(current, score, operation.at, working.ledger());
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
