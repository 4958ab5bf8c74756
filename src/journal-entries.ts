import type { JournalDecay, JournalEvent, JournalModify, JournalReset } from './journal';
import type { DecayOperation, ModifyOperation, ResetOperation } from './scoring';
import type { ScoreEvent } from './types';

/** The journal entry of each write, as replay needs it: the input as received, never what it scored. */

export function journalEvent(event: ScoreEvent, receivedAt: number): JournalEvent {
	const { id, contactId, type, properties, occurredAt } = event;
	return id === undefined
		? { kind: 'event', contactId, type, properties, occurredAt, receivedAt }
		: { kind: 'event', contactId, eventId: id, type, properties, occurredAt, receivedAt };
}

export function journalModify(contactId: string, operation: ModifyOperation): JournalModify {
	const { operation: adjust, points, reason, countsAsActivity, at } = operation;
	return reason === undefined
		? { kind: 'modify', contactId, operation: adjust, points, countsAsActivity, at }
		: { kind: 'modify', contactId, operation: adjust, points, reason, countsAsActivity, at };
}

export function journalReset(contactId: string, operation: ResetOperation): JournalReset {
	return operation.reason === undefined
		? { kind: 'reset', contactId, at: operation.at }
		: { kind: 'reset', contactId, reason: operation.reason, at: operation.at };
}

export function journalDecay(operation: Omit<DecayOperation, 'limits'>): JournalDecay {
	return { kind: 'decay', policy: operation.policy, inactiveBefore: operation.inactiveBefore, at: operation.at };
}
