import { InvalidInputError } from '../errors';
import type { Adjustment, ChangeCause, DecayPolicy, ScoredEvent } from '../types';

/**
 * Checks every store applies before writing, so that a malformed value is refused with the field
 * it came from and never reaches a score. The engine validates user input earlier; these guard
 * the store's own invariants (finite scores, non-empty ids) for any caller.
 */
export function checkScoredEvents(events: readonly ScoredEvent[]): void {
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		const field = (name: string) => `events[${index}].${name}`;
		if (typeof event.contactId !== 'string' || event.contactId.length === 0) checkId(event.contactId, field('contactId'));
		if (event.eventId !== undefined) checkId(event.eventId, field('eventId'));
		if (!Number.isFinite(event.delta)) checkFinite(event.delta, field('delta'));
		if (!Number.isFinite(event.occurredAt)) checkFinite(event.occurredAt, field('occurredAt'));
		if (typeof event.eventType !== 'string') throw new InvalidInputError('The event type must be a string', field('eventType'));
		if (!Array.isArray(event.matchedRuleIds)) {
			throw new InvalidInputError('The matched rule ids must be a list', field('matchedRuleIds'));
		}
	}
}

export function checkAdjustment(adjustment: Adjustment): void {
	checkId(adjustment.contactId, 'contactId');
	if (!['add', 'subtract', 'set'].includes(adjustment.operation)) {
		throw new InvalidInputError(`Unknown operation "${String(adjustment.operation)}": use add, subtract or set`, 'operation');
	}
	checkFinite(adjustment.points, 'points');
	checkFinite(adjustment.at, 'at');
}

export function checkDecay(policy: DecayPolicy, inactiveBefore: number, at: number): void {
	checkFinite(policy.floor, 'floor');
	checkFinite(policy.inactiveDays, 'inactiveDays');
	if (policy.mode === 'subtract') checkFinite(policy.points, 'points');
	else if (policy.mode === 'multiply') checkFinite(policy.factor, 'factor');
	else throw new InvalidInputError(`Unknown decay mode "${String((policy as { mode: unknown }).mode)}"`, 'mode');
	checkFinite(inactiveBefore, 'inactiveBefore');
	checkFinite(at, 'at');
}

export function checkId(value: unknown, field: string): void {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidInputError(`${field} must be a non-empty string`, field);
	}
}

export function checkFinite(value: unknown, field: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidInputError(`${field} must be a finite number, got ${JSON.stringify(value) ?? String(value)}`, field);
	}
}

export function eventCause(event: ScoredEvent): ChangeCause {
	return event.eventId === undefined
		? { kind: 'event', eventType: event.eventType, ruleIds: [...event.matchedRuleIds] }
		: { kind: 'event', eventType: event.eventType, ruleIds: [...event.matchedRuleIds], eventId: event.eventId };
}

export function modifyCause(adjustment: Adjustment): ChangeCause {
	return adjustment.reason === undefined
		? { kind: 'modify', operation: adjustment.operation, points: adjustment.points }
		: { kind: 'modify', operation: adjustment.operation, points: adjustment.points, reason: adjustment.reason };
}

export function resetCause(reason?: string): ChangeCause {
	return reason === undefined ? { kind: 'reset' } : { kind: 'reset', reason };
}

/** Newest-known activity wins: an event delivered late must not make an active contact look idle. */
export function laterOf(current: number | null, candidate: number): number {
	return current === null ? candidate : Math.max(current, candidate);
}

export function byNameThenId(a: { name: string; id: string }, b: { name: string; id: string }): number {
	return compareStrings(a.name, b.name) || compareStrings(a.id, b.id);
}

/**
 * Unicode code point order, which is the byte order of UTF-8 and so SQLite's default BINARY
 * collation: every store sorts ties alike. (Plain `<` compares UTF-16 units, which puts
 * characters above U+FFFF before U+E000..U+FFFF.)
 */
export function compareStrings(a: string, b: string): number {
	if (a === b) return 0;
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		const left = a.charCodeAt(index);
		const right = b.charCodeAt(index);
		if (left !== right) return Math.sign(codePointRank(left) - codePointRank(right));
	}
	return Math.sign(a.length - b.length);
}

/** Surrogates stand for code points above U+FFFF, so they rank above every other UTF-16 unit. */
function codePointRank(unit: number): number {
	return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
