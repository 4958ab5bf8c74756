/**
 * The SQLite journal's row layout (schema step 7) as the append writes it: one row per contact and
 * transaction, its entries as lines in journalSeq order, through_seq the last line's seq, and each
 * line exactly the codec's element of its entry. The append builds lines its own faster way; these
 * tests hold it to the text every reader of the file expects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { JournalEntry } from '../../src/journal';
import type { Plan } from '../../src/store';
import { encodeJournalEntry, journalElement } from '../../src/stores/journal-codec';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { profileFixture } from './conformance';

const T0 = Date.UTC(2026, 0, 1);

const entries: JournalEntry[] = [
	{ kind: 'event', contactId: 'b', eventId: 'evt-1', type: 'email_event', properties: { event: 'clicked', 'naïve "quote"': 'line\nbreak' }, occurredAt: T0, receivedAt: T0 + 250 },
	{ kind: 'event', contactId: 'a', type: 'form_submitted', properties: {}, occurredAt: T0 + 1, receivedAt: T0 + 1 },
	{ kind: 'decay', policy: { mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 }, inactiveBefore: T0 - 1000, at: T0 + 2 },
	{ kind: 'modify', contactId: 'b', operation: 'add', points: 3, countsAsActivity: true, reason: 'bonus', at: T0 + 3 },
	{ kind: 'event', contactId: 'a', eventId: 'evt-2', type: 'payment_received', properties: { amount: 12.5, nested: { list: [1, null, 'x'] } }, occurredAt: T0 - 60_000, receivedAt: T0 + 4 },
	{ kind: 'reset', contactId: 'c', at: T0 + 5 },
	{ kind: 'carried', contactId: 'b', score: 7, lastActivityAt: null, firstSeenAt: T0 - 5, groups: { email: 7 }, at: T0 + 6 },
];

describe('SQLite journal rows', () => {
	let folder: string;
	const idleCloseMs = SqliteStore.idleCloseMs;
	beforeAll(() => {
		SqliteStore.idleCloseMs = 0;
	});
	afterAll(() => {
		SqliteStore.idleCloseMs = idleCloseMs;
	});
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'engagement-journal-rows-'));
	});
	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	const journalOnly = (journal: JournalEntry[]) => (): Plan<void> => ({ contacts: [], changes: [], seenEventIds: [], journal, result: undefined });

	it('writes one row per contact and transaction, each line the codec element of its entry', async () => {
		const file = join(folder, 'scores.sqlite');
		const store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1'));
		await store.transact('p1', { contactIds: [] }, journalOnly(entries));
		await store.transact('p1', { contactIds: [] }, journalOnly([entries[1]]));
		await store.close();

		const line = (seq: number) => journalElement(seq, encodeJournalEntry(entries[seq - 1]));
		const db = new DatabaseSync(file);
		try {
			const rows = db.prepare('SELECT contact_id, through_seq, entries FROM journal ORDER BY contact_id, through_seq').all();
			expect(rows).toEqual([
				{ contact_id: '', through_seq: 3, entries: line(3) },
				{ contact_id: 'a', through_seq: 5, entries: `${line(2)}\n${line(5)}` },
				{ contact_id: 'a', through_seq: 8, entries: journalElement(8, encodeJournalEntry(entries[1])) },
				{ contact_id: 'b', through_seq: 7, entries: `${line(1)}\n${line(4)}\n${line(7)}` },
				{ contact_id: 'c', through_seq: 6, entries: line(6) },
			]);
			expect(db.prepare('SELECT journal_seq FROM profiles').get()).toEqual({ journal_seq: 8 });
		} finally {
			db.close();
		}
	});
});
