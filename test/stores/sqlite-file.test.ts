import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { StoreUnavailableError } from '../../src/errors';
import type { ContactState } from '../../src/scoring/contact-state';
import { MIGRATIONS } from '../../src/stores/sqlite/schema';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

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
		expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
		db.exec('PRAGMA user_version = 99');
		db.close();
		expect(() => SqliteStore.open(file)).toThrow(/newer version .*schema 99/);
		expect(() => SqliteStore.open(file)).toThrow(StoreUnavailableError);
	});

	/** A file as an older version of the package left it: its schema up to `version`, with a published profile p1. */
	const fileOfSchemaVersion = (file: string, version: number): DatabaseSync => {
		const db = new DatabaseSync(file);
		for (const step of MIGRATIONS.slice(0, version)) db.exec(step);
		db.exec(`PRAGMA user_version = ${version}`);
		const profile = profileFixture('p1');
		db.prepare('INSERT INTO profiles (key, id, status, version, document) VALUES (1, ?, ?, ?, ?)').run(
			profile.id,
			profile.status,
			profile.version,
			JSON.stringify(profile),
		);
		return db;
	};

	it('opens a file written before contact versions existed and keeps scoring its contacts', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 1);
		db.exec(`INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at)
			VALUES ('p1', 'alice', 5, 1, 1, 1)`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 5, version: 1 });
		await scoring(after).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 10, version: 2 });
		await after.close();
	});

	it('opens a file that kept each cause as JSON text and reads its changes as they were logged', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 2);
		const withId = { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'], eventId: 'e1' };
		const withoutId = { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'] };
		const insert = db.prepare(
			'INSERT INTO changes (profile_key, seq, contact_id, previous_score, score, delta, cause, at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
		);
		insert.run(1, 'alice', 0, 5, 5, JSON.stringify(withId), 10);
		insert.run(2, 'alice', 5, 10, 5, JSON.stringify(withoutId), 20);
		db.exec(`INSERT INTO counters (name, value) VALUES ('change_seq', 2);
			INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at, version)
			VALUES ('p1', 'alice', 10, 20, 10, 20, 2)`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.readChanges('p1', 0, 10)).toEqual([
			{ seq: 1, profileId: 'p1', contactId: 'alice', previousScore: 0, score: 5, delta: 5, cause: withId, at: 10 },
			{ seq: 2, profileId: 'p1', contactId: 'alice', previousScore: 5, score: 10, delta: 5, cause: withoutId, at: 20 },
		]);
		await scoring(after).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e2', occurredAt: 30 })]);
		const history = await after.getHistory('p1', 'alice', 10);
		expect(history.map((change) => [change.seq, change.score, change.cause])).toEqual([
			[3, 15, { ...withId, eventId: 'e2' }],
			[2, 10, withoutId],
			[1, 5, withId],
		]);
	});

	it.each([2, 3])('opens a file of schema %i (before contact ledgers), keeps its contacts, and keeps ledgers from then on', async (version) => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, version);
		db.exec(`INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at, version)
			VALUES ('p1', 'alice', 5, 10, 10, 10, 1)`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.getContact('p1', 'alice')).toEqual({
			contactId: 'alice',
			score: 5,
			lastActivityAt: 10,
			firstSeenAt: 10,
			updatedAt: 10,
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
		await scoring(after).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1', occurredAt: 30 })]);
		expect(await after.getContact('p1', 'alice')).toMatchObject({ score: 10, version: 3 });
		await after.close();
	});

	it('keeps one cause per rule however many grants expire, and reads expiries logged with the event id in the cause text', async () => {
		const file = join(folder, 'scores.sqlite');
		// An expiry as logged before its event id had the column: the id inside the cause text.
		const legacy = { kind: 'expired', ruleId: 'r', eventId: 'e0' };
		const db = fileOfSchemaVersion(file, 7);
		const causeKey = Number(db.prepare('INSERT INTO causes (text) VALUES (?)').run(JSON.stringify(legacy)).lastInsertRowid);
		db.prepare(
			`INSERT INTO changes (profile_key, seq, contact_id, previous_score, score, delta, cause_key, event_id, at) VALUES (1, 1, 'alice', 1, 0, -1, ?, NULL, 5)`,
		).run(causeKey);
		db.exec("INSERT INTO counters (name, value) VALUES ('change_seq', 1)");
		db.close();
		const store = SqliteStore.open(file);

		const grants = Array.from({ length: 50 }, (_, index) => `e${index + 1}`);
		await store.transact('p1', { contactIds: ['bob'] }, () => ({
			contacts: [],
			changes: grants.map((eventId, index) => ({
				contactId: 'bob',
				previousScore: 50 - index,
				score: 49 - index,
				delta: -1,
				cause: { kind: 'expired', ruleId: index % 2 === 0 ? 'r' : 's', eventId },
				at: 10 + index,
			})),
			seenEventIds: [],
			result: null,
		}));

		const changes = await store.readChanges('p1', 0, 100);
		expect(changes[0].cause).toEqual(legacy);
		expect(changes.slice(1).map((change) => change.cause)).toEqual(
			grants.map((eventId, index) => ({ kind: 'expired', ruleId: index % 2 === 0 ? 'r' : 's', eventId })),
		);
		expect((await store.getHistory('p1', 'bob', 1))[0].cause).toEqual({ kind: 'expired', ruleId: 's', eventId: 'e50' });
		await store.close();
		const check = new DatabaseSync(file);
		// The legacy text, and one text per rule for the 50 new expiries.
		expect((check.prepare('SELECT count(*) AS n FROM causes').get() as { n: number }).n).toBe(3);
		check.close();
	});

	it('opens a file of schema 7 (a row per change) and reads its changes as logged, then logs new ones after them', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 7);
		db.exec(`INSERT INTO causes (key, text) VALUES (1, '{"kind":"event","eventType":"email.opened","ruleIds":["opened"]}'), (2, '{"kind":"reset"}');
			INSERT INTO changes (profile_key, seq, contact_id, previous_score, score, delta, cause_key, event_id, at, previous_groups, groups) VALUES
				(1, 1, 'alice', 0, 5.25, 5.25, 1, 'e1', 10, '{}', '{"Email":5.25}'),
				(1, 2, 'bob', 0, 0.1, 0.1, 1, NULL, 11, NULL, NULL),
				(1, 3, 'alice', 5.25, 0, -5.25, 2, NULL, 12, '{"Email":5.25}', '{}');
			INSERT INTO counters (name, value) VALUES ('change_seq', 3);
			INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at, version)
				VALUES ('p1', 'alice', 0, 10, 10, 12, 2), ('p1', 'bob', 0.1, 11, 11, 11, 1)`);
		db.close();

		const after = SqliteStore.open(file);
		const opened = { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'] };
		const logged = [
			{ seq: 1, profileId: 'p1', contactId: 'alice', previousScore: 0, score: 5.25, delta: 5.25, cause: { ...opened, eventId: 'e1' }, at: 10, previousGroups: {}, groups: { Email: 5.25 } },
			{ seq: 2, profileId: 'p1', contactId: 'bob', previousScore: 0, score: 0.1, delta: 0.1, cause: opened, at: 11 },
			{ seq: 3, profileId: 'p1', contactId: 'alice', previousScore: 5.25, score: 0, delta: -5.25, cause: { kind: 'reset' }, at: 12, previousGroups: { Email: 5.25 }, groups: {} },
		];
		expect(await after.readChanges('p1', 0, 10)).toEqual(logged);
		expect(await after.readChanges('p1', 1, 1)).toEqual([logged[1]]);
		expect(await after.getHistory('p1', 'alice', 10)).toEqual([logged[2], logged[0]]);
		expect(await after.latestChangeSeq('p1')).toBe(3);
		await scoring(after).applyEvents('p1', 1, [scoredEvent('bob', 5, { eventId: 'e2', occurredAt: 30 })]);
		expect((await after.readChanges('p1', 3, 10)).map((change) => [change.seq, change.contactId, change.score])).toEqual([[4, 'bob', 5.1]]);
		expect((await after.getHistory('p1', 'bob', 10)).map((change) => change.seq)).toEqual([4, 2]);
		await after.close();
	});

	it('opens a file of schema 4 (contact ledgers, no group index or change groups): lists its contacts by a group at once', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 4);
		const insert = db.prepare(`INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at, version, ledger)
			VALUES ('p1', ?, ?, 10, 10, 10, 1, ?)`);
		insert.run('alice', 30, JSON.stringify({ groups: { Sales: 10, Email: 20 } }));
		insert.run('bob', 25, JSON.stringify({ groups: { Sales: 25 } }));
		insert.run('carol', 50, null);
		db.exec(`INSERT INTO causes (key, text) VALUES (1, '{"kind":"reset"}');
			INSERT INTO changes (profile_key, seq, contact_id, previous_score, score, delta, cause_key, event_id, at) VALUES (1, 1, 'carol', 60, 50, -10, 1, NULL, 5)`);
		db.close();

		const after = SqliteStore.open(file);
		const bySales = await after.listContacts('p1', { order: 'desc', limit: 10, group: 'Sales' });
		expect(bySales.map((contact) => contact.contactId)).toEqual(['bob', 'alice']);
		expect(await after.readChanges('p1', 0, 10)).toEqual([
			{ seq: 1, profileId: 'p1', contactId: 'carol', previousScore: 60, score: 50, delta: -10, cause: { kind: 'reset' }, at: 5 },
		]);
		await after.close();
	});

	it('opens a file of schema 6 (no journal): its contacts read as not journaled, and its profile starts a journal at journalSeq 1', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 6);
		db.exec(`INSERT INTO contacts (profile_id, contact_id, score, last_activity_at, first_seen_at, updated_at, version)
			VALUES ('p1', 'alice', 5, 1, 1, 1, 3)`);
		db.close();

		const after = SqliteStore.open(file);
		expect(await after.getContact('p1', 'alice')).toEqual({ contactId: 'alice', score: 5, lastActivityAt: 1, firstSeenAt: 1, updatedAt: 1, version: 3 });
		await after.transact('p1', { contactIds: [] }, () => ({
			contacts: [],
			changes: [],
			seenEventIds: [],
			journal: [{ kind: 'reset', contactId: 'alice', at: 2 }],
			result: null,
		}));
		expect((await after.readJournals('p1', ['alice'])).byContact.get('alice')).toEqual([{ kind: 'reset', contactId: 'alice', at: 2, journalSeq: 1 }]);
		await after.close();
	});

	it('rolls a whole batch back when SQLite fails part-way, reporting StoreUnavailableError', async () => {
		const file = join(folder, 'scores.sqlite');
		const store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1'));
		const saboteur = new DatabaseSync(file);
		saboteur.exec(`CREATE TRIGGER refuse BEFORE INSERT ON change_runs WHEN NEW.contact_id = 'boom'
			BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
		saboteur.close();

		const batch = [scoredEvent('alice', 5, { eventId: 'e1' }), scoredEvent('boom', 1), scoredEvent('carol', 1)];
		await expect(scoring(store).applyEvents('p1', 1, batch)).rejects.toThrow(StoreUnavailableError);
		await expect(scoring(store).applyEvents('p1', 1, batch)).rejects.toThrow(/disk says no/);
		expect(await store.getContact('p1', 'alice')).toBeUndefined();
		expect(await store.latestChangeSeq('p1')).toBe(0);

		const [retry] = await scoring(store).applyEvents('p1', 1, [batch[0]]);
		expect(retry).toMatchObject({ duplicate: false, score: 5 });
		// The cause the rolled-back batch stored went with it: the retry's change still has its own.
		expect(await store.readChanges('p1', 0, 10)).toMatchObject([
			{ contactId: 'alice', score: 5, cause: { kind: 'event', ruleIds: ['opened'], eventId: 'e1' } },
		]);
		await store.close();
	});
	it('remembers the event ids of a file from before event-id retention for 30 days after the upgrade', async () => {
		const file = join(folder, 'scores.sqlite');
		const db = fileOfSchemaVersion(file, 8);
		db.exec("INSERT INTO seen_events (profile_key, event_id) VALUES (1, 'before-upgrade')");
		db.close();

		const upgradedAt = Date.now();
		const after = SqliteStore.open(file);
		const [retried, fresh] = await scoring(after).applyEvents('p1', 1, [
			scoredEvent('alice', 5, { eventId: 'before-upgrade' }),
			scoredEvent('alice', 5, { eventId: 'after-upgrade' }),
		]);
		expect(retried.duplicate).toBe(true);
		expect(fresh.duplicate).toBe(false);
		await after.close();

		const reader = new DatabaseSync(file);
		const { expires_at: expiresAt } = reader.prepare("SELECT expires_at FROM seen_events WHERE event_id = 'before-upgrade'").get() as { expires_at: number };
		reader.close();
		const thirtyDays = 30 * 24 * 60 * 60 * 1000;
		expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(upgradedAt / 1000) * 1000 + thirtyDays);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + thirtyDays);
	});

	it('forgets expired event ids as new ones are marked, instead of keeping every id for ever', async () => {
		const file = join(folder, 'scores.sqlite');
		const store = SqliteStore.open(file, { eventIdRetentionMs: 100 });
		await store.insertProfile(profileFixture('p1'));
		await scoring(store).applyEvents('p1', 1, Array.from({ length: 3000 }, (_, index) => scoredEvent('a', 1, { eventId: `old-${index}` })));
		await new Promise((resolve) => setTimeout(resolve, 200));
		const reader = new DatabaseSync(file);
		const rows = () => (reader.prepare('SELECT count(*) AS n FROM seen_events').get() as { n: number }).n;
		expect(rows()).toBe(3000);
		// Each transaction forgets at least 1,000 expired ids, and twice as many as it marks.
		await scoring(store).applyEvents('p1', 1, [scoredEvent('a', 1, { eventId: 'new-1' })]);
		expect(rows()).toBe(2001);
		await scoring(store).applyEvents('p1', 1, Array.from({ length: 1000 }, (_, index) => scoredEvent('a', 1, { eventId: `new-${index + 2}` })));
		expect(rows()).toBe(1001);
		reader.close();
		await store.close();
	});
});
