import { InvalidInputError } from '../errors';
import type { JournalEntry, JournalRecord } from '../journal';
import type { ContactLedger } from '../scoring/contact-state';
import type { AdjustOperation, DecayPolicy } from '../types';

/**
 * How every store keeps a journal entry: the contact it belongs to ('' for a profile-wide entry),
 * a one-letter kind, one time (`at`; an event's occurredAt) and the rest as a small JSON array, in
 * which an absent optional field is simply missing at the end. Stored per event, so no field names.
 *
 * - e (event): [type, properties, receivedAt - occurredAt, eventId?]
 * - m (modify): [operation, points, countsAsActivity 1|0, reason?]
 * - r (reset): [reason?]
 * - d (decay, profile-wide): [policy, inactiveBefore]
 * - c (carried): [score, lastActivityAt, firstSeenAt, groups or null, ledger?]
 */
export type JournalKindCode = 'e' | 'm' | 'r' | 'd' | 'c';

export interface EncodedJournalEntry {
	/** '' for a profile-wide entry (contact ids are never empty). */
	readonly contactId: string;
	readonly kind: JournalKindCode;
	readonly at: number;
	readonly body: string;
}

export const PROFILE_WIDE = '';

export function encodeJournalEntry(entry: JournalEntry): EncodedJournalEntry {
	switch (entry.kind) {
		case 'event': {
			const body: unknown[] = [entry.type, entry.properties, entry.receivedAt - entry.occurredAt];
			if (entry.eventId !== undefined) body.push(entry.eventId);
			return { contactId: entry.contactId, kind: 'e', at: entry.occurredAt, body: JSON.stringify(body) };
		}
		case 'modify': {
			const body: unknown[] = [entry.operation, entry.points, entry.countsAsActivity ? 1 : 0];
			if (entry.reason !== undefined) body.push(entry.reason);
			return { contactId: entry.contactId, kind: 'm', at: entry.at, body: JSON.stringify(body) };
		}
		case 'reset':
			return { contactId: entry.contactId, kind: 'r', at: entry.at, body: JSON.stringify(entry.reason === undefined ? [] : [entry.reason]) };
		case 'decay':
			return { contactId: PROFILE_WIDE, kind: 'd', at: entry.at, body: JSON.stringify([entry.policy, entry.inactiveBefore]) };
		case 'carried': {
			const body: unknown[] = [entry.score, entry.lastActivityAt, entry.firstSeenAt, entry.groups ?? null];
			if (entry.ledger !== undefined) body.push(entry.ledger);
			return { contactId: entry.contactId, kind: 'c', at: entry.at, body: JSON.stringify(body) };
		}
	}
}

export function decodeJournalEntry(contactId: string, journalSeq: number, kind: string, at: number, body: string): JournalRecord {
	const values = JSON.parse(body) as unknown[];
	switch (kind) {
		case 'e': {
			const [type, properties, receivedAfter, eventId] = values as [string, Record<string, unknown>, number, string?];
			// One literal each (no spread): a recalculation decodes every entry of the journal.
			if (eventId === undefined) return { kind: 'event', contactId, type, properties, occurredAt: at, receivedAt: at + receivedAfter, journalSeq };
			return { kind: 'event', contactId, eventId, type, properties, occurredAt: at, receivedAt: at + receivedAfter, journalSeq };
		}
		case 'm': {
			const [operation, points, countsAsActivity, reason] = values as [AdjustOperation, number, number, string?];
			if (reason === undefined) return { kind: 'modify', contactId, operation, points, countsAsActivity: countsAsActivity === 1, at, journalSeq };
			return { kind: 'modify', contactId, operation, points, reason, countsAsActivity: countsAsActivity === 1, at, journalSeq };
		}
		case 'r': {
			const [reason] = values as [string?];
			return reason === undefined ? { kind: 'reset', contactId, at, journalSeq } : { kind: 'reset', contactId, reason, at, journalSeq };
		}
		case 'd': {
			const [policy, inactiveBefore] = values as [DecayPolicy, number];
			return { kind: 'decay', policy, inactiveBefore, at, journalSeq };
		}
		case 'c': {
			const [score, lastActivityAt, firstSeenAt, groups, ledger] = values as [number, number | null, number, Record<string, number> | null, ContactLedger?];
			const carried = { kind: 'carried', contactId, score, lastActivityAt, firstSeenAt, at, journalSeq } as const;
			const withGroups = groups === null ? carried : { ...carried, groups };
			return ledger === undefined ? withGroups : { ...withGroups, ledger };
		}
		default:
			throw new Error(`Unknown journal entry kind "${kind}" in the store`);
	}
}

/**
 * An entry with its journalSeq as one line of text, `<journalSeq>,<kind><at>,<body>`: a Redis List
 * element, and a line of a SQLite journal row. The body is JSON, which never holds a raw newline.
 */
export function journalElement(journalSeq: number, { kind, at, body }: EncodedJournalEntry): string {
	return `${journalSeq},${unsequencedLine(kind, at, body)}`;
}

/**
 * An entry's line without the journalSeq in front, `<kind><at>,<body>`: what the Redis commit
 * script is given, since it hands out the journalSeqs and puts each with its comma in front.
 */
export function journalElementWithoutSeq({ kind, at, body }: EncodedJournalEntry): string {
	return unsequencedLine(kind, at, body);
}

function unsequencedLine(kind: JournalKindCode, at: number, body: string): string {
	return `${kind}${at},${body}`;
}

/** The contact whose journal an entry belongs to: PROFILE_WIDE for a decay run. */
export function journalContactOf(entry: JournalEntry): string {
	return entry.kind === 'decay' ? PROFILE_WIDE : entry.contactId;
}

/**
 * journalElement(journalSeq, encodeJournalEntry(entry)), with an event (nearly every entry) encoded
 * straight into its line: a batch's appends encode one each.
 */
export function journalLine(journalSeq: number, entry: JournalEntry): string {
	if (entry.kind !== 'event') return journalElement(journalSeq, encodeJournalEntry(entry));
	const received = entry.receivedAt - entry.occurredAt;
	const body = entry.eventId === undefined ? [entry.type, entry.properties, received] : [entry.type, entry.properties, received, entry.eventId];
	return `${journalSeq},${unsequencedLine('e', entry.occurredAt, JSON.stringify(body))}`;
}

/** The journalSeq an element starts with. */
export function journalSeqOf(element: string): number {
	return Number(element.slice(0, element.indexOf(',')));
}

/** The time (`at`) an element holds. */
export function journalAtOf(element: string): number {
	const seqEnd = element.indexOf(',');
	return Number(element.slice(seqEnd + 2, element.indexOf(',', seqEnd + 2)));
}

export function decodeJournalElement(contactId: string, element: string): JournalRecord {
	const seqEnd = element.indexOf(',');
	const atEnd = element.indexOf(',', seqEnd + 2);
	return decodeJournalEntry(
		contactId,
		Number(element.slice(0, seqEnd)),
		element.charAt(seqEnd + 1),
		Number(element.slice(seqEnd + 2, atEnd)),
		element.slice(atEnd + 1),
	);
}

/**
 * A list of elements as one text, joined by newlines (a SQLite journal row; a Redis journal read):
 * each decoded onto the end of `into`. '' holds none.
 */
export function decodeJournalLines(contactId: string, lines: string, into: JournalRecord[] = []): JournalRecord[] {
	if (lines.length === 0) return into;
	for (let start = 0; ; ) {
		const end = lines.indexOf('\n', start);
		into.push(decodeJournalElement(contactId, end === -1 ? lines.slice(start) : lines.slice(start, end)));
		if (end === -1) return into;
		start = end + 1;
	}
}

/** The store's own checks of entries it is asked to append or fold in, before anything is written. */
export function checkJournalEntry(entry: JournalEntry): void {
	if (entry.kind === 'decay') {
		checkTime(entry.at, 'at');
		checkTime(entry.inactiveBefore, 'inactiveBefore');
		return;
	}
	if (typeof entry.contactId !== 'string' || entry.contactId.length === 0) {
		throw new InvalidInputError('A journal entry of a contact needs a non-empty contactId', 'contactId');
	}
	if (entry.kind === 'event') {
		checkTime(entry.occurredAt, 'occurredAt');
		checkTime(entry.receivedAt, 'receivedAt');
	} else if (entry.kind === 'modify' || entry.kind === 'reset' || entry.kind === 'carried') {
		checkTime(entry.at, 'at');
	} else {
		throw new InvalidInputError(`Unknown journal entry kind "${(entry as { kind: unknown }).kind}"`, 'kind');
	}
}

/** A fold's carried entry and position, checked before anything is written. */
export function checkFold(contactId: string, throughSeq: number, carried: JournalEntry): void {
	if (carried.kind !== 'carried' || carried.contactId !== contactId) {
		throw new InvalidInputError(`A journal is folded into a carried entry of the same contact ("${contactId}")`, 'contactId');
	}
	checkJournalEntry(carried);
	if (!Number.isSafeInteger(throughSeq) || throughSeq < 1) {
		throw new InvalidInputError(`A journal is folded through a journalSeq of 1 or more, got ${throughSeq}`, 'journalSeq');
	}
}

export function journalSeqAhead(throughSeq: number, lastSeq: number): InvalidInputError {
	return new InvalidInputError(
		`Cannot fold the journal through journalSeq ${throughSeq}: the profile's journal only reached ${lastSeq}`,
		'journalSeq',
	);
}

function checkTime(value: unknown, field: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidInputError(`A journal entry's ${field} must be a finite number, got ${String(value)}`, field);
	}
}
