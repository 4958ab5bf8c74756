import type { JournalRecord } from '../../journal';
import { decodeJournalEntry, decodeJournalValues, type EncodedJournalEntry } from '../journal-codec';

/**
 * How the SQLite store keeps one contact's entries of one plan: a batch of 100,000 events over
 * 10,000 contacts appends 10,000 rows, not 100,000 (one B-tree insert was most of what journaling
 * cost Score Event). A contact's lone entry is a row as journal-codec.ts encodes it; several are
 * one row of kind RUN at the seq of the first, whose body lists each entry as
 * [seq - the row's seq, kind, at, body]. Profile-wide entries are always rows of their own.
 */
export const RUN = '*';

export interface SequencedEntry {
	readonly seq: number;
	readonly encoded: EncodedJournalEntry;
}

/** The row of one contact's entries of a plan (in seq order): [seq, kind, at, body]. */
export function runRow(entries: readonly SequencedEntry[]): [number, string, number, string] {
	const [first] = entries;
	if (entries.length === 1) return [first.seq, first.encoded.kind, first.encoded.at, first.encoded.body];
	// Each body is JSON text already: joined as text, not parsed and serialised again.
	let body = '[';
	for (let index = 0; index < entries.length; index++) {
		const { seq, encoded } = entries[index];
		body += `${index === 0 ? '' : ','}[${seq - first.seq},"${encoded.kind}",${encoded.at},${encoded.body}]`;
	}
	return [first.seq, RUN, first.encoded.at, `${body}]`];
}

/** The entries of a row, oldest first. */
export function rowEntries(contactId: string, seq: number, kind: string, at: number, body: string, into: JournalRecord[]): void {
	if (kind !== RUN) {
		into.push(decodeJournalEntry(contactId, seq, kind, at, body));
		return;
	}
	for (const [offset, entryKind, entryAt, values] of JSON.parse(body) as Array<[number, string, number, unknown[]]>) {
		into.push(decodeJournalValues(contactId, seq + offset, entryKind, entryAt, values));
	}
}
