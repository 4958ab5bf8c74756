import { InvalidInputError } from '../errors';
import type { ContactState } from '../scoring/contact-state';
import type { ChangeRecord } from '../scoring/transition';
import type { IdList, Plan, TransactionKeys } from '../store';
import { checkJournalEntry } from './journal-codec';

/**
 * The store's own invariants, checked before anything of a transaction is written whoever the
 * caller is: a plan touches only the contacts and event ids its transaction named, and every
 * number it writes is finite.
 */
export interface SnapshotGuard {
	contact(contactId: string): void;
	event(eventId: string): void;
}

export function snapshotGuard(keys: TransactionKeys): SnapshotGuard {
	const contactIds = asSet(keys.contactIds);
	const eventIds = asSet(keys.eventIds ?? []);
	return {
		contact: (contactId) => {
			if (!contactIds.has(contactId)) throw notNamed('contact', contactId);
		},
		event: (eventId) => {
			if (!eventIds.has(eventId)) throw notNamed('event id', eventId);
		},
	};
}

function asSet(ids: IdList): ReadonlySet<string> {
	return ids instanceof Set ? ids : new Set(ids);
}

/** The ids as a list, for a store that sends them on. */
export function idArray(ids: IdList | undefined): readonly string[] {
	if (ids === undefined) return [];
	return Array.isArray(ids) ? ids : [...ids];
}

export function checkPlan(plan: Plan<unknown>, guard: SnapshotGuard): void {
	for (const state of plan.contacts) checkState(state, guard);
	for (const change of plan.changes) checkChange(change, guard);
	for (const eventId of plan.seenEventIds) {
		checkId(eventId, 'eventId');
		guard.event(eventId);
	}
	// Journal entries may name contacts the transaction did not: an event recorded for a draft writes no state.
	for (const entry of plan.journal ?? []) checkJournalEntry(entry);
}

export function checkId(value: unknown, field: string): void {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidInputError(`${field} must be a non-empty string`, field);
	}
}

function checkState(state: ContactState, guard: SnapshotGuard): void {
	checkId(state.contactId, 'contactId');
	guard.contact(state.contactId);
	checkFinite(state.score, 'score');
	if (state.lastActivityAt !== null) checkFinite(state.lastActivityAt, 'lastActivityAt');
	checkFinite(state.firstSeenAt, 'firstSeenAt');
	checkFinite(state.updatedAt, 'updatedAt');
	if (!Number.isSafeInteger(state.version) || state.version < 1) {
		throw new InvalidInputError(`A written contact state needs a version of 1 or more, got ${state.version}`, 'version');
	}
}

function checkChange(change: ChangeRecord, guard: SnapshotGuard): void {
	guard.contact(change.contactId);
	checkFinite(change.previousScore, 'score');
	checkFinite(change.score, 'score');
	checkFinite(change.delta, 'score');
	checkFinite(change.at, 'at');
}

function checkFinite(value: unknown, field: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidInputError(`The ${field} must be a finite number, got ${String(value)}`, field);
	}
}

function notNamed(what: string, id: string): Error {
	return new Error(`The transaction read or wrote ${what} "${id}", which it did not name: a bug in the caller`);
}
