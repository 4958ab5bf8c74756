import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { openCursorFeed } from '../../change-feed';
import {
	EngagementScoreError,
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	StoreUnavailableError,
} from '../../errors';
import { type ContactLedger, type ContactState, storedContactState } from '../../scoring';
import type { ContactJournals, JournalCarried, JournalEntry, JournalRecord } from '../../journal';
import type { Committed, IdList, Plan, ProfileHeader, ScoreStore, Snapshot, TransactionKeys } from '../../store';
import type { ContactQuery, ProfileStatus, ScoreChange, ScoreProfile } from '../../types';
import { movedGroups } from '../group-index';
import { DEFAULT_EVENT_ID_RETENTION_MS } from '../event-id-retention';
import { byNameThenId } from '../ordering';
import {
	checkFold,
	decodeJournalLines,
	encodeJournalEntry,
	journalAtOf,
	journalContactOf,
	journalElement,
	journalLine,
	journalSeqAhead,
	journalSeqOf,
	PROFILE_WIDE,
} from '../journal-codec';
import { checkId, checkPlan, idArray, snapshotGuard } from '../plan-checks';
import { SqliteChangeLog } from './change-log';
import { openDatabase } from './driver';
import { migrate } from './schema';

/** How long a writer waits for another process's transaction on the same file before giving up. */
const BUSY_TIMEOUT_MS = 30_000;
const IDLE_CLOSE_MS = 30_000;
const CONTACT_COLUMNS = 'score, last_activity_at, first_seen_at, updated_at, version, ledger, next_expiry_at, journaled, recalculated_version';
/** How many contact ids one read takes: a few statement shapes, the largest well under SQLite's 32,766 parameters. */
const CONTACT_READ_SIZES = [1, 8, 64, 512] as const;
const CONTACT_READ_MAX = CONTACT_READ_SIZES[CONTACT_READ_SIZES.length - 1];
/** Expired event ids a transaction that marks ids forgets at least (more when it marks many). */
const FORGOTTEN_EVENT_IDS_MIN = 1_000;

export interface SqliteStoreOptions {
	/** How long an event id is remembered for deduplication. Default 30 days; the latest open() of a file sets it. */
	readonly eventIdRetentionMs?: number;
}

interface ContactRow {
	score: number;
	last_activity_at: number | null;
	first_seen_at: number;
	updated_at: number;
	version: number;
	/** ContactLedger as JSON, or NULL. */
	ledger: string | null;
	next_expiry_at: number | null;
	/** 1, or NULL when the state is not journaled. */
	journaled: number | null;
	recalculated_version: number | null;
}

interface ProfileRow {
	key: number;
	status: ProfileStatus;
	version: number;
	/** The last journalSeq handed out for the profile. */
	journal_seq: number;
}

/** [contact id, entries]: a journal row as read (see schema.ts step 7). */
type JournalRow = [string, string];
/** [rowid, lines] of a profile-wide (decay) journal row. */
type ProfileWideJournalRow = [number, string];

/**
 * The embedded default store: one SQLite file shared by every workflow of the n8n instance
 * (and by other processes opening the same file).
 *
 * Every write runs as one `BEGIN IMMEDIATE` transaction inside a single synchronous block, so
 * concurrent executions of one process cannot interleave inside it (no await in between) and
 * other processes are serialised by SQLite's write lock. A failing write rolls back whole and
 * surfaces as StoreUnavailableError: nothing of that call was written.
 */
export class SqliteStore implements ScoreStore {
	private static readonly openStores = new Map<string, SqliteStore>();

	readonly key: string;
	private references = 1;
	private idleTimer?: NodeJS.Timeout;
	private readonly statements: Statements;
	private readonly contactQueries = new Map<string, StatementSync>();
	/** Reads of several contacts at once, by the number of ids each takes (see CONTACT_READ_SIZES). */
	private readonly contactReads = new Map<number, StatementSync>();
	/** Reads of several contacts' journals at once, by the number of ids each takes. */
	private readonly journalReads = new Map<number, StatementSync>();
	/** The change counter while a transaction that logs changes is open. */
	private lastChangeSeq?: number;
	private readonly changeLog: SqliteChangeLog;

	/**
	 * The store for a file, shared per absolute path within the process: nodes call this on every
	 * execution, so after the first call it costs a map lookup. Each `close()` releases one `open()`;
	 * the connection closes a while after the last one (see close).
	 */
	static open(filePath: string, options: SqliteStoreOptions = {}): SqliteStore {
		const absolutePath = resolve(filePath);
		const eventIdRetentionMs = options.eventIdRetentionMs ?? DEFAULT_EVENT_ID_RETENTION_MS;
		const existing = SqliteStore.openStores.get(absolutePath);
		if (existing) {
			existing.references++;
			existing.eventIdRetentionMs = eventIdRetentionMs;
			clearTimeout(existing.idleTimer);
			existing.idleTimer = undefined;
			return existing;
		}
		const store = new SqliteStore(absolutePath, connect(absolutePath), eventIdRetentionMs);
		SqliteStore.openStores.set(absolutePath, store);
		return store;
	}

	private constructor(
		readonly filePath: string,
		private readonly db: DatabaseSync,
		private eventIdRetentionMs: number,
	) {
		this.key = `sqlite:${filePath}`;
		this.statements = prepareStatements(db);
		this.changeLog = new SqliteChangeLog(db);
	}

	async getProfile(profileId: string): Promise<ScoreProfile | undefined> {
		return this.use(() => this.readProfile(profileId));
	}

	async listProfiles(): Promise<ScoreProfile[]> {
		return this.use(() =>
			(this.statements.listProfiles.all() as Array<{ document: string }>)
				.map((row) => JSON.parse(row.document) as ScoreProfile)
				.sort(byNameThenId),
		);
	}

	async insertProfile(profile: ScoreProfile): Promise<void> {
		return this.use(() => {
			checkId(profile.id, 'id');
			this.transaction(() => {
				const { changes } = this.statements.insertProfile.run(
					profile.id,
					profile.status,
					profile.version,
					JSON.stringify(profile),
				);
				if (changes === 0) throw new ProfileAlreadyExistsError(profile.id);
			});
		});
	}

	async updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile> {
		return this.use(() =>
			this.transaction(() => {
				const current = this.readProfile(profileId);
				if (!current) throw new ProfileNotFoundError(profileId);
				const updated = change(current);
				if (updated.id !== profileId) {
					throw new InvalidInputError(`A profile's id cannot change (from "${profileId}" to "${updated.id}")`, 'id');
				}
				this.statements.updateProfile.run(updated.status, updated.version, JSON.stringify(updated), profileId);
				return updated;
			}),
		);
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		return this.use(() =>
			this.transaction(() => {
				const state = this.readProfileState(profileId);
				if (!state) return false;
				this.statements.deleteProfile.run(state.key);
				this.statements.deleteProfileContacts.run(profileId);
				this.statements.deleteProfileGroups.run(profileId);
				this.changeLog.deleteProfile(state.key);
				this.statements.deleteProfileSeenEvents.run(state.key);
				this.statements.deleteProfileJournal.run(state.key);
				return true;
			}),
		);
	}

	async transact<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>> {
		return this.use(() =>
			this.transaction(() => {
				// Inside the write transaction nobody else writes: the snapshot is read as the plan asks,
				// and what it read cannot move before the commit.
				const row = this.readProfileState(profileId);
				const guard = snapshotGuard(keys);
				const profile: ProfileHeader | undefined = row && { status: row.status, version: row.version };
				const named = this.readContacts(profileId, keys.contactIds);
				const snapshot: Snapshot = {
					profile,
					contact: (contactId) => {
						if (named.has(contactId)) return named.get(contactId);
						const contact = this.readContact(profileId, contactId);
						return contact && toContactState(contactId, contact);
					},
					// Asking marks the id at once, inside the transaction (one statement instead of a read
					// and a write per event): the plan nearly always counts an unseen id. An id it does not
					// count is unmarked before the commit, and a throwing plan rolls every mark back.
					isSeen: (eventId) => {
						if (row === undefined) return false;
						const seen = this.statements.markEventSeen.run(row.key, eventId, seenUntil, now).changes === 0;
						if (!seen) marked.add(eventId);
						return seen;
					},
				};
				const now = Date.now();
				const seenUntil = now + this.eventIdRetentionMs;
				const marked = new Set<string>();
				const planned = plan(snapshot);
				checkPlan(planned, guard);
				const { contacts, changes, seenEventIds, journal = [] } = planned;
				if (row !== undefined && seenEventIds.length + marked.size > 0) {
					for (const eventId of seenEventIds) {
						if (!marked.delete(eventId)) this.statements.markEventSeen.run(row.key, eventId, seenUntil, now);
					}
					for (const eventId of marked) this.statements.unmarkEventSeen.run(row.key, eventId);
					// Forgets expired ids at twice the pace new ones arrive, so that a backlog (after an
					// upgrade, or a quiet month) never lands on one transaction.
					this.statements.forgetExpiredEventIds.run(now, Math.max(FORGOTTEN_EVENT_IDS_MIN, 2 * seenEventIds.length));
				}
				if (contacts.length + changes.length + seenEventIds.length + journal.length === 0) return { result: planned.result, firstChangeSeq: 0 };
				if (row === undefined) throw new ProfileNotFoundError(profileId);
				if (journal.length > 0) this.appendJournal(row, journal);
				for (const state of contacts) {
					const previous = named.get(state.contactId) ?? (named.has(state.contactId) ? undefined : snapshot.contact(state.contactId));
					if (state.ledger !== undefined || previous?.ledger !== undefined) {
						this.writeGroupIndex(profileId, state.contactId, previous?.ledger?.groups, state.ledger?.groups);
					}
					this.statements.upsertContact.run(
						profileId,
						state.contactId,
						state.score,
						state.lastActivityAt,
						state.firstSeenAt,
						state.updatedAt,
						state.version,
						state.ledger === undefined ? null : JSON.stringify(state.ledger),
						state.nextExpiryAt ?? null,
						state.journaled ? 1 : null,
						state.recalculatedVersion ?? null,
					);
				}
				const firstChangeSeq = changes.length === 0 ? 0 : this.reserveChangeSeqs(changes.length);
				this.changeLog.append(row.key, firstChangeSeq, changes);
				return { result: planned.result, firstChangeSeq };
			}),
		);
	}

	async getContact(profileId: string, contactId: string): Promise<ContactState | undefined> {
		return this.use(() => {
			const row = this.readContact(profileId, contactId);
			return row && toContactState(contactId, row);
		});
	}

	async inactiveContactIds(profileId: string, before: number): Promise<string[]> {
		return this.use(() =>
			(this.statements.inactiveContacts.all(profileId, before) as unknown as Array<[string]>).map(([contactId]) => contactId),
		);
	}

	async expiringContactIds(profileId: string, dueBy: number, limit: number): Promise<string[]> {
		return this.use(() =>
			(this.statements.expiringContacts.all(profileId, dueBy, Math.max(0, Math.floor(limit))) as unknown as Array<[string]>).map(
				([contactId]) => contactId,
			),
		);
	}

	async readJournals(profileId: string, contactIds: IdList): Promise<ContactJournals> {
		return this.use(() => {
			const byContact = new Map<string, JournalRecord[]>();
			const profileWide: JournalRecord[] = [];
			// One read transaction: the contacts' entries and the profile-wide ones as of one moment.
			this.statements.beginRead.run();
			try {
				const row = this.readProfileState(profileId);
				if (row === undefined) return { byContact, profileWide };
				const ids = idArray(contactIds);
				for (let first = 0; first < ids.length; ) {
					const size = CONTACT_READ_SIZES.find((candidate) => candidate >= ids.length - first) ?? CONTACT_READ_MAX;
					const parameters: SQLInputValue[] = [row.key];
					for (let index = 0; index < size; index++) parameters.push(ids[Math.min(first + index, ids.length - 1)]);
					for (const [contactId, lines] of this.journalRead(size).all(...parameters) as unknown as JournalRow[]) {
						let entries = byContact.get(contactId);
						if (entries === undefined) byContact.set(contactId, (entries = []));
						decodeJournalLines(contactId, lines, entries);
					}
					first += size;
				}
				for (const [, lines] of this.statements.profileWideJournal.all(row.key, PROFILE_WIDE) as unknown as ProfileWideJournalRow[]) {
					decodeJournalLines(PROFILE_WIDE, lines, profileWide);
				}
				return { byContact, profileWide };
			} finally {
				this.statements.commit.run();
			}
		});
	}

	async journalContactIds(profileId: string, afterContactId: string | undefined, limit: number): Promise<string[]> {
		return this.use(() => {
			const count = Math.max(0, Math.floor(limit));
			if (count === 0) return [];
			const rows = this.statements.journalContactIds.all(profileId, afterContactId ?? PROFILE_WIDE, count) as unknown as Array<[string | null]>;
			return rows.map(([contactId]) => contactId as string);
		});
	}

	async foldJournal(profileId: string, contactId: string, throughSeq: number, carried: JournalCarried): Promise<void> {
		return this.use(() => {
			checkFold(contactId, throughSeq, carried);
			const line = journalElement(throughSeq, encodeJournalEntry(carried));
			this.transaction(() => {
				const row = this.readProfileState(profileId);
				if (row === undefined) return;
				if (throughSeq > row.journal_seq) throw journalSeqAhead(throughSeq, row.journal_seq);
				this.statements.foldContactJournal.run(row.key, contactId, throughSeq);
				// The rows left hold only later seqs, but for the first: it may begin with folded ones.
				const straddling = this.statements.firstJournalRowAfter.get(row.key, contactId, throughSeq) as unknown as [number, string] | undefined;
				if (straddling !== undefined) {
					const [rowId, lines] = straddling;
					const all = lines.split('\n');
					const kept = all.filter((line) => journalSeqOf(line) > throughSeq);
					if (kept.length < all.length) this.statements.rewriteJournalRow.run(kept.join('\n'), rowId);
				}
				this.statements.insertJournal.run(row.key, contactId, throughSeq, line);
			});
		});
	}

	async pruneProfileWideJournal(profileId: string, before: number): Promise<number> {
		return this.use(() =>
			this.transaction(() => {
				const row = this.readProfileState(profileId);
				if (row === undefined) return 0;
				let pruned = 0;
				for (const [rowId, lines] of this.statements.profileWideJournal.all(row.key, PROFILE_WIDE) as unknown as ProfileWideJournalRow[]) {
					const all = lines.split('\n');
					const kept = all.filter((line) => !(journalAtOf(line) < before));
					if (kept.length === all.length) continue;
					pruned += all.length - kept.length;
					if (kept.length === 0) this.statements.deleteJournalRow.run(rowId);
					else this.statements.rewriteJournalRow.run(kept.join('\n'), rowId);
				}
				return pruned;
			}),
		);
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		return this.use(() =>
			this.transaction(() => {
				const { changes } = this.statements.deleteContact.run(profileId, contactId);
				this.statements.deleteContactGroups.run(profileId, contactId);
				this.changeLog.deleteContact(profileId, contactId);
				this.statements.deleteContactJournal.run(profileId, contactId);
				return changes > 0;
			}),
		);
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactState[]> {
		return this.use(() => {
			// The query walks the profile's score index (or, by a group, the group's) and checks the
			// other bounds on each row it meets (there is no activity index: every event would move
			// it); NULL meets no bound.
			const byGroup = query.group !== undefined;
			const contact = byGroup ? 'contacts.' : '';
			const parameters: SQLInputValue[] = byGroup ? [profileId, query.group as string] : [profileId];
			const filters: string[] = [];
			const bounds: Array<[number | undefined, string]> = [
				[query.minGroupScore, 'contact_groups.score >= ?'],
				[query.maxGroupScore, 'contact_groups.score <= ?'],
				[query.minScore, `${contact}score >= ?`],
				[query.maxScore, `${contact}score <= ?`],
				[query.scoreBelow, `${contact}score < ?`],
				[query.lastActivityBefore, 'last_activity_at < ?'],
				[query.lastActivityAfter, 'last_activity_at > ?'],
				[query.firstSeenBefore, 'first_seen_at < ?'],
				[query.firstSeenAfter, 'first_seen_at > ?'],
			];
			for (const [value, condition] of bounds) {
				if (value === undefined || (!byGroup && condition.startsWith('contact_groups.'))) continue;
				filters.push(`AND ${condition}`);
				parameters.push(value);
			}
			parameters.push(Math.max(0, Math.floor(query.limit)), Math.max(0, Math.floor(query.offset ?? 0)));
			const direction = query.order === 'asc' ? 'ASC' : 'DESC';
			const sql = byGroup
				? `SELECT contacts.contact_id AS contact_id, ${CONTACT_COLUMNS.split(', ').map((column) => `contacts.${column}`).join(', ')} ` +
					'FROM contact_groups JOIN contacts ON contacts.profile_id = contact_groups.profile_id AND contacts.contact_id = contact_groups.contact_id ' +
					`WHERE contact_groups.profile_id = ? AND contact_groups.group_name = ? ${filters.join(' ')} ` +
					`ORDER BY contact_groups.score ${direction}, contact_groups.contact_id ASC LIMIT ? OFFSET ?`
				: `SELECT contact_id, ${CONTACT_COLUMNS} FROM contacts ` +
					`WHERE profile_id = ? ${filters.join(' ')} ORDER BY score ${direction}, contact_id ASC LIMIT ? OFFSET ?`;
			const rows = this.contactQuery(sql).all(...parameters) as unknown as Array<ContactRow & { contact_id: string }>;
			return rows.map((row) => toContactState(row.contact_id, row));
		});
	}

	async getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]> {
		return this.use(() => this.changeLog.history(profileId, contactId, Math.floor(limit)));
	}

	async readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]> {
		return this.use(() => this.changeLog.read(profileId, afterSeq, Math.floor(limit)));
	}

	async latestChangeSeq(profileId: string): Promise<number> {
		return this.use(() => this.changeLog.latestSeq(profileId));
	}

	readonly openFeed = openCursorFeed;

	async getCursor(consumerId: string): Promise<number | undefined> {
		return this.use(() => (this.statements.getCursor.get(consumerId) as { seq: number } | undefined)?.seq);
	}

	async saveCursor(consumerId: string, seq: number): Promise<void> {
		return this.use(() => {
			this.statements.saveCursor.run(consumerId, seq);
		});
	}

	/**
	 * Releases one open(). After the last, the store refuses calls, but the connection lingers for
	 * IDLE_CLOSE_MS: nodes open and close the store on every execution, and an open() meanwhile
	 * takes it back without reopening the file (and checking its schema) again.
	 */
	async close(): Promise<void> {
		if (this.references === 0) return;
		this.references--;
		if (this.references > 0) return;
		if (SqliteStore.idleCloseMs <= 0) return this.closeConnection();
		this.idleTimer = setTimeout(() => this.closeConnection(), SqliteStore.idleCloseMs);
		this.idleTimer.unref();
	}

	/** How long a store nobody holds keeps its connection; 0 closes it at once (tests that edit the file). */
	static idleCloseMs = IDLE_CLOSE_MS;

	private closeConnection(): void {
		if (this.references > 0) return;
		if (SqliteStore.openStores.get(this.filePath) === this) SqliteStore.openStores.delete(this.filePath);
		this.db.close();
	}

	private readProfile(profileId: string): ScoreProfile | undefined {
		const row = this.statements.getProfile.get(profileId) as { document: string } | undefined;
		return row && (JSON.parse(row.document) as ScoreProfile);
	}

	private readProfileState(profileId: string): ProfileRow | undefined {
		return this.statements.profileState.get(profileId) as ProfileRow | undefined;
	}

	private readContact(profileId: string, contactId: string): ContactRow | undefined {
		return this.statements.getContact.get(profileId, contactId) as ContactRow | undefined;
	}

	/**
	 * The stored state of each named contact (undefined for one not stored), read a chunk of ids per
	 * statement: a large batch names thousands of contacts, and one statement each cost more than
	 * the reads themselves.
	 */
	private readContacts(profileId: string, contactIds: IdList): Map<string, ContactState | undefined> {
		const states = new Map<string, ContactState | undefined>();
		const ids = idArray(contactIds);
		for (let first = 0; first < ids.length; ) {
			const size = CONTACT_READ_SIZES.find((candidate) => candidate >= ids.length - first) ?? CONTACT_READ_MAX;
			const parameters: SQLInputValue[] = [profileId];
			for (let index = 0; index < size; index++) {
				// A short last chunk repeats its last id: a few statement shapes serve every batch size.
				const contactId = ids[Math.min(first + index, ids.length - 1)];
				parameters.push(contactId);
				states.set(contactId, undefined);
			}
			const rows = this.contactRead(size).all(...parameters) as unknown as Array<ContactRow & { contact_id: string }>;
			for (const row of rows) states.set(row.contact_id, toContactState(row.contact_id, row));
			first += size;
		}
		return states;
	}

	private contactRead(size: number): StatementSync {
		let statement = this.contactReads.get(size);
		if (!statement) {
			statement = this.db.prepare(
				`SELECT contact_id, ${CONTACT_COLUMNS} FROM contacts WHERE profile_id = ? AND contact_id IN (${new Array(size).fill('?').join(', ')})`,
			);
			this.contactReads.set(size, statement);
		}
		return statement;
	}

	private journalRead(size: number): StatementSync {
		let statement = this.journalReads.get(size);
		if (!statement) {
			statement = this.db.prepare(
				`SELECT contact_id, entries FROM journal WHERE profile_key = ? AND contact_id IN (${new Array(size).fill('?').join(', ')}) ORDER BY contact_id, through_seq`,
			);
			statement.setReturnArrays(true);
			this.journalReads.set(size, statement);
		}
		return statement;
	}

	/**
	 * Inside the plan's transaction: the entries in order, each with the profile's next journalSeq,
	 * one row per contact (an insert per entry cost more than the rest of scoring a batch's event).
	 * Each row's text is built and inserted in one go, contact after contact: rows built all at once
	 * outlive a young-generation collection and made encoding cost twice as much.
	 */
	private appendJournal(row: ProfileRow, journal: readonly JournalEntry[]): void {
		const firstSeq = row.journal_seq + 1;
		// The plan's entries of each contact as a chain of indexes: first and last by contact, then the next one of the same contact.
		const chains = new Map<string, { first: number; last: number }>();
		const next = new Int32Array(journal.length).fill(-1);
		for (let index = 0; index < journal.length; index++) {
			const contactId = journalContactOf(journal[index]);
			const chain = chains.get(contactId);
			if (chain === undefined) chains.set(contactId, { first: index, last: index });
			else {
				next[chain.last] = index;
				chain.last = index;
			}
		}
		for (const [contactId, { first, last }] of chains) {
			let lines = journalLine(firstSeq + first, journal[first]);
			for (let index = next[first]; index !== -1; index = next[index]) lines += `\n${journalLine(firstSeq + index, journal[index])}`;
			this.statements.insertJournal.run(row.key, contactId, firstSeq + last, lines);
		}
		this.statements.writeJournalSeq.run(row.journal_seq + journal.length, row.key);
	}

	private contactQuery(sql: string): StatementSync {
		let statement = this.contactQueries.get(sql);
		if (!statement) {
			statement = this.db.prepare(sql);
			this.contactQueries.set(sql, statement);
		}
		return statement;
	}

	/**
	 * Change seqs come from one counter row, read at the first change of a transaction and written
	 * back before it commits: the write lock makes that safe across processes, and a counter (unlike
	 * the largest seq in the table) never goes back when the newest changes are deleted.
	 */
	private reserveChangeSeqs(count: number): number {
		if (this.lastChangeSeq === undefined) {
			this.lastChangeSeq = (this.statements.readChangeCounter.get() as { value: number } | undefined)?.value ?? 0;
		}
		const first = this.lastChangeSeq + 1;
		this.lastChangeSeq += count;
		return first;
	}

	/** Keeps the contact's rows of the group index to its new groups: only the subtotals that moved are written. */
	private writeGroupIndex(
		profileId: string,
		contactId: string,
		previous: Readonly<Record<string, number>> | undefined,
		groups: Readonly<Record<string, number>> | undefined,
	): void {
		for (const [group, subtotal] of movedGroups(previous, groups)) {
			if (subtotal === undefined) this.statements.deleteContactGroup.run(profileId, contactId, group);
			else this.statements.upsertContactGroup.run(profileId, group, contactId, subtotal);
		}
	}

	/** Runs `work` (synchronous: no other code can run inside) as one write transaction. */
	private transaction<T>(work: () => T): T {
		this.statements.begin.run();
		let committed = false;
		try {
			this.lastChangeSeq = undefined;
			const result = work();
			if (this.lastChangeSeq !== undefined) this.statements.writeChangeCounter.run(this.lastChangeSeq);
			this.statements.commit.run();
			committed = true;
			return result;
		} finally {
			this.lastChangeSeq = undefined;
			if (!committed) {
				if (this.db.isTransaction) this.statements.rollback.run();
				this.changeLog.forgetUncommitted();
			}
		}
	}

	/**
	 * Failures of SQLite itself (a locked or full disk, a closed connection) become
	 * StoreUnavailableError; engine errors and errors thrown by a caller's callback pass through.
	 */
	private async use<T>(work: () => T): Promise<T> {
		if (this.references === 0 || !this.db.isOpen) {
			throw new StoreUnavailableError(`The SQLite store ${this.filePath} is closed`, 'store');
		}
		let failure: unknown;
		try {
			return work();
		} catch (error) {
			failure = error;
		}
		throw isSqliteFailure(failure) ? storeUnavailable(`The SQLite store ${this.filePath} failed`, failure, 'store') : failure;
	}
}

/** node:sqlite reports its own failures with Node.js error codes (ERR_SQLITE_ERROR, ERR_INVALID_STATE). */
function isSqliteFailure(error: unknown): boolean {
	// Duck-typed: errors made by Node.js internals may come from another realm than this module's Error.
	const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
	return typeof code === 'string' && code.startsWith('ERR_');
}

function storeUnavailable(context: string, cause: unknown, field: string): StoreUnavailableError {
	const reason = (cause as { message?: unknown } | undefined)?.message ?? String(cause);
	const error = new StoreUnavailableError(`${context}: ${reason}`, field);
	(error as Error).cause = cause;
	return error;
}

function connect(absolutePath: string): DatabaseSync {
	let failure: unknown;
	try {
		mkdirSync(dirname(absolutePath), { recursive: true });
		const db = openDatabase(absolutePath, BUSY_TIMEOUT_MS);
		let migrated = false;
		try {
			migrate(db);
			migrated = true;
		} finally {
			if (!migrated) db.close();
		}
		return db;
	} catch (error) {
		failure = error;
	}
	throw failure instanceof EngagementScoreError
		? failure
		: storeUnavailable(`Cannot open the SQLite store ${absolutePath}`, failure, 'databasePath');
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: DatabaseSync) {
	const contactColumns = CONTACT_COLUMNS;
	const profileKeyOf = '(SELECT key FROM profiles WHERE id = ?)';
	const statements = {
		begin: db.prepare('BEGIN IMMEDIATE'),
		beginRead: db.prepare('BEGIN'),
		commit: db.prepare('COMMIT'),
		rollback: db.prepare('ROLLBACK'),
		getProfile: db.prepare('SELECT document FROM profiles WHERE id = ?'),
		profileState: db.prepare('SELECT key, status, version, journal_seq FROM profiles WHERE id = ?'),
		listProfiles: db.prepare('SELECT document FROM profiles'),
		insertProfile: db.prepare(
			'INSERT INTO profiles (id, status, version, document) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
		),
		updateProfile: db.prepare('UPDATE profiles SET status = ?, version = ?, document = ? WHERE id = ?'),
		deleteProfile: db.prepare('DELETE FROM profiles WHERE key = ?'),
		deleteProfileContacts: db.prepare('DELETE FROM contacts WHERE profile_id = ?'),
		deleteProfileSeenEvents: db.prepare('DELETE FROM seen_events WHERE profile_key = ?'),
		getContact: db.prepare(`SELECT ${contactColumns} FROM contacts WHERE profile_id = ? AND contact_id = ?`),
		upsertContact: db.prepare(
			`INSERT INTO contacts (profile_id, contact_id, ${contactColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (profile_id, contact_id) DO UPDATE SET score = excluded.score,
			 last_activity_at = excluded.last_activity_at, first_seen_at = excluded.first_seen_at,
			 updated_at = excluded.updated_at, version = excluded.version, ledger = excluded.ledger,
			 next_expiry_at = excluded.next_expiry_at, journaled = excluded.journaled,
			 recalculated_version = excluded.recalculated_version`,
		),
		deleteContact: db.prepare('DELETE FROM contacts WHERE profile_id = ? AND contact_id = ?'),
		deleteProfileGroups: db.prepare('DELETE FROM contact_groups WHERE profile_id = ?'),
		deleteContactGroups: db.prepare('DELETE FROM contact_groups WHERE profile_id = ? AND contact_id = ?'),
		deleteContactGroup: db.prepare('DELETE FROM contact_groups WHERE profile_id = ? AND contact_id = ? AND group_name = ?'),
		upsertContactGroup: db.prepare(
			`INSERT INTO contact_groups (profile_id, group_name, contact_id, score) VALUES (?, ?, ?, ?)
			 ON CONFLICT (profile_id, contact_id, group_name) DO UPDATE SET score = excluded.score`,
		),
		inactiveContacts: db.prepare(
			'SELECT contact_id FROM contacts WHERE profile_id = ? AND coalesce(last_activity_at, first_seen_at) < ? ORDER BY contact_id',
		),
		expiringContacts: db.prepare(
			`SELECT contact_id FROM contacts WHERE profile_id = ? AND next_expiry_at IS NOT NULL AND next_expiry_at <= ?
			 ORDER BY next_expiry_at, contact_id LIMIT ?`,
		),
		// Marks an id unseen or expired (changes 1) until the given time; a remembered id is left as it is (changes 0).
		markEventSeen: db.prepare(
			`INSERT INTO seen_events (profile_key, event_id, expires_at) VALUES (?, ?, ?)
			 ON CONFLICT (profile_key, event_id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_events.expires_at <= ?`,
		),
		forgetExpiredEventIds: db.prepare(
			`DELETE FROM seen_events WHERE (profile_key, event_id) IN
			 (SELECT profile_key, event_id FROM seen_events WHERE expires_at <= ? LIMIT ?)`,
		),
		unmarkEventSeen: db.prepare('DELETE FROM seen_events WHERE profile_key = ? AND event_id = ?'),
		readChangeCounter: db.prepare("SELECT value FROM counters WHERE name = 'change_seq'"),
		writeChangeCounter: db.prepare(
			"INSERT INTO counters (name, value) VALUES ('change_seq', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
		),
		insertJournal: db.prepare('INSERT INTO journal (profile_key, contact_id, through_seq, entries) VALUES (?, ?, ?, ?)'),
		writeJournalSeq: db.prepare('UPDATE profiles SET journal_seq = ? WHERE key = ?'),
		profileWideJournal: db.prepare('SELECT rowid, entries FROM journal WHERE profile_key = ? AND contact_id = ? ORDER BY through_seq'),
		firstJournalRowAfter: db.prepare(
			'SELECT rowid, entries FROM journal WHERE profile_key = ? AND contact_id = ? AND through_seq > ? ORDER BY through_seq LIMIT 1',
		),
		rewriteJournalRow: db.prepare('UPDATE journal SET entries = ? WHERE rowid = ?'),
		deleteJournalRow: db.prepare('DELETE FROM journal WHERE rowid = ?'),
		// A seek per id (the smallest contact id after the last), never a walk over every entry.
		journalContactIds: db.prepare(
			`WITH RECURSIVE page (contact_id, n) AS (
				SELECT (SELECT min(contact_id) FROM journal WHERE profile_key = (SELECT key FROM profiles WHERE id = ?1) AND contact_id > ?2), 1
				UNION ALL
				SELECT (SELECT min(contact_id) FROM journal WHERE profile_key = (SELECT key FROM profiles WHERE id = ?1) AND contact_id > page.contact_id), n + 1
				FROM page WHERE page.contact_id IS NOT NULL AND n < ?3
			) SELECT contact_id FROM page WHERE contact_id IS NOT NULL`,
		),
		foldContactJournal: db.prepare('DELETE FROM journal WHERE profile_key = ? AND contact_id = ? AND through_seq <= ?'),
		deleteProfileJournal: db.prepare('DELETE FROM journal WHERE profile_key = ?'),
		deleteContactJournal: db.prepare(`DELETE FROM journal WHERE profile_key = ${profileKeyOf} AND contact_id = ?`),
		getCursor: db.prepare('SELECT seq FROM cursors WHERE consumer_id = ?'),
		saveCursor: db.prepare(
			'INSERT INTO cursors (consumer_id, seq) VALUES (?, ?) ON CONFLICT (consumer_id) DO UPDATE SET seq = excluded.seq',
		),
	};
	statements.inactiveContacts.setReturnArrays(true);
	statements.expiringContacts.setReturnArrays(true);
	statements.journalContactIds.setReturnArrays(true);
	statements.profileWideJournal.setReturnArrays(true);
	statements.firstJournalRowAfter.setReturnArrays(true);
	return statements;
}

function toContactState(contactId: string, row: ContactRow): ContactState {
	return storedContactState(
		contactId,
		row.score,
		row.last_activity_at,
		row.first_seen_at,
		row.updated_at,
		row.version,
		row.ledger === null ? undefined : (JSON.parse(row.ledger) as ContactLedger),
		row.ledger === null ? undefined : (row.next_expiry_at ?? undefined),
		row.journaled === null ? undefined : true,
		row.recalculated_version ?? undefined,
	);
}
