import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { StoreUnavailableError } from '../../src/errors';
import type { ContactState } from '../../src/scoring/contact-state';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

/** Undoes schema step 3 (contact ledgers), to make a file as an earlier version left it. */
const WITHOUT_LEDGER =
	'DROP INDEX contacts_by_next_expiry; ALTER TABLE contacts DROP COLUMN ledger; ALTER TABLE contacts DROP COLUMN next_expiry_at';

describe('SQLite store file handling', () => {
	let folder: string;

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'engagement-file-'));
	});

	// These tests reopen files they changed behind the store's back: no lingering connection.
	const idleCloseMs = SqliteStore.idleCloseMs;
	beforeAll(() => {
		SqliteStore.idleCloseMs = 0;
	});
	afterAll(() => {
		SqliteStore.idleCloseMs = idleCloseMs;
	});

	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	it('creates missing folders and shares one store per file within the process', async () => {
		const file = join(folder, 'nested', 'deeper', 'scores.sqlite');
		const first = SqliteStore.open(file);
		const again = SqliteStore.open(relative(process.cwd(), file));
		expect(again).toBe(first);
		expect(first.key).toBe(`sqlite:${file}`);
		await first.insertProfile(profileFixture('p1'));
		expect(await again.getProfile('p1')).toBeDefined();
		await first.close();
		await again.close();
	});

	it('keeps the connection until every open() is released, and keeps the data after closing', async () => {
		const file = join(folder, 'scores.sqlite');
		const nodeA = SqliteStore.open(file);
		const nodeB = SqliteStore.open(file);
		await nodeA.insertProfile(profileFixture('p1'));
		await scoring(nodeA).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		await nodeA.close();
		expect((await nodeB.getContact('p1', 'alice'))?.score).toBe(5);
		await nodeB.close();
		await expect(nodeB.getContact('p1', 'alice')).rejects.toBeInstanceOf(StoreUnavailableError);

		const reopened = SqliteStore.open(file);
		expect((await reopened.getContact('p1', 'alice'))?.score).toBe(5);
		await reopened.close();
	});

	it('closes the connection a while after the last close, and a later open() opens the file afresh', async () => {
		const file = join(folder, 'scores.sqlite');
		SqliteStore.idleCloseMs = 20;
		try {
			const first = SqliteStore.open(file);
			await first.insertProfile(profileFixture('p1'));
			await first.close();
			expect(SqliteStore.open(file)).toBe(first);
			await first.close();
			await new Promise((resolve) => setTimeout(resolve, 100));
			const later = SqliteStore.open(file);
			expect(later).not.toBe(first);
			expect(await later.getProfile('p1')).toBeDefined();
			await later.close();
		} finally {
			SqliteStore.idleCloseMs = 0;
		}
	});

	it('writes a WAL-mode file with its schema version, and refuses a file from a newer version', async () => {
		const file = join(folder, 'scores.sqlite');
		await SqliteStore.open(file).close();
		const db = new DatabaseSync(file);
		expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
		expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 3 });
		db.exec('PRAGMA user_version = 99');
		db.close();
		expect(() => SqliteStore.open(file)).toThrow(/newer version .*schema 99/);
		expect(() => SqliteStore.open(file)).toThrow(StoreUnavailableError);
	});

	it('opens a file written before contact versions existed and keeps scoring its contacts', async () => {
		const file = join(folder, 'scores.sqlite');
		const before = SqliteStore.open(file);
		await before.insertProfile(profileFixture('p1'));
		await scoring(before).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		await before.close();
		// The file as version 1 of the schema left it.
		const db = new DatabaseSync(file);
		db.exec(`${WITHOUT_LEDGER}; ALTER TABLE contacts DROP COLUMN version; PRAGMA user_version = 1`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 5, version: 1 });
		await scoring(after).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 10, version: 2 });
		await after.close();
	});

	it('opens a file written before contact ledgers existed, keeps its contacts, and keeps ledgers from then on', async () => {
		const file = join(folder, 'scores.sqlite');
		const before = SqliteStore.open(file);
		await before.insertProfile(profileFixture('p1'));
		await scoring(before).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		await before.close();
		// The file as version 2 of the schema left it.
		const db = new DatabaseSync(file);
		db.exec(`${WITHOUT_LEDGER}; PRAGMA user_version = 2`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.getContact('p1', 'alice')).toEqual({
			contactId: 'alice',
			score: 5,
			lastActivityAt: expect.any(Number),
			firstSeenAt: expect.any(Number),
			updatedAt: expect.any(Number),
			version: 1,
		});
		const ledger = { groups: { Email: 5 }, expiring: [{ ruleId: 'r', points: 5, dueAt: 1000 }] };
		await after.transact('p1', { contactIds: ['alice'] }, (snapshot) => ({
			contacts: [{ ...(snapshot.contact('alice') as ContactState), version: 2, ledger, nextExpiryAt: 1000 }],
			changes: [],
			seenEventIds: [],
			result: null,
		}));
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 5, version: 2, ledger, nextExpiryAt: 1000 });
		expect(await after.expiringContactIds('p1', 1000, 10)).toEqual(['alice']);
		await after.close();
	});

	it('rolls a whole batch back when SQLite fails part-way, reporting StoreUnavailableError', async () => {
		const file = join(folder, 'scores.sqlite');
		const store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1'));
		const saboteur = new DatabaseSync(file);
		saboteur.exec(`CREATE TRIGGER refuse BEFORE INSERT ON changes WHEN NEW.contact_id = 'boom'
			BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
		saboteur.close();

		const batch = [scoredEvent('alice', 5, { eventId: 'e1' }), scoredEvent('boom', 1), scoredEvent('carol', 1)];
		await expect(scoring(store).applyEvents('p1', 1, batch)).rejects.toThrow(StoreUnavailableError);
		await expect(scoring(store).applyEvents('p1', 1, batch)).rejects.toThrow(/disk says no/);
		expect(await store.getContact('p1', 'alice')).toBeUndefined();
		expect(await store.latestChangeSeq('p1')).toBe(0);

		const [retry] = await scoring(store).applyEvents('p1', 1, [batch[0]]);
		expect(retry).toMatchObject({ duplicate: false, score: 5 });
		await store.close();
	});
});
