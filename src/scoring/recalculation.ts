import { isDeepStrictEqual } from 'node:util';

import { withGroups } from './change-groups';
import { type ContactState, contactState } from './contact-state';
import { normalizeScore } from './score-math';
import type { ChangeRecord, Transition } from './transition';

/** What a contact's journal replays to (replayContact): what a store keeps of it, less what the writer sets. */
export type ReplayedHolding = Pick<ContactState, 'score' | 'lastActivityAt' | 'firstSeenAt' | 'ledger' | 'nextExpiryAt'>;

/** A contact recomputed from its journal when version `toVersion` is published. */
export interface RecalculationOperation {
	readonly kind: 'recalculation';
	readonly fromVersion: number;
	readonly toVersion: number;
	readonly at: number;
}

/**
 * What a recalculation does to a stored contact: it takes the state its journal replays to under
 * the new version (`replayed`, from replayContact; undefined when there is nothing to replay).
 * Written, as the stored version + 1, journaled and recalculated to `toVersion`, only when it holds
 * something else than the stored state (score, times, ledger), so recalculating twice under one
 * version writes nothing the second time; logged, once, when the score moved.
 */
export function recalculatedContact(
	contactId: string,
	current: ContactState | undefined,
	replayed: ReplayedHolding | undefined,
	operation: RecalculationOperation,
): Transition {
	if (replayed === undefined || (current !== undefined && holdsTheSame(current, replayed))) return {};
	const state = contactState(
		contactId,
		replayed.score,
		replayed.lastActivityAt,
		replayed.firstSeenAt,
		operation.at,
		(current?.version ?? 0) + 1,
		replayed.ledger,
		{ journaled: true, recalculatedVersion: operation.toVersion },
	);
	const previousScore = current?.score ?? 0;
	if (state.score === previousScore) return { state };
	const change: ChangeRecord = {
		contactId,
		previousScore,
		score: state.score,
		delta: normalizeScore(state.score - previousScore),
		cause: { kind: 'recalculation', fromVersion: operation.fromVersion, toVersion: operation.toVersion },
		at: operation.at,
	};
	return { state, change: withGroups(change, current?.ledger?.groups, state.ledger?.groups) };
}

/** Whether two states of a contact hold the same: what a reader sees of it, not when or how often it was written. */
export function holdsTheSame(stored: ReplayedHolding, replayed: ReplayedHolding): boolean {
	return (
		stored.score === replayed.score &&
		stored.lastActivityAt === replayed.lastActivityAt &&
		stored.firstSeenAt === replayed.firstSeenAt &&
		stored.nextExpiryAt === replayed.nextExpiryAt &&
		isDeepStrictEqual(emptyAsAbsent(stored.ledger), emptyAsAbsent(replayed.ledger))
	);
}

function emptyAsAbsent<T extends object>(value: T | undefined): T | undefined {
	if (value === undefined) return undefined;
	for (const key of Object.keys(value)) if ((value as Record<string, unknown>)[key] !== undefined) return value;
	return undefined;
}
