import type { ChangeCause, ContactScore, ScoreChange } from '../types';

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

/** Contact metadata "lastActivityAt,firstSeenAt,updatedAt" (lastActivityAt empty if never active). */
export function toContactScore(profileId: string, contactId: string, score: string, meta: string): ContactScore {
	const [lastActivity, , updated] = meta.split(',');
	return {
		profileId,
		contactId,
		score: Number(score),
		lastActivityAt: lastActivity ? Number(lastActivity) : null,
		updatedAt: Number(updated),
	};
}

/** "a,b,c" where c may be empty: numbers, with undefined for empty parts. */
export function numberFields(reply: string): Array<number | undefined> {
	return reply.split(',').map((part) => (part === '' ? undefined : Number(part)));
}

/** The exclusive XRANGE start after a seq. */
export function afterStreamId(seq: number): string {
	return `(${Math.max(0, Math.floor(seq))}-0`;
}
