import type { DatabaseSync } from 'node:sqlite';

import { StoreUnavailableError } from '../../errors';

/**
 * Schema migrations, applied in order; the file's PRAGMA user_version counts those applied.
 * Never edit a published step: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
	`
	-- The per-event tables (changes, seen_events) name a profile by its small integer key rather
	-- than its id, which may be a long text: every row and index entry written per event shrinks.
	-- (Contacts keep the id: a batch writes each contact once, however many events it has.)
	-- A key freed by deleting a profile may be reused: its rows are deleted in the same transaction.
	CREATE TABLE profiles (
		key INTEGER PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		status TEXT NOT NULL,
		version INTEGER NOT NULL,
		document TEXT NOT NULL
	);
	CREATE TABLE contacts (
		profile_id TEXT NOT NULL,
		contact_id TEXT NOT NULL,
		score REAL NOT NULL,
		last_activity_at INTEGER,
		first_seen_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (profile_id, contact_id)
	) WITHOUT ROWID;
	-- Two rankings because ties sort by contact id ascending in both directions, which one
	-- index read backwards cannot give without sorting every tied contact.
	CREATE INDEX contacts_by_score_asc ON contacts (profile_id, score ASC, contact_id ASC);
	CREATE INDEX contacts_by_score_desc ON contacts (profile_id, score DESC, contact_id ASC);
	-- No index on activity: every event moves it, while only a scheduled decay reads it, and that
	-- reads the profile's contacts by primary key anyway.
	-- Clustered by (profile, seq) so that logging a change appends to the profile's range and a
	-- feed reads a range; seq comes from the change_seq counter (see SqliteStore.nextChangeSeq).
	CREATE TABLE changes (
		profile_key INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		contact_id TEXT NOT NULL,
		previous_score REAL NOT NULL,
		score REAL NOT NULL,
		delta REAL NOT NULL,
		cause TEXT NOT NULL,
		at INTEGER NOT NULL,
		PRIMARY KEY (profile_key, seq)
	) WITHOUT ROWID;
	CREATE INDEX changes_by_contact ON changes (profile_key, contact_id, seq);
	CREATE TABLE counters (
		name TEXT PRIMARY KEY,
		value INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE seen_events (
		profile_key INTEGER NOT NULL,
		event_id TEXT NOT NULL,
		PRIMARY KEY (profile_key, event_id)
	) WITHOUT ROWID;
	CREATE TABLE cursors (
		consumer_id TEXT PRIMARY KEY,
		seq INTEGER NOT NULL
	) WITHOUT ROWID;
	`,
	`
	-- The scoring core computes contact states; each carries a version that every write increments.
	-- Rows written before versions existed start at 1 (0 means a contact the store does not hold).
	ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
	`,
	`
	-- Each distinct cause text is kept once and a change names it by key; an event's id gets a
	-- column of its own. A batch's changes share a handful of causes, so every change row and index
	-- page written per event shrinks by the cause's JSON (a large batch wrote half the pages).
	-- Causes are never deleted: a key, once read, names the same text for every process.
	CREATE TABLE causes (
		key INTEGER PRIMARY KEY,
		text TEXT NOT NULL UNIQUE
	);
	INSERT INTO causes (text) SELECT DISTINCT cause FROM changes;
	CREATE TABLE changes_by_cause_key (
		profile_key INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		contact_id TEXT NOT NULL,
		previous_score REAL NOT NULL,
		score REAL NOT NULL,
		delta REAL NOT NULL,
		cause_key INTEGER NOT NULL,
		event_id TEXT,
		at INTEGER NOT NULL,
		PRIMARY KEY (profile_key, seq)
	) WITHOUT ROWID;
	INSERT INTO changes_by_cause_key
		SELECT changes.profile_key, changes.seq, changes.contact_id, changes.previous_score, changes.score,
			changes.delta, causes.key, NULL, changes.at
		FROM changes JOIN causes ON causes.text = changes.cause;
	DROP TABLE changes;
	ALTER TABLE changes_by_cause_key RENAME TO changes;
	CREATE INDEX changes_by_contact ON changes (profile_key, contact_id, seq);
	`,
	`
	-- Rules that count limited times, expire or have a group leave a ledger on the contact (the
	-- scoring core's plain data, as JSON; NULL while there is none), and the due time of its next
	-- expiry, indexed so that "contacts with expiries due before T" is a range read. Partial: a
	-- contact with nothing to expire (every contact of a profile without expiring rules) is not in it.
	ALTER TABLE contacts ADD COLUMN ledger TEXT;
	ALTER TABLE contacts ADD COLUMN next_expiry_at INTEGER;
	CREATE INDEX contacts_by_next_expiry ON contacts (profile_id, next_expiry_at, contact_id) WHERE next_expiry_at IS NOT NULL;
	`,
	`
	-- A change of a contact holding groups logs each group's subtotal before and after it (JSON
	-- objects), which a trigger testing a group's score reads; NULL for every other change.
	ALTER TABLE changes ADD COLUMN previous_groups TEXT;
	ALTER TABLE changes ADD COLUMN groups TEXT;
	`,
	`
	-- Each group subtotal of a contact (the ledger's groups, copied as they are), so that Get Many
	-- lists a profile's contacts by one group's score as a range of an index. One ranking, unlike
	-- the contacts' two: every grouped event writes it, and highest first SQLite reads it backwards,
	-- sorting only the contacts tied on one score by id.
	CREATE TABLE contact_groups (
		profile_id TEXT NOT NULL,
		group_name TEXT NOT NULL,
		contact_id TEXT NOT NULL,
		score REAL NOT NULL,
		PRIMARY KEY (profile_id, contact_id, group_name)
	) WITHOUT ROWID;
	CREATE INDEX contact_groups_by_score ON contact_groups (profile_id, group_name, score, contact_id);
	INSERT INTO contact_groups (profile_id, group_name, contact_id, score)
		SELECT contacts.profile_id, entry.key, contacts.contact_id, entry.value
		FROM contacts, json_each(contacts.ledger, '$.groups') AS entry
		WHERE contacts.ledger IS NOT NULL;
	`,
	`
	-- The journal (issue 11): every event and manual operation a profile received, for replay.
	-- One row per contact and transaction: its entries of that transaction as lines of text
	-- (journal-codec.ts journalElement, each starting with its journalSeq), so a batch of 100k events
	-- over 10k contacts writes 10k rows, each appended to the table, plus one small index entry each.
	-- A contact's rows hold disjoint, increasing ranges of seqs; through_seq is at least the seq of
	-- every line of its row (the last one's when written), and orders them. Profile-wide entries
	-- (decay runs) have contact_id '' (contact ids are never empty). The counter is profiles.journal_seq.
	CREATE TABLE journal (
		profile_key INTEGER NOT NULL,
		contact_id TEXT NOT NULL,
		through_seq INTEGER NOT NULL,
		entries TEXT NOT NULL
	);
	CREATE UNIQUE INDEX journal_by_contact ON journal (profile_key, contact_id, through_seq);
	ALTER TABLE profiles ADD COLUMN journal_seq INTEGER NOT NULL DEFAULT 0;
	-- ContactState.journaled (1, or NULL when absent) and recalculatedVersion (NULL when absent).
	ALTER TABLE contacts ADD COLUMN journaled INTEGER;
	ALTER TABLE contacts ADD COLUMN recalculated_version INTEGER;
	`,
	`
	-- The change log as one row per run of consecutive changes of one contact in a transaction
	-- (change-log.ts): the scoring core logs a batch's changes contact by contact, and a row plus an
	-- index entry per change cost more than the rest of scoring its event. A row holds seqs
	-- first_seq..last_seq; rows of a profile hold disjoint ranges, so first_seq orders them and the
	-- feed reads a range. changes is a JSON array, one element per change:
	-- [previous score, score, delta, cause key, at, event id, previous groups, groups], the last
	-- three null or left out when absent. A change logged before holds a row of its own.
	CREATE TABLE change_runs (
		profile_key INTEGER NOT NULL,
		first_seq INTEGER NOT NULL,
		last_seq INTEGER NOT NULL,
		contact_id TEXT NOT NULL,
		changes TEXT NOT NULL,
		PRIMARY KEY (profile_key, first_seq)
	) WITHOUT ROWID;
	CREATE INDEX change_runs_by_contact ON change_runs (profile_key, contact_id, first_seq);
	INSERT INTO change_runs (profile_key, first_seq, last_seq, contact_id, changes)
		SELECT profile_key, seq, seq, contact_id,
			json_array(json_array(previous_score, score, delta, cause_key, at, event_id, json(previous_groups), json(groups)))
		FROM changes;
	DROP TABLE changes;
	`,
	`
	-- Event ids are remembered for a retention (SqliteStore's eventIdRetentionMs, 30 days unless
	-- told), as on Redis, instead of for ever: each row holds the time it expires, indexed so that
	-- forgetting the expired ones reads a range. An expired id counts as unseen until it is forgotten.
	-- Ids marked before this step are remembered for 30 days from the upgrade.
	ALTER TABLE seen_events ADD COLUMN expires_at INTEGER;
	UPDATE seen_events SET expires_at = (unixepoch() + 30 * 86400) * 1000;
	CREATE INDEX seen_events_by_expiry ON seen_events (expires_at);
	`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file to SCHEMA_VERSION; safe to run from several processes at once. */
export function migrate(db: DatabaseSync): void {
	db.exec('BEGIN IMMEDIATE');
	let committed = false;
	try {
		const { user_version: current } = db.prepare('PRAGMA user_version').get() as { user_version: number };
		if (current > SCHEMA_VERSION) {
			throw new StoreUnavailableError(
				`The SQLite file was written by a newer version of n8n-nodes-engagement-score (schema ${current}, this version knows ${SCHEMA_VERSION}). Update the package.`,
				'databasePath',
			);
		}
		for (let step = current; step < SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]);
		if (current !== SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
		db.exec('COMMIT');
		committed = true;
	} finally {
		if (!committed && db.isTransaction) db.exec('ROLLBACK');
	}
}
