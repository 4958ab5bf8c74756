import type { DatabaseSync, StatementSync } from 'node:sqlite';

import type { ChangeRecord } from '../../scoring';
import type { ChangeCause, ScoreChange } from '../../types';

/**
 * The change log of an SQLite file (schema.ts step 8): one row per run of consecutive changes of
 * one contact in a transaction, which the scoring core plans contact by contact, so a batch of
 * 100k events over 10k contacts writes 10k rows rather than a row (and an index entry) per change.
 * A row holds seqs first_seq..last_seq, a JSON array with one element per change:
 * [previous score, score, delta, cause key, at, event id?, previous groups?, groups?].
 * Rows of a profile hold disjoint, increasing ranges of seqs.
 */
export class SqliteChangeLog {
	private readonly statements: ReturnType<typeof prepareStatements>;
	private readonly causeTexts = new Map<number, string>();
	private lastGroups?: Readonly<Record<string, number>>;
	private lastGroupsText = '';
	private readonly causeKeys: CauseKeys;

	constructor(db: DatabaseSync) {
		this.statements = prepareStatements(db);
		this.causeKeys = new CauseKeys(this.statements);
	}

	/** Logs `changes` as seqs firstSeq, firstSeq + 1, …, inside the caller's transaction. */
	append(profileKey: number, firstSeq: number, changes: readonly ChangeRecord[]): void {
		this.lastGroups = undefined;
		for (let first = 0; first < changes.length; ) {
			const contactId = changes[first].contactId;
			let text = `[${this.element(changes[first])}`;
			let end = first + 1;
			for (; end < changes.length && changes[end].contactId === contactId; end++) text += `,${this.element(changes[end])}`;
			this.statements.insertRun.run(profileKey, firstSeq + first, firstSeq + end - 1, contactId, `${text}]`);
			first = end;
		}
	}

	/** The profile's changes after `afterSeq`, oldest first, at most `limit`. */
	read(profileId: string, afterSeq: number, limit: number): ScoreChange[] {
		const changes: ScoreChange[] = [];
		if (limit <= 0) return changes;
		// The row holding afterSeq (if one does) and then at most `limit` rows: each holds a change at least.
		for (const [contactId, firstSeq, text] of this.statements.readRuns.all(profileId, afterSeq, limit + 1) as unknown as RunRow[]) {
			const elements = JSON.parse(text) as ChangeElement[];
			for (let index = Math.max(0, afterSeq + 1 - firstSeq); index < elements.length; index++) {
				changes.push(this.change(profileId, contactId, firstSeq + index, elements[index]));
				if (changes.length === limit) return changes;
			}
		}
		return changes;
	}

	/** The contact's changes, newest first, at most `limit`. */
	history(profileId: string, contactId: string, limit: number): ScoreChange[] {
		const changes: ScoreChange[] = [];
		if (limit <= 0) return changes;
		for (const [firstSeq, text] of this.statements.contactRuns.all(profileId, contactId, limit) as unknown as Array<[number, string]>) {
			const elements = JSON.parse(text) as ChangeElement[];
			for (let index = elements.length - 1; index >= 0; index--) {
				changes.push(this.change(profileId, contactId, firstSeq + index, elements[index]));
				if (changes.length === limit) return changes;
			}
		}
		return changes;
	}

	latestSeq(profileId: string): number {
		return (this.statements.latestSeq.get(profileId) as [number] | undefined)?.[0] ?? 0;
	}

	deleteContact(profileId: string, contactId: string): void {
		this.statements.deleteContactRuns.run(profileId, contactId);
	}

	deleteProfile(profileKey: number): void {
		this.statements.deleteProfileRuns.run(profileKey);
	}

	/** After a rollback: causes inserted by the rolled-back transaction are gone. */
	forgetUncommitted(): void {
		this.causeKeys.forgetUncommitted();
	}

	private element(change: ChangeRecord): string {
		const { previousScore, score, delta, cause, at, groups } = change;
		const head = `[${previousScore},${score},${delta},${this.causeKeys.of(cause)},${at}`;
		const eventId = eventIdOf(cause);
		if (groups !== undefined) {
			return `${head},${eventId === null ? 'null' : JSON.stringify(eventId)},${this.groupsText(change.previousGroups ?? EMPTY_GROUPS)},${this.groupsText(groups)}]`;
		}
		return eventId === null ? `${head}]` : `${head},${JSON.stringify(eventId)}]`;
	}

	/** A contact's change after another holds the groups that one left: the same object, encoded once. */
	private groupsText(groups: Readonly<Record<string, number>>): string {
		if (groups !== this.lastGroups) {
			this.lastGroups = groups;
			this.lastGroupsText = JSON.stringify(groups);
		}
		return this.lastGroupsText;
	}

	private change(profileId: string, contactId: string, seq: number, element: ChangeElement): ScoreChange {
		const [previousScore, score, delta, causeKey, at, eventId, previousGroups, groups] = element;
		const change: ScoreChange = { seq, profileId, contactId, previousScore, score, delta, cause: this.cause(causeKey, eventId ?? null), at };
		if (groups === undefined || groups === null) return change;
		return { ...change, groups, previousGroups: previousGroups ?? {} };
	}

	/**
	 * Changes logged before event ids had a column of their own, and expiries logged before they used
	 * it (each such expiry's cause text was a causes row of its own), keep the id inside the cause text.
	 * Causes are never deleted or changed, so a key's text once read is kept.
	 */
	private cause(causeKey: number, eventId: string | null): ChangeCause {
		let text = this.causeTexts.get(causeKey);
		if (text === undefined) {
			text = (this.statements.causeText.get(causeKey) as [string] | undefined)?.[0];
			if (text === undefined) throw new Error(`The SQLite change log names cause ${causeKey}, which the causes table does not hold`);
			if (this.causeTexts.size >= CAUSE_TEXTS_CACHED) this.causeTexts.clear();
			this.causeTexts.set(causeKey, text);
		}
		const cause = JSON.parse(text) as ChangeCause;
		return eventId !== null && (cause.kind === 'event' || cause.kind === 'expired') ? { ...cause, eventId } : cause;
	}
}

/**
 * The key of each change's cause in the causes table (see schema.ts), without its event id, which
 * the change keeps itself. The scoring core shares one frozen cause object among the changes of
 * events without an id that matched the same rules, and one frozen rule-id list among those with
 * an id: the key of each shared part is looked up once.
 */
class CauseKeys {
	private byCause = new WeakMap<ChangeCause, number>();
	/** Per frozen rule-id list, event type and published version: the keys of an event's causes without their ids. */
	private byRuleIds = new WeakMap<readonly string[], Map<string, Map<number | undefined, VersionCauseKeys>>>();
	private byText = new Map<string, number>();
	/** Per rule id: the key of an expiry's cause without its event id (one per rule, however many grants expire). */
	private byExpiredRule = new Map<string, number>();

	constructor(private readonly statements: Pick<ReturnType<typeof prepareStatements>, 'causeKey' | 'insertCause'>) {}

	of(cause: ChangeCause): number {
		if (cause.kind === 'event' && (cause.eventId !== undefined || cause.limitedRuleIds !== undefined)) return this.ofEvent(cause);
		if (cause.kind === 'expired' && cause.eventId !== undefined) {
			let key = this.byExpiredRule.get(cause.ruleId);
			if (key === undefined) this.byExpiredRule.set(cause.ruleId, (key = this.ofText(JSON.stringify({ kind: 'expired', ruleId: cause.ruleId }))));
			return key;
		}
		if (!Object.isFrozen(cause)) return this.ofText(JSON.stringify(cause));
		let key = this.byCause.get(cause);
		if (key === undefined) this.byCause.set(cause, (key = this.ofText(JSON.stringify(cause))));
		return key;
	}

	/** After a rollback: a cause inserted by the rolled-back transaction no longer has its key. */
	forgetUncommitted(): void {
		this.byCause = new WeakMap();
		this.byRuleIds = new WeakMap();
		this.byText.clear();
		this.byExpiredRule.clear();
	}

	/**
	 * An event's cause with an id or with limited rules: the key of its text without the id, looked
	 * up by its shared rule-id list, type, version and limited rules (a batch of events whose rule
	 * counts are used up has a handful of distinct limited lists, but a new array each).
	 */
	private ofEvent(cause: Extract<ChangeCause, { kind: 'event' }>): number {
		const { eventType, ruleIds, profileVersion, limitedRuleIds } = cause;
		if (!Object.isFrozen(ruleIds)) return this.ofText(storedEventCauseText(cause));
		let byType = this.byRuleIds.get(ruleIds);
		if (byType === undefined) this.byRuleIds.set(ruleIds, (byType = new Map()));
		let byVersion = byType.get(eventType);
		if (byVersion === undefined) byType.set(eventType, (byVersion = new Map()));
		let keys = byVersion.get(profileVersion);
		if (keys === undefined) byVersion.set(profileVersion, (keys = {}));
		if (limitedRuleIds === undefined) return (keys.plain ??= this.ofText(storedEventCauseText(cause)));
		keys.limited ??= new Map();
		const limited = JSON.stringify(limitedRuleIds);
		let key = keys.limited.get(limited);
		if (key === undefined) keys.limited.set(limited, (key = this.ofText(storedEventCauseText(cause))));
		return key;
	}

	private ofText(text: string): number {
		let key = this.byText.get(text);
		if (key !== undefined) return key;
		const row = this.statements.causeKey.get(text) as { key: number } | undefined;
		key = row?.key ?? Number(this.statements.insertCause.run(text).lastInsertRowid);
		// Texts with a reason are mostly unique: the map is a cache, not a copy of the table.
		if (this.byText.size >= CAUSE_TEXTS_CACHED) this.byText.clear();
		this.byText.set(text, key);
		return key;
	}
}

const CAUSE_TEXTS_CACHED = 10_000;
const EMPTY_GROUPS: Readonly<Record<string, number>> = Object.freeze({});

/** [contact id, first seq, changes]. */
type RunRow = [string, number, string];

/** One change of a row (see SqliteChangeLog); rows migrated from a row per change carry nulls. */
type ChangeElement = [
	previousScore: number,
	score: number,
	delta: number,
	causeKey: number,
	at: number,
	eventId?: string | null,
	previousGroups?: Readonly<Record<string, number>> | null,
	groups?: Readonly<Record<string, number>> | null,
];

interface VersionCauseKeys {
	/** The cause without limited rules. */
	plain?: number;
	/** By the limited rules, as JSON. */
	limited?: Map<string, number>;
}

/** An event's cause without its event id, as the causes table keeps it. */
function storedEventCauseText(cause: Extract<ChangeCause, { kind: 'event' }>): string {
	const { eventType, ruleIds, profileVersion, limitedRuleIds } = cause;
	if (limitedRuleIds !== undefined) return JSON.stringify({ ...cause, eventId: undefined });
	return JSON.stringify(profileVersion === undefined ? { kind: 'event', eventType, ruleIds } : { kind: 'event', eventType, ruleIds, profileVersion });
}

/** The event id a change's cause names, kept beside the cause's key rather than in its text. */
function eventIdOf(cause: ChangeCause): string | null {
	return cause.kind === 'event' || cause.kind === 'expired' ? (cause.eventId ?? null) : null;
}

function prepareStatements(db: DatabaseSync) {
	const profileKeyOf = '(SELECT key FROM profiles WHERE id = ?1)';
	const statements = {
		insertRun: db.prepare('INSERT INTO change_runs (profile_key, first_seq, last_seq, contact_id, changes) VALUES (?, ?, ?, ?, ?)'),
		readRuns: db.prepare(
			`SELECT contact_id, first_seq, changes FROM change_runs WHERE profile_key = ${profileKeyOf} AND first_seq >= coalesce(
				(SELECT first_seq FROM change_runs WHERE profile_key = ${profileKeyOf} AND first_seq <= ?2 ORDER BY first_seq DESC LIMIT 1), 0)
			ORDER BY first_seq LIMIT ?3`,
		),
		contactRuns: db.prepare(
			'SELECT first_seq, changes FROM change_runs WHERE profile_key = (SELECT key FROM profiles WHERE id = ?) AND contact_id = ? ORDER BY first_seq DESC LIMIT ?',
		),
		latestSeq: db.prepare(`SELECT last_seq FROM change_runs WHERE profile_key = ${profileKeyOf} ORDER BY first_seq DESC LIMIT 1`),
		deleteContactRuns: db.prepare('DELETE FROM change_runs WHERE profile_key = (SELECT key FROM profiles WHERE id = ?) AND contact_id = ?'),
		deleteProfileRuns: db.prepare('DELETE FROM change_runs WHERE profile_key = ?'),
		causeKey: db.prepare('SELECT key FROM causes WHERE text = ?'),
		insertCause: db.prepare('INSERT INTO causes (text) VALUES (?)'),
		causeText: db.prepare('SELECT text FROM causes WHERE key = ?'),
	};
	for (const statement of [statements.readRuns, statements.contactRuns, statements.latestSeq, statements.causeText] as StatementSync[]) {
		statement.setReturnArrays(true);
	}
	return statements;
}
