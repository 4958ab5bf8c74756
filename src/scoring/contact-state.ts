/**
 * What a store keeps of one contact of one profile. Plain, immutable, JSON-serialisable data: the
 * scoring core computes every new state (see transition.ts), the store only keeps it and the
 * indexes derived from it (score ranking, idle-since for decay).
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
}

/** The time decay counts inactivity from: last activity, or first appearance for a contact never active. */
export function idleSince(state: ContactState): number {
	return state.lastActivityAt ?? state.firstSeenAt;
}

/** A contact the store does not hold yet, as the first transition sees it. */
export function unseenContact(contactId: string, at: number): ContactState {
	return { contactId, score: 0, lastActivityAt: null, firstSeenAt: at, updatedAt: at, version: 0 };
}
