import type { ContactState } from '../../scoring/contact-state';
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
 * (lastActivityAt empty if never active). Written before versions existed: the same without the
 * version part, which reads as version 1.
 */
export function encodeContactState(state: ContactState): string {
	return `v${state.version},${state.lastActivityAt ?? ''},${state.firstSeenAt},${state.updatedAt}`;
}

export function decodeContactState(contactId: string, score: string, text: string): ContactState {
	const parts = text.split(',');
	const version = parts.length === 4 ? Number(parts.shift()?.slice(1)) : 1;
	const [lastActivity, firstSeen, updated] = parts;
	return {
		contactId,
		score: Number(score),
		lastActivityAt: lastActivity ? Number(lastActivity) : null,
		firstSeenAt: Number(firstSeen),
		updatedAt: Number(updated),
		version,
	};
}

/** The exclusive XRANGE start after a seq. */
export function afterStreamId(seq: number): string {
	return `(${Math.max(0, Math.floor(seq))}-0`;
}
