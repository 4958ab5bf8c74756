import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { changeNotifier } from '../change-notifier';
import {
	EngagementScoreError,
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	ProfileNotPublishedError,
	StoreUnavailableError,
} from '../errors';
import { adjustedScore, decayScore, normalizeScore } from '../score-math';
import type { ScoreStore } from '../store';
import type {
	Adjustment,
	ChangeCause,
	ContactQuery,
	ContactScore,
	DecayPolicy,
	DecayResult,
	EventResult,
	ScoreChange,
	ScoredEvent,
	ScoreProfile,
} from '../types';
import { openDatabase } from './sqlite-driver';
import { migrate } from './sqlite-schema';
import {
	byNameThenId,
	checkAdjustment,
	checkDecay,
	checkId,
	checkScoredEvents,
	eventCause,
	laterOf,
	modifyCause,
	resetCause,
} from './store-input';

/** How long a writer waits for another process's transaction on the same file before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

interface ContactRow {
	score: number;
	last_activity_at: number | null;
	first_seen_at: number;
	updated_at: number;
}

/**
 * A contact as a batch sees it: read once, updated in place by each of its events, and written
 * once at the end if any event applied (a new contact starts at 0, first seen at its first event).
 */
interface BatchContact {
	score: number;
	lastActivityAt: number | null;
	firstSeenAt: number;
	updatedAt: number;
	changed: boolean;
}

function batchContact(row: ContactRow | undefined): BatchContact {
	return row
		? { score: row.score, lastActivityAt: row.last_activity_at, firstSeenAt: row.first_seen_at, updatedAt: row.updated_at, changed: false }
		: { score: 0, lastActivityAt: null, firstSeenAt: Infinity, updatedAt: 0, changed: false };
}

/**
 * The change-log cause of events without an id, as JSON text, made once per batch for each list of
 * matched rules: the evaluator shares one frozen list per outcome, so a batch has only a handful
 * of distinct texts, and building one per change was a measurable share of a large batch.
 */
class CauseTexts {
	private readonly texts = new Map<readonly string[], { eventType: string; text: string }>();

	of(event: ScoredEvent): string {
		const cached = this.texts.get(event.matchedRuleIds);
		if (cached !== undefined && cached.eventType === event.eventType) return cached.text;
		const text = JSON.stringify(eventCause(event));
		if (Object.isFrozen(event.matchedRuleIds)) this.texts.set(event.matchedRuleIds, { eventType: event.eventType, text });
		return text;
	}
}

interface ProfileState {
	key: number;
	status: string;
	version: number;
}

interface ChangeRow {
	seq: number;
	contact_id: string;
	previous_score: number;
	score: number;
	delta: number;
	cause: string;
	at: number;
}

interface NewChange {
	readonly profileId: string;
	readonly contactId: string;
	readonly previousScore: number;
	readonly score: number;
	readonly cause: ChangeCause;
	readonly at: number;
}

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
	private readonly statements: Statements;
	private readonly contactQueries = new Map<string, StatementSync>();
	/** The change counter while a transaction that logs changes is open. */
	private lastChangeSeq?: number;

	/**
	 * The store for a file, shared per absolute path within the process: nodes call this on every
	 * execution, so after the first call it costs a map lookup. Each `close()` releases one `open()`;
	 * the connection closes with the last one.
	 */
	static open(filePath: string): SqliteStore {
		const absolutePath = resolve(filePath);
		const existing = SqliteStore.openStores.get(absolutePath);
		if (existing) {
			existing.references++;
			return existing;
		}
		const store = new SqliteStore(absolutePath, connect(absolutePath));
		SqliteStore.openStores.set(absolutePath, store);
		return store;
	}

	private constructor(
		readonly filePath: string,
		private readonly db: DatabaseSync,
	) {
		this.key = `sqlite:${filePath}`;
		this.statements = prepareStatements(db);
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
				this.statements.deleteProfileChanges.run(state.key);
				this.statements.deleteProfileSeenEvents.run(state.key);
				return true;
			}),
		);
	}

	async applyEvents(profileId: string, publishedVersion: number, events: readonly ScoredEvent[]): Promise<EventResult[]> {
		return this.use(() => {
			checkScoredEvents(events);
			let logged = false;
			const results = this.transaction(() => {
				const profileKey = this.requirePublishedAt(profileId, publishedVersion);
				// Inside the transaction nobody else writes, so each contact is read once and written
				// once per batch however many of its events the batch holds.
				const contacts = new Map<string, BatchContact>();
				const causeTexts = new CauseTexts();
				const results: EventResult[] = new Array(events.length);
				for (let index = 0; index < events.length; index++) {
					const result = this.applyEvent(profileId, profileKey, events[index], contacts, causeTexts);
					if (result.changeSeq !== undefined) logged = true;
					results[index] = result;
				}
				for (const [contactId, contact] of contacts) {
					if (!contact.changed) continue;
					const { score, lastActivityAt, firstSeenAt, updatedAt } = contact;
					this.statements.upsertContact.run(profileId, contactId, score, lastActivityAt, firstSeenAt, updatedAt);
				}
				return results;
			});
			if (logged) changeNotifier.notify(this.key, profileId);
			return results;
		});
	}

	async adjustScore(
		profileId: string,
		adjustment: Adjustment,
	): Promise<{ previousScore: number; score: number; change?: ScoreChange }> {
		return this.use(() => {
			checkAdjustment(adjustment);
			const outcome = this.transaction(() => {
				const profileKey = this.requireProfile(profileId);
				const { contactId, at } = adjustment;
				const row = this.readContact(profileId, contactId);
				const previousScore = row?.score ?? 0;
				const score = adjustedScore(previousScore, adjustment.operation, adjustment.points);
				const countsAsActivity = adjustment.countsAsActivity ?? true;
				const lastActivityAt = row?.last_activity_at ?? null;
				this.writeContact(profileId, contactId, score, countsAsActivity ? laterOf(lastActivityAt, at) : lastActivityAt, row, at);
				const change =
					score === previousScore
						? undefined
						: this.logChange(profileKey, { profileId, contactId, previousScore, score, cause: modifyCause(adjustment), at });
				return { previousScore, score, ...(change ? { change } : {}) };
			});
			if (outcome.change) changeNotifier.notify(this.key, profileId);
			return outcome;
		});
	}

	async resetContact(profileId: string, contactId: string, at: number, reason?: string): Promise<ScoreChange | undefined> {
		return this.use(() => {
			const change = this.transaction(() => {
				const profileKey = this.requireProfile(profileId);
				const row = this.readContact(profileId, contactId);
				if (!row || row.score === 0) return undefined;
				this.writeContact(profileId, contactId, 0, row.last_activity_at, row, at);
				return this.logChange(profileKey, { profileId, contactId, previousScore: row.score, score: 0, cause: resetCause(reason), at });
			});
			if (change) changeNotifier.notify(this.key, profileId);
			return change;
		});
	}

	async deleteContact(profileId: string, contactId: string): Promise<boolean> {
		return this.use(() =>
			this.transaction(() => {
				const { changes } = this.statements.deleteContact.run(profileId, contactId);
				this.statements.deleteContactChanges.run(profileId, contactId);
				return changes > 0;
			}),
		);
	}

	async applyDecay(profileId: string, policy: DecayPolicy, inactiveBefore: number, at: number): Promise<DecayResult> {
		return this.use(() => {
			checkDecay(policy, inactiveBefore, at);
			const result = this.transaction((): DecayResult => {
				const profileKey = this.requireProfile(profileId);
				const inactive = this.statements.inactiveContacts.all(profileId, inactiveBefore) as unknown as Array<
					[string, number]
				>;
				const cause: ChangeCause = { kind: 'decay', mode: policy.mode };
				let contactsDecayed = 0;
				let totalDelta = 0;
				let firstChangeSeq: number | undefined;
				let lastChangeSeq: number | undefined;
				for (const [contactId, previousScore] of inactive) {
					const score = decayScore(previousScore, policy);
					if (score === previousScore) continue;
					this.statements.setScore.run(score, at, profileId, contactId);
					const change = this.logChange(profileKey, { profileId, contactId, previousScore, score, cause, at });
					contactsDecayed++;
					totalDelta = normalizeScore(totalDelta + change.delta);
					firstChangeSeq ??= change.seq;
					lastChangeSeq = change.seq;
				}
				return {
					contactsInactive: inactive.length,
					contactsDecayed,
					totalDelta,
					...(firstChangeSeq === undefined ? {} : { firstChangeSeq, lastChangeSeq }),
				};
			});
			if (result.contactsDecayed > 0) changeNotifier.notify(this.key, profileId);
			return result;
		});
	}

	async getContact(profileId: string, contactId: string): Promise<ContactScore | undefined> {
		return this.use(() => {
			const row = this.readContact(profileId, contactId);
			return row && toContactScore(profileId, contactId, row);
		});
	}

	async listContacts(profileId: string, query: ContactQuery): Promise<ContactScore[]> {
		return this.use(() => {
			const parameters: SQLInputValue[] = [profileId];
			const filters: string[] = [];
			if (query.minScore !== undefined) {
				filters.push('AND score >= ?');
				parameters.push(query.minScore);
			}
			if (query.maxScore !== undefined) {
				filters.push('AND score <= ?');
				parameters.push(query.maxScore);
			}
			parameters.push(Math.max(0, Math.floor(query.limit)), Math.max(0, Math.floor(query.offset ?? 0)));
			const direction = query.order === 'asc' ? 'ASC' : 'DESC';
			const sql =
				`SELECT contact_id, score, last_activity_at, first_seen_at, updated_at FROM contacts ` +
				`WHERE profile_id = ? ${filters.join(' ')} ORDER BY score ${direction}, contact_id ASC LIMIT ? OFFSET ?`;
			const rows = this.contactQuery(sql).all(...parameters) as unknown as Array<ContactRow & { contact_id: string }>;
			return rows.map((row) => toContactScore(profileId, row.contact_id, row));
		});
	}

	async getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]> {
		return this.use(() =>
			(this.statements.history.all(profileId, contactId, Math.max(0, Math.floor(limit))) as unknown as ChangeRow[]).map(
				(row) => toScoreChange(profileId, row),
			),
		);
	}

	async readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]> {
		return this.use(() =>
			(this.statements.readChanges.all(profileId, afterSeq, Math.max(0, Math.floor(limit))) as unknown as ChangeRow[]).map(
				(row) => toScoreChange(profileId, row),
			),
		);
	}

	async latestChangeSeq(profileId: string): Promise<number> {
		return this.use(() => (this.statements.latestChangeSeq.get(profileId) as { seq: number | null }).seq ?? 0);
	}

	async getCursor(consumerId: string): Promise<number | undefined> {
		return this.use(() => (this.statements.getCursor.get(consumerId) as { seq: number } | undefined)?.seq);
	}

	async saveCursor(consumerId: string, seq: number): Promise<void> {
		return this.use(() => {
			this.statements.saveCursor.run(consumerId, seq);
		});
	}

	async close(): Promise<void> {
		if (this.references === 0) return;
		this.references--;
		if (this.references > 0) return;
		if (SqliteStore.openStores.get(this.filePath) === this) SqliteStore.openStores.delete(this.filePath);
		this.db.close();
	}

	/** The hot path of a scoring run: no object spreads, one insert per logged change. */
	private applyEvent(
		profileId: string,
		profileKey: number,
		event: ScoredEvent,
		contacts: Map<string, BatchContact>,
		causeTexts: CauseTexts,
	): EventResult {
		const { contactId, eventId } = event;
		let contact = contacts.get(contactId);
		if (contact === undefined) {
			contact = batchContact(this.readContact(profileId, contactId));
			contacts.set(contactId, contact);
		}
		const previousScore = contact.score;
		if (eventId !== undefined && this.statements.markEventSeen.run(profileKey, eventId).changes === 0) {
			return { contactId, eventId, duplicate: true, previousScore, score: previousScore, delta: 0, matchedRuleIds: [] };
		}
		const score = adjustedScore(previousScore, 'add', event.delta);
		const at = event.occurredAt;
		contact.score = score;
		contact.lastActivityAt = laterOf(contact.lastActivityAt, at);
		contact.firstSeenAt = Math.min(contact.firstSeenAt, at);
		contact.updatedAt = at;
		contact.changed = true;
		const delta = normalizeScore(score - previousScore);
		const { matchedRuleIds } = event;
		const result: { -readonly [K in keyof EventResult]: EventResult[K] } = {
			contactId,
			duplicate: false,
			previousScore,
			score,
			delta,
			// The evaluator's lists are frozen and shared; only a caller's own list needs a copy.
			matchedRuleIds: Object.isFrozen(matchedRuleIds) ? matchedRuleIds : matchedRuleIds.slice(),
		};
		if (eventId !== undefined) result.eventId = eventId;
		if (score !== previousScore) {
			const cause = eventId === undefined ? causeTexts.of(event) : JSON.stringify(eventCause(event));
			const seq = this.nextChangeSeq();
			this.statements.insertChange.run(profileKey, seq, contactId, previousScore, score, delta, cause, at);
			result.changeSeq = seq;
		}
		return result;
	}

	private writeContact(
		profileId: string,
		contactId: string,
		score: number,
		lastActivityAt: number | null,
		existing: ContactRow | undefined,
		at: number,
	): void {
		const firstSeenAt = existing ? Math.min(existing.first_seen_at, at) : at;
		this.statements.upsertContact.run(profileId, contactId, score, lastActivityAt, firstSeenAt, at);
	}

	private logChange(profileKey: number, change: NewChange): ScoreChange {
		const delta = normalizeScore(change.score - change.previousScore);
		const seq = this.nextChangeSeq();
		this.statements.insertChange.run(
			profileKey,
			seq,
			change.contactId,
			change.previousScore,
			change.score,
			delta,
			JSON.stringify(change.cause),
			change.at,
		);
		return { seq, ...change, delta };
	}

	private readProfile(profileId: string): ScoreProfile | undefined {
		const row = this.statements.getProfile.get(profileId) as { document: string } | undefined;
		return row && (JSON.parse(row.document) as ScoreProfile);
	}

	private readProfileState(profileId: string): ProfileState | undefined {
		return this.statements.profileState.get(profileId) as ProfileState | undefined;
	}

	/** @returns the profile's key */
	private requireProfile(profileId: string): number {
		const state = this.readProfileState(profileId);
		if (!state) throw new ProfileNotFoundError(profileId);
		return state.key;
	}

	/** @returns the profile's key */
	private requirePublishedAt(profileId: string, publishedVersion: number): number {
		const state = this.readProfileState(profileId);
		if (!state) throw new ProfileNotFoundError(profileId);
		if (state.status !== 'published' || state.version !== publishedVersion) throw new ProfileNotPublishedError(profileId);
		return state.key;
	}

	private readContact(profileId: string, contactId: string): ContactRow | undefined {
		return this.statements.getContact.get(profileId, contactId) as ContactRow | undefined;
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
	private nextChangeSeq(): number {
		if (this.lastChangeSeq === undefined) {
			this.lastChangeSeq = (this.statements.readChangeCounter.get() as { value: number } | undefined)?.value ?? 0;
		}
		return ++this.lastChangeSeq;
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
			if (!committed && this.db.isTransaction) this.statements.rollback.run();
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
	const contactColumns = 'score, last_activity_at, first_seen_at, updated_at';
	const changeColumns = 'seq, contact_id, previous_score, score, delta, cause, at';
	const profileKeyOf = '(SELECT key FROM profiles WHERE id = ?)';
	const statements = {
		begin: db.prepare('BEGIN IMMEDIATE'),
		commit: db.prepare('COMMIT'),
		rollback: db.prepare('ROLLBACK'),
		getProfile: db.prepare('SELECT document FROM profiles WHERE id = ?'),
		profileState: db.prepare('SELECT key, status, version FROM profiles WHERE id = ?'),
		listProfiles: db.prepare('SELECT document FROM profiles'),
		insertProfile: db.prepare(
			'INSERT INTO profiles (id, status, version, document) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
		),
		updateProfile: db.prepare('UPDATE profiles SET status = ?, version = ?, document = ? WHERE id = ?'),
		deleteProfile: db.prepare('DELETE FROM profiles WHERE key = ?'),
		deleteProfileContacts: db.prepare('DELETE FROM contacts WHERE profile_id = ?'),
		deleteProfileChanges: db.prepare('DELETE FROM changes WHERE profile_key = ?'),
		deleteProfileSeenEvents: db.prepare('DELETE FROM seen_events WHERE profile_key = ?'),
		getContact: db.prepare(`SELECT ${contactColumns} FROM contacts WHERE profile_id = ? AND contact_id = ?`),
		upsertContact: db.prepare(
			`INSERT INTO contacts (profile_id, contact_id, ${contactColumns}) VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (profile_id, contact_id) DO UPDATE SET score = excluded.score,
			 last_activity_at = excluded.last_activity_at, first_seen_at = excluded.first_seen_at, updated_at = excluded.updated_at`,
		),
		setScore: db.prepare('UPDATE contacts SET score = ?, updated_at = ? WHERE profile_id = ? AND contact_id = ?'),
		deleteContact: db.prepare('DELETE FROM contacts WHERE profile_id = ? AND contact_id = ?'),
		deleteContactChanges: db.prepare(`DELETE FROM changes WHERE profile_key = ${profileKeyOf} AND contact_id = ?`),
		inactiveContacts: db.prepare(
			'SELECT contact_id, score FROM contacts WHERE profile_id = ? AND coalesce(last_activity_at, first_seen_at) < ? ORDER BY contact_id',
		),
		markEventSeen: db.prepare(
			'INSERT INTO seen_events (profile_key, event_id) VALUES (?, ?) ON CONFLICT (profile_key, event_id) DO NOTHING',
		),
		insertChange: db.prepare(
			'INSERT INTO changes (profile_key, seq, contact_id, previous_score, score, delta, cause, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
		),
		readChangeCounter: db.prepare("SELECT value FROM counters WHERE name = 'change_seq'"),
		writeChangeCounter: db.prepare(
			"INSERT INTO counters (name, value) VALUES ('change_seq', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
		),
		history: db.prepare(
			`SELECT ${changeColumns} FROM changes WHERE profile_key = ${profileKeyOf} AND contact_id = ? ORDER BY seq DESC LIMIT ?`,
		),
		readChanges: db.prepare(
			`SELECT ${changeColumns} FROM changes WHERE profile_key = ${profileKeyOf} AND seq > ? ORDER BY seq LIMIT ?`,
		),
		latestChangeSeq: db.prepare(`SELECT max(seq) AS seq FROM changes WHERE profile_key = ${profileKeyOf}`),
		getCursor: db.prepare('SELECT seq FROM cursors WHERE consumer_id = ?'),
		saveCursor: db.prepare(
			'INSERT INTO cursors (consumer_id, seq) VALUES (?, ?) ON CONFLICT (consumer_id) DO UPDATE SET seq = excluded.seq',
		),
	};
	statements.inactiveContacts.setReturnArrays(true);
	return statements;
}

function toContactScore(profileId: string, contactId: string, row: ContactRow): ContactScore {
	return { profileId, contactId, score: row.score, lastActivityAt: row.last_activity_at, updatedAt: row.updated_at };
}

function toScoreChange(profileId: string, row: ChangeRow): ScoreChange {
	return {
		seq: row.seq,
		profileId,
		contactId: row.contact_id,
		previousScore: row.previous_score,
		score: row.score,
		delta: row.delta,
		cause: JSON.parse(row.cause) as ChangeCause,
		at: row.at,
	};
}
