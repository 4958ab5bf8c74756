import type { ContactLedger, ContactState } from '../../scoring/contact-state';
import type { ChangeCause, ScoreChange } from '../../types';

/**
 * Turns what the scripts return (strings: see redis-lua-common.ts for why numbers travel as
 * `%.17g` text) into the engine's values.
 */

/** One change-log stream entry as XRANGE returns it: [id "<seq>-0", [field, value, ...]]. */
export type StreamEntry = [string, string[]];

export function toScoreChange(profileId: string, [id, fieldList]: StreamEntry): ScoreChange {
	const fields = new Map<string, string>();
	for (let index = 0; index < fieldList.length; index += 2) fields.set(fieldList[index], fieldList[index + 1]);
	return {
		seq: Number(id.slice(0, id.indexOf('-'))),
		profileId,
		contactId: fields.get('c') ?? '',
		previousScore: Number(fields.get('p')),
		score: Number(fields.get('s')),
		delta: Number(fields.get('d')),
		cause: JSON.parse(fields.get('k') ?? '{}') as ChangeCause,
		at: Number(fields.get('a')),
	};
}

/**
 * A contact's state beside its score: "v<version>,<lastActivityAt>,<firstSeenAt>,<updatedAt>"
 * (lastActivityAt empty if never active), then, while the contact has a ledger,
 * ";<nextExpiryAt>;<ledger JSON>" (nextExpiryAt empty when nothing is to expire). Written before
 * versions existed: the first part without the version, which reads as version 1.
 */
export function encodeContactState(state: ContactState): string {
	const times = `v${state.version},${state.lastActivityAt ?? ''},${state.firstSeenAt},${state.updatedAt}`;
	return state.ledger === undefined ? times : `${times};${state.nextExpiryAt ?? ''};${JSON.stringify(state.ledger)}`;
}

export function decodeContactState(contactId: string, score: string, text: string): ContactState {
	const ledgerAt = text.indexOf(';');
	const parts = (ledgerAt < 0 ? text : text.slice(0, ledgerAt)).split(',');
	const version = parts.length === 4 ? Number(parts.shift()?.slice(1)) : 1;
	const [lastActivity, firstSeen, updated] = parts;
	const state: ContactState = {
		contactId,
		score: Number(score),
		lastActivityAt: lastActivity ? Number(lastActivity) : null,
		firstSeenAt: Number(firstSeen),
		updatedAt: Number(updated),
		version,
	};
	if (ledgerAt < 0) return state;
	const expiryEnd = text.indexOf(';', ledgerAt + 1);
	const nextExpiry = text.slice(ledgerAt + 1, expiryEnd);
	const ledger = JSON.parse(text.slice(expiryEnd + 1)) as ContactLedger;
	return nextExpiry === '' ? { ...state, ledger } : { ...state, ledger, nextExpiryAt: Number(nextExpiry) };
}

/** The exclusive XRANGE start after a seq. */
export function afterStreamId(seq: number): string {
	return `(${Math.max(0, Math.floor(seq))}-0`;
}
