import type { JournalEntry } from '../journal';
import type { ContactState } from './contact-state';
import type { JournalPlan } from './journal-plan';
import type { ScoreOperation } from './operation';
import { type ChangeRecord, transition } from './transition';

/** What a batch reads: the stored contacts, and whether an event id was already counted. */
export interface ContactView {
	contact(contactId: string): ContactState | undefined;
	isSeen(eventId: string): boolean;
}

export interface BatchItem {
	readonly contactId: string;
	readonly operation: ScoreOperation;
	/** Appended to the journal when the item is applied (see JournalPlan). */
	readonly journal?: JournalEntry;
}

export interface ItemOutcome {
	/** An event whose id was already counted (before or earlier in the batch): nothing changed. */
	readonly duplicate: boolean;
	/** Whether the store held the contact before this item. */
	readonly known: boolean;
	readonly previousScore: number;
	readonly score: number;
	/** score − previousScore as the log keeps it; 0 for a duplicate or an item that moved nothing. */
	readonly delta: number;
	/** Index into the plan's changes of the change this item logged, or -1. */
	readonly changeIndex: number;
	/** Matched rules that scored 0 because how often they count was used up (see Transition). */
	readonly limitedRuleIds?: readonly string[];
}

export interface BatchPlan {
	/** The final state of every contact the batch wrote, once each. */
	readonly contacts: ContactState[];
	/** Contact by contact: the changes of one contact together, in the order they happened. */
	readonly changes: ChangeRecord[];
	readonly seenEventIds: string[];
	/** One per item, in order. */
	readonly outcomes: ItemOutcome[];
	/** The plan's journal entries, when it was planned with a JournalPlan. */
	readonly journal?: JournalEntry[];
}

/**
 * Applies operations in order as if one after the other: each item sees the state the items before
 * it left. An event id counts once per profile: a second occurrence is a duplicate that changes
 * nothing (its outcome still says the contact's current score). With `journal`, the plan journals
 * what it applies (see JournalPlan).
 */
export function planBatch(view: ContactView, items: readonly BatchItem[], journal?: JournalPlan): BatchPlan {
	const working = new Map<string, ContactState | undefined>();
	const written = new Set<string>();
	const countedNow = new Set<string>();
	const changes: ChangeRecord[] = [];
	const seenEventIds: string[] = [];
	const outcomes: ItemOutcome[] = new Array(items.length);
	for (let index = 0; index < items.length; index++) {
		const item = items[index];
		const { contactId, operation } = item;
		let current = working.get(contactId);
		if (current === undefined && !working.has(contactId)) {
			current = view.contact(contactId);
			working.set(contactId, current);
		}
		const previousScore = current?.score ?? 0;
		const known = current !== undefined && current.version > 0;
		if (operation.kind === 'event' && operation.eventId !== undefined) {
			const eventId = operation.eventId;
			if (countedNow.has(eventId) || view.isSeen(eventId)) {
				outcomes[index] = { duplicate: true, known, previousScore, score: previousScore, delta: 0, changeIndex: -1 };
				continue;
			}
			countedNow.add(eventId);
			seenEventIds.push(eventId);
		}
		const { state, change, limitedRuleIds } = transition(contactId, current, operation);
		if (state !== undefined) {
			if (journal !== undefined && item.journal !== undefined) journal.append(contactId, current, !written.has(contactId), item.journal);
			working.set(contactId, state);
			written.add(contactId);
		}
		let changeIndex = -1;
		if (change !== undefined) changeIndex = changes.push(change) - 1;
		const score = state?.score ?? previousScore;
		const delta = change?.delta ?? 0;
		outcomes[index] =
			limitedRuleIds === undefined
				? { duplicate: false, known, previousScore, score, delta, changeIndex }
				: { duplicate: false, known, previousScore, score, delta, changeIndex, limitedRuleIds };
	}
	const contacts: ContactState[] = [];
	for (const contactId of written) contacts.push(working.get(contactId) as ContactState);
	const logged = changesByContact(changes, outcomes);
	if (journal === undefined) return { contacts, changes: logged, seenEventIds, outcomes };
	return { contacts: journal.written(contacts), changes: logged, seenEventIds, outcomes, journal: journal.entries };
}

/**
 * The changes contact by contact (contacts in the order they first changed, each contact's changes
 * in the order they happened), with the outcomes pointed at their new places. A reader of the log
 * still sees each contact's changes in order, and a store keeps one contact's changes of a
 * transaction together (SQLite as one row: a row per change cost more than scoring its event).
 */
function changesByContact(changes: ChangeRecord[], outcomes: ItemOutcome[]): ChangeRecord[] {
	const ordinalOf = new Map<string, number>();
	const counts: number[] = [];
	const ordinals = new Int32Array(changes.length);
	let grouped = true;
	for (let index = 0; index < changes.length; index++) {
		const contactId = changes[index].contactId;
		let ordinal = ordinalOf.get(contactId);
		if (ordinal === undefined) {
			ordinal = counts.push(0) - 1;
			ordinalOf.set(contactId, ordinal);
		} else if (ordinal !== ordinals[index - 1]) grouped = false;
		ordinals[index] = ordinal;
		counts[ordinal]++;
	}
	if (grouped) return changes;
	const nextPlace = new Int32Array(counts.length);
	for (let ordinal = 1; ordinal < counts.length; ordinal++) nextPlace[ordinal] = nextPlace[ordinal - 1] + counts[ordinal - 1];
	const places = new Int32Array(changes.length);
	const logged: ChangeRecord[] = new Array(changes.length);
	for (let index = 0; index < changes.length; index++) {
		const place = nextPlace[ordinals[index]]++;
		places[index] = place;
		logged[place] = changes[index];
	}
	for (let index = 0; index < outcomes.length; index++) {
		const outcome = outcomes[index];
		if (outcome.changeIndex >= 0) outcomes[index] = { ...outcome, changeIndex: places[outcome.changeIndex] };
	}
	return logged;
}
