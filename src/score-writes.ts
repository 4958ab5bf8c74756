import { changeNotifier } from './change-notifier';
import { ProfileNotFoundError, ProfileNotPublishedError, StoreUnavailableError } from './errors';
import {
	type BatchItem,
	type ChangeRecord,
	type DecayOperation,
	type ContactState,
	dueExpiries,
	expireGrants,
	type ExpiryOperation,
	isInactive,
	type ItemOutcome,
	JournalPlan,
	normalizeScore,
	planBatch,
	planRecording,
	type RecordedItem,
	type RecordingOutcome,
	type ScoreOperation,
} from './scoring';
import type { JournalEntry } from './journal';
import { journalDecay } from './journal-entries';
import type { Committed, Plan, ProfileHeader, ScoreStore, Snapshot, TransactionKeys } from './store';
import type { DecayResult, EventResult, ScoreChange, ScoreLimits, ScoreProfile } from './types';

/**
 * The scoring core applied to a store: each call plans with `planBatch` on the store's snapshot and
 * commits in one `transact`, then wakes the profile's in-process triggers (the one wake-up path).
 */

/** Contacts per decay transaction: a step of a large decay holds the store for a few milliseconds only. */
export const DECAY_CONTACTS_PER_STEP = 1000;

/** How often a write re-reads the profile's limits because a publish moved the version under it. */
const LIMITS_RETRIES = 5;

/**
 * The published limits a write is held to, with the profile version they belong to: a write
 * commits only while its transaction sees that version, so a publish between reading the profile
 * and committing never applies the limits it replaced.
 */
export interface VersionedLimits {
	readonly version: number;
	readonly limits?: ScoreLimits;
}

export function versionedLimits(profile: ScoreProfile): VersionedLimits {
	const limits = profile.publishedSettings?.limits;
	return limits === undefined ? { version: profile.version } : { version: profile.version, limits };
}

/** No profile read yet: the first transaction reads the limits of the version it sees. */
const UNREAD_LIMITS: VersionedLimits = { version: -1 };

export interface AppliedBatch {
	/** One per item, in order. */
	readonly outcomes: readonly ItemOutcome[];
	readonly changes: readonly ChangeRecord[];
	/** The seq of changes[0]; change i was logged as firstChangeSeq + i. */
	readonly firstChangeSeq: number;
}

export interface BatchOptions {
	/** Journal each item's entry with what it applies (see JournalPlan); the engine's writes all do. */
	readonly journaled?: boolean;
}

/**
 * Applies the items in order, atomically. With `publishedVersion`, only while the profile is still
 * published at that version (the rules the events were evaluated with).
 * @throws ProfileNotFoundError | ProfileNotPublishedError
 */
export async function applyBatch(
	store: ScoreStore,
	profileId: string,
	items: readonly BatchItem[],
	publishedVersion?: number,
	options: BatchOptions = {},
): Promise<AppliedBatch> {
	const committed = await commit(store, profileId, batchKeys(items), (snapshot) => {
		const header = requireProfile(snapshot, profileId);
		if (publishedVersion !== undefined && (header.status !== 'published' || header.version !== publishedVersion)) {
			throw new ProfileNotPublishedError(profileId);
		}
		const plan = planBatch(snapshot, items, options.journaled === true ? new JournalPlan() : undefined);
		return { ...plan, result: plan };
	});
	const { outcomes, changes } = committed.result;
	return { outcomes, changes, firstChangeSeq: committed.firstChangeSeq };
}

/**
 * Applies one operation to one contact (a manual adjustment or a reset), held to the limits of the
 * profile version its transaction sees, journaled as `journal`; `known` are the limits the caller already read.
 * @throws ProfileNotFoundError
 */
export async function applyHeldToLimits(
	store: ScoreStore,
	profileId: string,
	contactId: string,
	operationWith: (limits: ScoreLimits | undefined) => ScoreOperation,
	journal: JournalEntry,
	known: VersionedLimits = UNREAD_LIMITS,
): Promise<AppliedBatch> {
	const { committed } = await commitHeldToLimits(store, profileId, { contactIds: [contactId] }, known, (snapshot, limits) => {
		requireProfile(snapshot, profileId);
		const plan = planBatch(snapshot, [{ contactId, operation: operationWith(limits), journal }], new JournalPlan());
		return { ...plan, result: plan };
	});
	const { outcomes, changes } = committed.result;
	return { outcomes, changes, firstChangeSeq: committed.firstChangeSeq };
}

/**
 * Records events while the profile is not published (see planRecording); refused with
 * ProfilePublishedMeanwhile when a publish got in first, so that the caller scores them instead.
 * @throws ProfileNotFoundError
 */
export async function recordEvents(store: ScoreStore, profileId: string, items: readonly RecordedItem[]): Promise<RecordingOutcome[]> {
	const contactIds = new Set<string>();
	const eventIds = new Set<string>();
	for (const { contactId, eventId } of items) {
		contactIds.add(contactId);
		if (eventId !== undefined) eventIds.add(eventId);
	}
	const committed = await commit(store, profileId, { contactIds, eventIds }, (snapshot) => {
		if (requireProfile(snapshot, profileId).status === 'published') throw new ProfilePublishedMeanwhile();
		const plan = planRecording(snapshot, items);
		return { contacts: plan.contacts, changes: [], seenEventIds: plan.seenEventIds, journal: plan.journal, result: plan.outcomes };
	});
	return committed.result;
}

/** Thrown by recordEvents when the profile it was to record for is published by the time it commits. */
export class ProfilePublishedMeanwhile extends Error {}

/** The change an item of the batch logged, as the log keeps it. */
export function loggedChange(profileId: string, batch: AppliedBatch, index: number): ScoreChange | undefined {
	const changeIndex = batch.outcomes[index].changeIndex;
	if (changeIndex < 0) return undefined;
	return { seq: batch.firstChangeSeq + changeIndex, profileId, ...batch.changes[changeIndex] };
}

/** What the caller of a batch of events learns about item `index`: its score move and where it was logged. */
export function eventResult(
	batch: AppliedBatch,
	index: number,
	contactId: string,
	eventId: string | undefined,
	matchedRuleIds: readonly string[],
): EventResult {
	const outcome = batch.outcomes[index];
	const result: { -readonly [K in keyof EventResult]: EventResult[K] } = {
		contactId,
		duplicate: outcome.duplicate,
		previousScore: outcome.previousScore,
		score: outcome.score,
		delta: outcome.delta,
		matchedRuleIds: outcome.duplicate ? [] : matchedRuleIds,
		scored: !outcome.duplicate,
		recorded: !outcome.duplicate,
	};
	if (outcome.limitedRuleIds !== undefined) result.limitedRuleIds = outcome.limitedRuleIds;
	if (eventId !== undefined) result.eventId = eventId;
	if (outcome.changeIndex >= 0) result.changeSeq = batch.firstChangeSeq + outcome.changeIndex;
	return result;
}

/**
 * Decays the profile's contacts idle since before the operation's cut-off, in transactions of
 * DECAY_CONTACTS_PER_STEP contacts so that a large profile never holds a store for long. Each step
 * re-reads its contacts: one that became active since the run started is left alone, none decays twice.
 * @throws ProfileNotFoundError
 */
export async function decayProfile(
	store: ScoreStore,
	profileId: string,
	decay: Omit<DecayOperation, 'limits'>,
	contactsPerStep = DECAY_CONTACTS_PER_STEP,
	options: BatchOptions = {},
): Promise<DecayResult> {
	const journal = options.journaled === true ? journalDecay(decay) : undefined;
	const profile = await store.getProfile(profileId);
	if (profile === undefined) throw new ProfileNotFoundError(profileId);
	let known = versionedLimits(profile);
	const operation: DecayOperation = decay;
	const candidates = await store.inactiveContactIds(profileId, operation.inactiveBefore);
	let contactsInactive = 0;
	let contactsDecayed = 0;
	let totalDelta = 0;
	let firstChangeSeq: number | undefined;
	let lastChangeSeq: number | undefined;
	// The run's journal entry goes with its first step (a step of no contacts when none is inactive).
	for (let first = 0; first < candidates.length || (first === 0 && journal !== undefined); first += contactsPerStep) {
		const contactIds = candidates.slice(first, first + contactsPerStep);
		const journalPlan = journal === undefined ? undefined : () => new JournalPlan(first === 0 ? [journal] : []);
		let step: { inactive: number; changes: readonly ChangeRecord[]; firstChangeSeq: number };
		try {
			const held = await commitHeldToLimits(store, profileId, { contactIds }, known, (snapshot, limits) => {
				requireProfile(snapshot, profileId);
				let inactive = 0;
				for (const contactId of contactIds) {
					const state = snapshot.contact(contactId);
					if (state !== undefined && isInactive(state, operation.inactiveBefore)) inactive++;
				}
				const limited: DecayOperation = limits === undefined ? operation : { ...operation, limits };
				const plan = planBatch(snapshot, contactIds.map((contactId) => ({ contactId, operation: limited })), journalPlan?.());
				return { ...plan, result: { inactive, changes: plan.changes } };
			});
			known = held.limits;
			step = { ...held.committed.result, firstChangeSeq: held.committed.firstChangeSeq };
		} catch (error) {
			// Each step is atomic, but the steps before it stay written: say how far the decay got.
			if (contactsDecayed === 0) throw error;
			throw new StoreUnavailableError(
				`The decay stopped part way: ${contactsDecayed} contacts were decayed (changes ${firstChangeSeq} to ${lastChangeSeq}; a new run now would decay them again), the others were not: ${(error as Error).message}`,
				'store',
			);
		}
		contactsInactive += step.inactive;
		contactsDecayed += step.changes.length;
		for (const change of step.changes) totalDelta = normalizeScore(totalDelta + change.delta);
		if (step.changes.length > 0) {
			firstChangeSeq ??= step.firstChangeSeq;
			lastChangeSeq = step.firstChangeSeq + step.changes.length - 1;
		}
	}
	return {
		contactsInactive,
		contactsDecayed,
		totalDelta,
		...(firstChangeSeq === undefined ? {} : { firstChangeSeq, lastChangeSeq }),
	};
}

export interface ExpiryResult {
	/** Grants whose points were taken back (an expiry held back entirely by a limit counts too). */
	readonly expired: number;
	/** Contacts written. */
	readonly contacts: number;
	/** Changes logged (an expiry that moved the score). */
	readonly changes: number;
}

/**
 * Applies every expiry of the profile due at or before `now`, DECAY_CONTACTS_PER_STEP contacts
 * per transaction, read from the store's expiry index. Each step re-reads its contacts inside the
 * transaction and applies only what is due in that state, so concurrent callers (executions,
 * processes, queue-mode workers) never apply one expiry twice: whoever commits second finds it gone.
 * EXPIRY_STEPS_IN_FLIGHT steps of distinct contacts run at once, so that on a store across the
 * network one step is planned while the server commits another.
 */
export async function applyDueExpiries(
	store: ScoreStore,
	profileId: string,
	now: number,
	known: VersionedLimits = UNREAD_LIMITS,
	contactsPerStep = DECAY_CONTACTS_PER_STEP,
): Promise<ExpiryResult> {
	let expired = 0;
	let contacts = 0;
	let changes = 0;
	for (;;) {
		const contactIds = await store.expiringContactIds(profileId, now, contactsPerStep * EXPIRY_STEPS_IN_FLIGHT);
		if (contactIds.length === 0) break;
		const steps: Array<ReturnType<typeof expiryStep>> = [];
		for (let first = 0; first < contactIds.length; first += contactsPerStep) {
			steps.push(expiryStep(store, profileId, now, known, contactIds.slice(first, first + contactsPerStep)));
		}
		let expiredNow = 0;
		for (const held of await Promise.all(steps)) {
			known = held.limits;
			expiredNow += held.committed.result.expired;
			contacts += held.committed.result.contacts;
			changes += held.committed.result.changes;
		}
		// Nothing due in these states: another caller applied them meanwhile (and goes on with the rest).
		if (expiredNow === 0) break;
		expired += expiredNow;
	}
	return { expired, contacts, changes };
}

/** Steps of applyDueExpiries committing at once. */
const EXPIRY_STEPS_IN_FLIGHT = 4;

/** One transaction of applyDueExpiries: the due expiries of the named contacts. */
function expiryStep(store: ScoreStore, profileId: string, now: number, known: VersionedLimits, contactIds: readonly string[]) {
	return commitHeldToLimits(store, profileId, { contactIds }, known, (snapshot, limits) => {
		const none = { expired: 0, contacts: 0, changes: 0 };
		if (snapshot.profile === undefined) return { contacts: [], changes: [], seenEventIds: [], result: none };
		const operation: ExpiryOperation = limits === undefined ? { kind: 'expiry', at: now } : { kind: 'expiry', at: now, limits };
		const states: ContactState[] = [];
		const changes: ChangeRecord[] = [];
		let expiredNow = 0;
		for (const contactId of contactIds) {
			const current = snapshot.contact(contactId);
			if (current === undefined) continue;
			const due = dueExpiries(current, now);
			const { state, changes: logged } = expireGrants(current, operation);
			if (state === undefined) continue;
			expiredNow += due;
			states.push(state);
			for (const change of logged) changes.push(change);
		}
		const result: ExpiryResult = { expired: expiredNow, contacts: states.length, changes: changes.length };
		return { contacts: states, changes, seenEventIds: [], result };
	});
}

async function commit<T>(
	store: ScoreStore,
	profileId: string,
	keys: TransactionKeys,
	plan: (snapshot: Snapshot) => Plan<T>,
): Promise<Committed<T>> {
	let logged = false;
	const committed = await store.transact(profileId, keys, (snapshot) => {
		const planned = plan(snapshot);
		logged = planned.changes.length > 0;
		return planned;
	});
	if (logged) changeNotifier.notify(store.key, profileId);
	return committed;
}

/** Thrown inside a transaction whose profile version is not that of the limits in hand. */
class LimitsMoved {}

/**
 * Commits a plan held to the limits of the profile version the transaction sees: a transaction
 * that sees another version than `known`'s commits nothing, the profile is read again and the plan
 * made anew with its limits. Returns the limits it committed with, for the next step.
 * @throws ProfileNotFoundError when the profile is gone while re-reading
 */
async function commitHeldToLimits<T>(
	store: ScoreStore,
	profileId: string,
	keys: TransactionKeys,
	known: VersionedLimits,
	plan: (snapshot: Snapshot, limits: ScoreLimits | undefined) => Plan<T>,
): Promise<{ committed: Committed<T>; limits: VersionedLimits }> {
	let current = known;
	for (let attempt = 1; ; attempt++) {
		const held = current;
		try {
			const committed = await commit(store, profileId, keys, (snapshot) => {
				if (snapshot.profile !== undefined && snapshot.profile.version !== held.version) throw new LimitsMoved();
				return plan(snapshot, held.limits);
			});
			return { committed, limits: held };
		} catch (error) {
			if (!(error instanceof LimitsMoved)) throw error;
			if (attempt > LIMITS_RETRIES) {
				throw new StoreUnavailableError(`The profile ${profileId} was published again and again during the write; nothing was written`, 'store');
			}
		}
		const profile = await store.getProfile(profileId);
		if (profile === undefined) throw new ProfileNotFoundError(profileId);
		current = versionedLimits(profile);
	}
}

function requireProfile(snapshot: Snapshot, profileId: string): ProfileHeader {
	if (snapshot.profile === undefined) throw new ProfileNotFoundError(profileId);
	return snapshot.profile;
}

/** The contacts and event ids a batch reads, each once. */
function batchKeys(items: readonly BatchItem[]): TransactionKeys {
	const contactIds = new Set<string>();
	const eventIds = new Set<string>();
	for (const { contactId, operation } of items) {
		contactIds.add(contactId);
		if (operation.kind === 'event' && operation.eventId !== undefined) eventIds.add(operation.eventId);
	}
	return { contactIds, eventIds };
}
