import type { JournalCarried, JournalRecord } from '../journal';
import type { ContactState, ExpiringGrant } from '../scoring/contact-state';
import { eventOperation } from '../scoring/event-operation';
import { expireGrants, type RuleGains } from '../scoring/ledger';
import type { ExpiryOperation, ScoreOperation } from '../scoring/operation';
import { type ChangeRecord, type Transition, transition } from '../scoring/transition';
import { carriedState, decayOperation, modifyOperation, resetOperation } from './journal-operations';
import type { ScoreLimits } from '../types';
import { type ReplaySettings, withEvaluator } from './replay-settings';

/** A replayed contact's state as a store keeps it, less what only the writer knows (see replayContact). */
export type ReplayedState = Omit<ContactState, 'version' | 'journaled' | 'recalculatedVersion'>;

export interface ReplayedContact {
	/** Absent when the journal leaves nothing to keep (only resets or decay runs of a contact never scored). */
	readonly state?: ReplayedState;
	/** Every change the contact went through in the replay, in order, as transition logged them. */
	readonly changes: readonly ChangeRecord[];
}

/** Hears every step of a replay (explanations attribute them); it computes nothing the replay uses. */
export interface ReplayObserver {
	/** Passed to transition: what each rule of an event added. */
	readonly ruleGains?: RuleGains;
	started(carried: JournalCarried | undefined): void;
	applied(entry: JournalRecord, operation: ScoreOperation, before: ContactState | undefined, outcome: Transition): void;
	/** One grant taken back (one at a time while observed, the same as all due at once: see expireGrants). */
	expired(grant: ExpiringGrant, before: ContactState, after: ContactState): void;
}

/**
 * The state the contact would hold at `now` had its journal happened under `settings`, and every
 * change it went through, computed by the scoring core alone (transition, expireGrants), as the
 * live engine computed it when the entries arrived:
 * - it starts from the contact's newest `carried` entry, or from nothing; entries before it, and
 *   profile-wide entries at or before it (the carried state holds them), are left out;
 * - the contact's entries (oldest first) and the profile-wide decay runs are merged by journalSeq;
 * - before each entry the expiries due by then are applied (for an event by its receivedAt, for
 *   the others by their `at`), as the engine applies due expiries first, and at the end those due by `now`;
 * - events are evaluated against the settings' rules (how often they count, expiry, groups) with
 *   its limits and time zone, and scored as eventOperation builds them; an event id counts once;
 * - manual operations, resets and decay runs are replayed as recorded, held to the settings' limits.
 *
 * The state carries no version: the writer sets `version` (the stored one + 1), `journaled: true`
 * and `recalculatedVersion` itself. `updatedAt` is the time of the last step that wrote it.
 * Pass settings from withEvaluator when replaying many contacts, so the rules compile once.
 */
export function replayContact(
	contactId: string,
	records: readonly JournalRecord[],
	profileWide: readonly JournalRecord[],
	settings: ReplaySettings,
	now: number,
): ReplayedContact {
	const { state, changes } = replayJournal(contactId, records, profileWide, settings, now);
	return state === undefined ? { changes } : { state: versionless(state), changes };
}

function versionless(state: ContactState): ReplayedState {
	const { contactId, score, lastActivityAt, firstSeenAt, updatedAt, ledger, nextExpiryAt } = state;
	const replayed: { -readonly [K in keyof ReplayedState]: ReplayedState[K] } = { contactId, score, lastActivityAt, firstSeenAt, updatedAt };
	if (ledger !== undefined) replayed.ledger = ledger;
	if (nextExpiryAt !== undefined) replayed.nextExpiryAt = nextExpiryAt;
	return replayed;
}

/** replayContact with the state as transition left it, told step by step to `observer`. */
export function replayJournal(
	contactId: string,
	records: readonly JournalRecord[],
	profileWide: readonly JournalRecord[],
	settings: ReplaySettings,
	now: number,
	observer?: ReplayObserver,
): { state: ContactState | undefined; changes: ChangeRecord[] } {
	const evaluator = settings.evaluator ?? withEvaluator(settings).evaluator;
	const { limits, version } = settings;
	const ruleGains = observer?.ruleGains;
	const changes: ChangeRecord[] = [];
	let first = 0;
	let carried: Extract<JournalRecord, { kind: 'carried' }> | undefined;
	for (let index = records.length - 1; index >= 0; index--) {
		const record = records[index];
		if (record.kind === 'carried') {
			carried = record;
			first = index + 1;
			break;
		}
	}
	let state = carried === undefined ? undefined : carriedState(carried);
	observer?.started(carried);
	let wide = carried === undefined ? 0 : firstAfter(profileWide, carried.journalSeq);
	let own = first;
	let seen: Set<string> | undefined;

	while (own < records.length || wide < profileWide.length) {
		const entry =
			wide >= profileWide.length || (own < records.length && records[own].journalSeq < profileWide[wide].journalSeq)
				? records[own++]
				: profileWide[wide++];
		let operation: ScoreOperation;
		switch (entry.kind) {
			case 'event': {
				state = expireBy(state, entry.receivedAt, limits, changes, observer);
				if (entry.eventId !== undefined) {
					if (seen?.has(entry.eventId)) continue;
					(seen ??= new Set()).add(entry.eventId);
				}
				operation = eventOperation(entry, entry.eventId, evaluator.evaluate(entry), version, settings, entry.receivedAt);
				break;
			}
			case 'modify':
				state = expireBy(state, entry.at, limits, changes, observer);
				operation = modifyOperation(entry, limits);
				break;
			case 'reset':
				state = expireBy(state, entry.at, limits, changes, observer);
				operation = resetOperation(entry, limits);
				break;
			case 'decay':
				state = expireBy(state, entry.at, limits, changes, observer);
				operation = decayOperation(entry, limits);
				break;
			case 'carried':
				// Only the newest carried entry counts, and it is where the replay started.
				continue;
		}
		const before = state;
		const outcome = transition(contactId, before, operation, ruleGains);
		if (outcome.state !== undefined) state = outcome.state;
		if (outcome.change !== undefined) changes.push(outcome.change);
		observer?.applied(entry, operation, before, outcome);
	}
	state = expireBy(state, now, limits, changes, observer);
	return { state, changes };
}

/** The state after the expiries due by `at`, their changes appended to `changes`. */
function expireBy(
	state: ContactState | undefined,
	at: number,
	limits: ScoreLimits | undefined,
	changes: ChangeRecord[],
	observer: ReplayObserver | undefined,
): ContactState | undefined {
	if (state === undefined || state.nextExpiryAt === undefined || state.nextExpiryAt > at) return state;
	const operation: ExpiryOperation = limits === undefined ? { kind: 'expiry', at } : { kind: 'expiry', at, limits };
	if (observer === undefined) {
		const expired = expireGrants(state, operation);
		for (const change of expired.changes) changes.push(change);
		return expired.state ?? state;
	}
	let current = state;
	while (current.nextExpiryAt !== undefined && current.nextExpiryAt <= at) {
		const before = current;
		const grant = (before.ledger?.expiring as readonly ExpiringGrant[])[0];
		const expired = expireGrants(before, operation, 1);
		for (const change of expired.changes) changes.push(change);
		current = expired.state ?? before;
		observer.expired(grant, before, current);
	}
	return current;
}

/** The index of the first record with a journalSeq above `seq` (records ascending). */
function firstAfter(records: readonly JournalRecord[], seq: number): number {
	let low = 0;
	let high = records.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (records[middle].journalSeq <= seq) low = middle + 1;
		else high = middle;
	}
	return low;
}
