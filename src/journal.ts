import type { ContactLedger } from './scoring/contact-state';
import type { AdjustOperation, DecayPolicy } from './types';

/**
 * A profile's journal: every input that moved, or could later move, its scores, as received. It
 * is what a recalculation replays under new rules (scoring/replay.ts), what Preview Draft replays
 * under the draft, and what Explain Score attributes. Plain, immutable, JSON-serialisable data.
 */
export type JournalEntry = JournalEvent | JournalModify | JournalReset | JournalDecay | JournalCarried;

/** An event as normalized by the engine (event.ts), before any rule looked at it. */
export interface JournalEvent {
	readonly kind: 'event';
	readonly contactId: string;
	readonly eventId?: string;
	readonly type: string;
	readonly properties: Readonly<Record<string, unknown>>;
	readonly occurredAt: number;
	/** When the engine received it: an expiry window already over by then adds nothing. */
	readonly receivedAt: number;
}

/** A manual add, subtract or set. */
export interface JournalModify {
	readonly kind: 'modify';
	readonly contactId: string;
	readonly operation: AdjustOperation;
	readonly points: number;
	readonly reason?: string;
	readonly countsAsActivity: boolean;
	readonly at: number;
}

export interface JournalReset {
	readonly kind: 'reset';
	readonly contactId: string;
	readonly reason?: string;
	readonly at: number;
}

/** A decay run: profile-wide (no contactId); replay applies it to every contact at its place. */
export interface JournalDecay {
	readonly kind: 'decay';
	readonly policy: DecayPolicy;
	readonly inactiveBefore: number;
	readonly at: number;
}

/**
 * What a contact already held when its journal began (a contact scored before the profile kept a
 * journal, or whose older entries retention folded away): replay starts from the contact's newest
 * carried entry instead of from nothing, so a recalculation never drops points it cannot see.
 */
export interface JournalCarried {
	readonly kind: 'carried';
	readonly contactId: string;
	readonly score: number;
	readonly groups?: Readonly<Record<string, number>>;
	/** The ledger it held (limited rules' awards, points still to expire), so replay goes on from it. */
	readonly ledger?: ContactLedger;
	readonly lastActivityAt: number | null;
	readonly firstSeenAt: number;
	readonly at: number;
}

/** An entry as a store returns it: `journalSeq` orders a profile's entries as they were committed. */
export type JournalRecord = JournalEntry & { readonly journalSeq: number };

/** The journal of some contacts of one profile, as replay needs it. */
export interface ContactJournals {
	/** Each named contact's own entries, oldest (lowest journalSeq) first; a contact without any is absent. */
	readonly byContact: ReadonlyMap<string, readonly JournalRecord[]>;
	/** The profile-wide entries (decay runs), oldest first. */
	readonly profileWide: readonly JournalRecord[];
}

/** How long a profile keeps its journal; absent on a profile: DEFAULT_JOURNAL_RETENTION_DAYS. */
export type JournalRetention = { readonly days: number } | 'forever';

export const DEFAULT_JOURNAL_RETENTION_DAYS = 365;
