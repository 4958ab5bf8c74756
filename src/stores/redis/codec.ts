import { type ContactLedger, type ContactState, storedContactState } from '../../scoring';
import type { ChangeRecord } from '../../scoring/transition';
import type { ChangeCause, ScoreChange } from '../../types';

/**
 * Turns what the scripts return (strings: see redis-lua-common.ts for why numbers travel as
 * `%.17g` text) into the engine's values.
 */

/** One change-log stream entry as XRANGE returns it: [id "<seq>-0", [field, value, ...]]. */
export type StreamEntry = [string, string[]];

/** The one field of a change-log entry: the change record (see encodeChangeRecord). */
export const CHANGE_RECORD_FIELD = 'r';

/**
 * A change as its log entry keeps it, every field of the record: the fields every change has as a
 * JSON array (their names would cost more than their values, in every entry), then any further
 * fields as an object, so fields the scoring core adds later are kept without a change here.
 */
export function encodeChangeRecord(change: ChangeRecord): string {
	const { contactId, previousScore, score, delta, cause, at, ...further } = change;
	const values: unknown[] = [contactId, previousScore, score, delta, cause, at];
	if (Object.keys(further).length > 0) values.push(further);
	return JSON.stringify(values);
}

function decodeChangeRecord(text: string): ChangeRecord {
	const [contactId, previousScore, score, delta, cause, at, further] = JSON.parse(text) as [string, number, number, number, ChangeCause, number, object?];
	return { contactId, previousScore, score, delta, cause, at, ...further };
}

export function toScoreChange(profileId: string, [id, fieldList]: StreamEntry): ScoreChange {
	const seq = Number(id.slice(0, id.indexOf('-')));
	if (fieldList[0] === CHANGE_RECORD_FIELD) return { seq, profileId, ...decodeChangeRecord(fieldList[1]) };
	return fromFieldsEntry(seq, profileId, fieldList);
}

/** An entry written before the record field (one field per value: c, p, s, d, k, a), read as it was. */
function fromFieldsEntry(seq: number, profileId: string, fieldList: readonly string[]): ScoreChange {
	const fields = new Map<string, string>();
	for (let index = 0; index < fieldList.length; index += 2) fields.set(fieldList[index], fieldList[index + 1]);
	return {
		seq,
		profileId,
		contactId: fields.get('c') ?? '',
		previousScore: Number(fields.get('p')),
		score: Number(fields.get('s')),
		delta: Number(fields.get('d')),
		...changeDetail(fields.get('k') ?? '{}'),
		at: Number(fields.get('a')),
	};
}

function changeDetail(text: string): Pick<ScoreChange, 'cause'> {
	return { cause: JSON.parse(text) as ChangeCause };
}

/**
 * A contact's state beside its score: "v<version>,<lastActivityAt>,<firstSeenAt>,<updatedAt>"
 * (lastActivityAt empty if never active), then, while the contact has a ledger,
 * ";<nextExpiryAt>;<ledger JSON>" (nextExpiryAt empty when nothing is to expire). The first part
 * ends with ",j" while the state is journaled and ",r<version>" once it was recalculated. Written
 * before versions existed: the first part without the version, which reads as version 1.
 */
export function encodeContactState(state: ContactState): string {
	let times = `v${state.version},${state.lastActivityAt ?? ''},${state.firstSeenAt},${state.updatedAt}`;
	if (state.journaled) times += ',j';
	if (state.recalculatedVersion !== undefined) times += `,r${state.recalculatedVersion}`;
	return state.ledger === undefined ? times : `${times};${state.nextExpiryAt ?? ''};${JSON.stringify(state.ledger)}`;
}

export function decodeContactState(contactId: string, score: string, text: string): ContactState {
	const ledgerAt = text.indexOf(';');
	const parts = (ledgerAt < 0 ? text : text.slice(0, ledgerAt)).split(',');
	const version = parts[0].startsWith('v') ? Number(parts.shift()?.slice(1)) : 1;
	const [lastActivity, firstSeen, updated, ...flags] = parts;
	let journaled: true | undefined;
	let recalculatedVersion: number | undefined;
	for (const flag of flags) {
		if (flag === 'j') journaled = true;
		else if (flag.startsWith('r')) recalculatedVersion = Number(flag.slice(1));
	}
	let ledger: ContactLedger | undefined;
	let nextExpiryAt: number | undefined;
	if (ledgerAt >= 0) {
		const expiryEnd = text.indexOf(';', ledgerAt + 1);
		const nextExpiry = text.slice(ledgerAt + 1, expiryEnd);
		ledger = JSON.parse(text.slice(expiryEnd + 1)) as ContactLedger;
		if (nextExpiry !== '') nextExpiryAt = Number(nextExpiry);
	}
	return storedContactState(
		contactId,
		Number(score),
		lastActivity ? Number(lastActivity) : null,
		Number(firstSeen),
		Number(updated),
		version,
		ledger,
		nextExpiryAt,
		journaled,
		recalculatedVersion,
	);
}

/** The exclusive XRANGE start after a seq. */
export function afterStreamId(seq: number): string {
	return `(${Math.max(0, Math.floor(seq))}-0`;
}

/**
 * Strings as one MessagePack array, which a script reads back with `cmsgpack.unpack`: a commit of
 * thousands of fields travels as a few arguments, which both the client and Redis handle far
 * faster than one argument per field. Each string goes as its UTF-8 bytes, as ioredis sends a
 * string argument (a lone surrogate becomes U+FFFD either way).
 */
export function packedStrings(values: readonly string[]): Buffer {
	const byteLengths = new Array<number>(values.length);
	let size = 5;
	for (let index = 0; index < values.length; index++) {
		const length = Buffer.byteLength(values[index], 'utf8');
		byteLengths[index] = length;
		size += headerSize(length) + length;
	}
	const packed = Buffer.allocUnsafe(size);
	packed[0] = 0xdd; // array 32
	packed.writeUInt32BE(values.length, 1);
	let offset = 5;
	for (let index = 0; index < values.length; index++) {
		const length = byteLengths[index];
		if (length < 32) {
			packed[offset++] = 0xa0 | length; // fixstr
		} else if (length < 0x100) {
			packed[offset++] = 0xd9; // str 8
			packed[offset++] = length;
		} else if (length < 0x10000) {
			packed[offset++] = 0xda; // str 16
			packed.writeUInt16BE(length, offset);
			offset += 2;
		} else {
			packed[offset++] = 0xdb; // str 32
			packed.writeUInt32BE(length, offset);
			offset += 4;
		}
		offset += packed.write(values[index], offset, length, 'utf8');
	}
	return packed;
}

function headerSize(byteLength: number): number {
	if (byteLength < 32) return 1;
	if (byteLength < 0x100) return 2;
	if (byteLength < 0x10000) return 3;
	return 5;
}
