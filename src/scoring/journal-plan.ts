import type { JournalCarried, JournalEntry } from '../journal';
import type { ContactView } from './batch';
import { type ContactState, withFields } from './contact-state';

/**
 * What a plan appends to the profile's journal, the one rule of it:
 * - the plan's profile-wide entries first (a decay run's, in its first step only);
 * - then each applied item's own entry, in item order: not a duplicate event, not an operation
 *   that wrote nothing (a reset of a score already at 0); expiries have none (they follow from
 *   the events);
 * - a contact whose stored state is not `journaled` starts its journal in the plan with a
 *   `carried` entry: of its stored state, before its first own entry; of the state the plan wrote,
 *   when it has no own entry (a decay step: the run's entry is then already behind it);
 * - every state the plan writes is `journaled`.
 */
export class JournalPlan {
	readonly entries: JournalEntry[];
	/** Contacts whose journal this plan begins (new, or carried): their states are marked in `written`. */
	private readonly begun = new Set<string>();

	constructor(profileWide: readonly JournalEntry[] = []) {
		this.entries = [...profileWide];
	}

	/**
	 * The entry of an applied item; `current` is the contact's state before it, `fromStore` whether
	 * that is the stored state (no earlier item of the plan wrote the contact).
	 */
	append(contactId: string, current: ContactState | undefined, fromStore: boolean, entry: JournalEntry): void {
		if (current?.journaled !== true && fromStore && !this.begun.has(contactId)) {
			this.begun.add(contactId);
			if (current !== undefined && current.version > 0) this.entries.push(carriedOf(current));
		}
		this.entries.push(entry);
	}

	/** The states to write, each `journaled`; carries those the plan wrote without an entry of their own. */
	written(states: ContactState[]): ContactState[] {
		for (let index = 0; index < states.length; index++) {
			const state = states[index];
			if (state.journaled === true) continue;
			if (!this.begun.has(state.contactId)) this.entries.push(carriedOf(state));
			states[index] = withFields(state, { journaled: true });
		}
		return states;
	}
}

/** What the contact holds, as its journal's starting point (its state's time). */
export function carriedOf(
	state: Pick<ContactState, 'contactId' | 'score' | 'lastActivityAt' | 'firstSeenAt' | 'updatedAt' | 'ledger'>,
): JournalCarried {
	const { ledger } = state;
	const carried: { -readonly [K in keyof JournalCarried]: JournalCarried[K] } = {
		kind: 'carried',
		contactId: state.contactId,
		score: state.score,
		lastActivityAt: state.lastActivityAt,
		firstSeenAt: state.firstSeenAt,
		at: state.updatedAt,
	};
	if (ledger?.groups !== undefined) carried.groups = ledger.groups;
	if (ledger !== undefined) carried.ledger = ledger;
	return carried;
}

/** An event to record while the profile is not published: journaled, not scored. */
export interface RecordedItem {
	readonly contactId: string;
	readonly eventId?: string;
	readonly journal: JournalEntry;
}

export interface RecordingOutcome {
	/** The event id was already counted: nothing recorded. */
	readonly duplicate: boolean;
	/** Whether the store holds the contact. */
	readonly known: boolean;
	/** The contact's score, which recording does not change. */
	readonly score: number;
}

export interface RecordingPlan {
	/** Contacts whose journal begins with a carried entry now: their stored state, marked `journaled`, no other change. */
	readonly contacts: ContactState[];
	readonly seenEventIds: string[];
	readonly journal: JournalEntry[];
	/** One per item, in order. */
	readonly outcomes: RecordingOutcome[];
}

/**
 * Records events without scoring them (a profile in draft): each journaled, its id counted as
 * seen so a retry is a duplicate (not journaled again); no score, activity or log entry moves.
 */
export function planRecording(view: ContactView, items: readonly RecordedItem[]): RecordingPlan {
	const plan = new JournalPlan();
	const marked = new Map<string, ContactState>();
	const countedNow = new Set<string>();
	const seenEventIds: string[] = [];
	const outcomes: RecordingOutcome[] = new Array(items.length);
	for (let index = 0; index < items.length; index++) {
		const { contactId, eventId, journal } = items[index];
		const stored = marked.get(contactId) ?? view.contact(contactId);
		const known = stored !== undefined && stored.version > 0;
		const score = stored?.score ?? 0;
		if (eventId !== undefined) {
			if (countedNow.has(eventId) || view.isSeen(eventId)) {
				outcomes[index] = { duplicate: true, known, score };
				continue;
			}
			countedNow.add(eventId);
			seenEventIds.push(eventId);
		}
		plan.append(contactId, stored, !marked.has(contactId), journal);
		if (known && stored.journaled !== true) marked.set(contactId, withFields(stored, { journaled: true, version: stored.version + 1 }));
		outcomes[index] = { duplicate: false, known, score };
	}
	return { contacts: [...marked.values()], seenEventIds, journal: plan.entries, outcomes };
}
