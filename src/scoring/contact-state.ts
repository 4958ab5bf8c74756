/**
 * What a store keeps of one contact of one profile. Plain, immutable, JSON-serialisable data: the
 * scoring core computes every new state (see transition.ts), the store only keeps it and the
 * indexes derived from it (score ranking, idle-since for decay, next expiry).
 */
export interface ContactState {
	readonly contactId: string;
	readonly score: number;
	/** Last event (or activity-counting adjustment); null if the contact was never active. */
	readonly lastActivityAt: number | null;
	/** The earliest time the contact was seen (its first event or adjustment, whichever came first). */
	readonly firstSeenAt: number;
	readonly updatedAt: number;
	/**
	 * Incremented by every written transition; a store writes a state only while the stored one
	 * still has the version it was computed from (optimistic concurrency where there is no lock).
	 * 0 is a contact the store does not hold yet.
	 */
	readonly version: number;
	/**
	 * What rules with limits, expiry or a group left on the contact; absent while there is none,
	 * so a profile without such rules keeps exactly the fields above.
	 */
	readonly ledger?: ContactLedger;
	/** The earliest `dueAt` of the ledger's expiring grants, for a store's expiry index; absent when none. */
	readonly nextExpiryAt?: number;
	/**
	 * True once the contact's journal holds everything that made this state (its first journaled
	 * write starts the journal with a `carried` entry of the state before it); absent on a state
	 * written before the profile kept a journal.
	 */
	readonly journaled?: true;
	/** The profile version this state was last recalculated to (recalculation.ts); absent: never. */
	readonly recalculatedVersion?: number;
}

export interface ContactLedger {
	/**
	 * Each group's subtotal; the ungrouped points are the rest of the score (see ungroupedPoints),
	 * so the total is always the sum of the groups and the ungrouped points.
	 */
	readonly groups?: Readonly<Record<string, number>>;
	/** Per limited rule id, the occurredAt times of its newest counted events (at most its `times`), oldest first. */
	readonly awards?: Readonly<Record<string, readonly number[]>>;
	/** Points still to leave the score, earliest due first. */
	readonly expiring?: readonly ExpiringGrant[];
}

/** Points a rule gave that leave the score at `dueAt`. */
export interface ExpiringGrant {
	readonly ruleId: string;
	readonly eventId?: string;
	readonly group?: string;
	/** What the rule really added (after limits); the expiry takes exactly this back. */
	readonly points: number;
	readonly dueAt: number;
}

/** The time decay counts inactivity from: last activity, or first appearance for a contact never active. */
export function idleSince(state: ContactState): number {
	return state.lastActivityAt ?? state.firstSeenAt;
}

/** A contact the store does not hold yet, as the first transition sees it. */
export function unseenContact(contactId: string, at: number): ContactState {
	return storedContactState(contactId, 0, null, at, at, 0, undefined, undefined, undefined, undefined);
}

/** What a state carries over from the one it follows, whatever the operation: kept by every transition. */
export type StateMarks = Pick<ContactState, 'journaled' | 'recalculatedVersion'>;

/**
 * A contact's state with `ledger` and the next expiry it implies (both absent when there is no
 * ledger), and the marks of `previous` (journaled, recalculatedVersion), which no operation changes.
 */
export function contactState(
	contactId: string,
	score: number,
	lastActivityAt: number | null,
	firstSeenAt: number,
	updatedAt: number,
	version: number,
	ledger: ContactLedger | undefined,
	previous?: StateMarks,
): ContactState {
	return storedContactState(
		contactId,
		score,
		lastActivityAt,
		firstSeenAt,
		updatedAt,
		version,
		ledger,
		ledger?.expiring?.[0]?.dueAt,
		previous?.journaled === true ? true : undefined,
		previous?.recalculatedVersion,
	);
}

/**
 * A state from each of its fields, as a store reads it back. Every state is built here, so all of
 * them have one shape, the optional fields present (undefined when absent): a batch reads the
 * fields of thousands of states, which states of several shapes (built field by field, or by
 * spread) make polymorphic (docs/benchmarks.md, session 10, has what it measured).
 */
export function storedContactState(
	contactId: string,
	score: number,
	lastActivityAt: number | null,
	firstSeenAt: number,
	updatedAt: number,
	version: number,
	ledger: ContactLedger | undefined,
	nextExpiryAt: number | undefined,
	journaled: true | undefined,
	recalculatedVersion: number | undefined,
): ContactState {
	return { contactId, score, lastActivityAt, firstSeenAt, updatedAt, version, ledger, nextExpiryAt, journaled, recalculatedVersion };
}

/** The fields of a state that move without a transition's own rules: decay without a ledger, and the journal and recalculation marks. */
export type MovedFields = Partial<Pick<ContactState, 'score' | 'updatedAt' | 'version' | 'journaled' | 'recalculatedVersion'>>;

/** The state with `moved` fields replaced and the rest kept, in the one shape (see storedContactState). */
export function withFields(state: ContactState, moved: MovedFields): ContactState {
	return storedContactState(
		state.contactId,
		moved.score ?? state.score,
		state.lastActivityAt,
		state.firstSeenAt,
		moved.updatedAt ?? state.updatedAt,
		moved.version ?? state.version,
		state.ledger,
		state.nextExpiryAt,
		moved.journaled ?? state.journaled,
		moved.recalculatedVersion ?? state.recalculatedVersion,
	);
}
