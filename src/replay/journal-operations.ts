import type { JournalCarried, JournalDecay, JournalModify, JournalReset } from '../journal';
import { type ContactState, contactState } from '../scoring/contact-state';
import type { DecayOperation, ModifyOperation, ResetOperation } from '../scoring/operation';
import type { ScoreLimits } from '../types';

/**
 * The operations the live engine built for a journal's manual entries (engine.ts modifyScore,
 * resetContact, applyDecay), held to the limits being replayed under.
 */

export function modifyOperation(entry: JournalModify, limits: ScoreLimits | undefined): ModifyOperation {
	const { operation, points, countsAsActivity, at, reason } = entry;
	const modify: { -readonly [K in keyof ModifyOperation]: ModifyOperation[K] } = { kind: 'modify', operation, points, countsAsActivity, at };
	if (reason !== undefined) modify.reason = reason;
	if (limits !== undefined) modify.limits = limits;
	return modify;
}

export function resetOperation(entry: JournalReset, limits: ScoreLimits | undefined): ResetOperation {
	const reset: { -readonly [K in keyof ResetOperation]: ResetOperation[K] } = { kind: 'reset', at: entry.at };
	if (entry.reason !== undefined) reset.reason = entry.reason;
	if (limits !== undefined) reset.limits = limits;
	return reset;
}

export function decayOperation(entry: JournalDecay, limits: ScoreLimits | undefined): DecayOperation {
	const { policy, inactiveBefore, at } = entry;
	return limits === undefined ? { kind: 'decay', policy, inactiveBefore, at } : { kind: 'decay', policy, inactiveBefore, at, limits };
}

/**
 * The state a contact's journal starts from: what its carried entry says it held. Its `ledger`
 * holds the groups; `groups` alone (without a ledger) stands for a ledger of groups only.
 */
export function carriedState(entry: JournalCarried): ContactState {
	const ledger = entry.ledger ?? (entry.groups !== undefined && Object.keys(entry.groups).length > 0 ? { groups: entry.groups } : undefined);
	return contactState(entry.contactId, entry.score, entry.lastActivityAt, entry.firstSeenAt, entry.at, 0, ledger);
}
