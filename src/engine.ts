import { inactiveBefore, toDecayPolicy } from './decay';
import {
	EngagementScoreError,
	InvalidInputError,
	ProfileNotFoundError,
	ProfileNotPublishedError,
} from './errors';
import { toContactId, toScoreEvent } from './event';
import { TIERS, tierScoreRange, type Tier } from './tier';
import { toEpochMillis } from './time';
import { compileRules, type Evaluator } from './evaluator';
import { shown, toBoundedPoints, toCount } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import { type DraftPatch, failIfNotPublished, type NewProfileInput, newProfile, toProfileId, unpublished, withDraft } from './profile';
import { toGroupName, toPoints } from './rule';
import { editRules, type RuleEditMode } from './rule-edits';
import {
	type BatchItem,
	type ContactState,
	eventOperation,
	type ModifyOperation,
	type RecordedItem,
	type RecordingOutcome,
	type ResetOperation,
	topGroup,
} from './scoring';
import {
	applyBatch,
	applyDueExpiries,
	applyHeldToLimits,
	DECAY_CONTACTS_PER_STEP,
	decayProfile,
	eventResult,
	type ExpiryResult,
	loggedChange,
	ProfilePublishedMeanwhile,
	recordEvents,
	type VersionedLimits,
	versionedLimits,
} from './score-writes';
import {
	explainScore,
	onceAtATime,
	pendingRecalculation,
	previewDraft,
	publishedForRecalculation,
	RecalculationGuardedStore,
	type RecalculationRun,
	type RecalculationSummary,
	runRecalculation,
} from './recalculation';
import type { DraftPreview, PreviewOptions, ScoreExplanation } from './replay';
import { journalEvent, journalModify, journalReset } from './journal-entries';
import { pruneJournal, type PruneResult } from './journal-pruning';
import type { ScoreStore } from './store';
import type {
	AdjustOperation,
	ContactQuery,
	ContactScore,
	DecayResult,
	EventResult,
	ScoreChange,
	ScoreEvent,
	ScoreLimits,
	ScoreProfile,
} from './types';

export interface EngineOptions {
	/** Clock in epoch ms; injectable for tests. */
	readonly now?: () => number;
}

export interface ModifyInput {
	readonly contactId: unknown;
	readonly operation: unknown;
	readonly points: unknown;
	readonly reason?: unknown;
	readonly countsAsActivity?: unknown;
}

export interface ModifyResult {
	readonly contactId: string;
	readonly previousScore: number;
	readonly score: number;
	readonly delta: number;
	readonly change?: ScoreChange;
}

/** A reset of a known contact; `change` is absent when its score already was 0 (nothing logged, no trigger). */
export interface ResetResult {
	readonly contactId: string;
	readonly previousScore: number;
	/** 0, or the profile's minimum when it has one above 0. */
	readonly score: number;
	readonly change?: ScoreChange;
}

export interface PublishOptions {
	/** Recompute every contact's score from its journal under the new version (default true). */
	readonly recalculate?: boolean;
	/** Called after every page of a recalculation with its totals so far. */
	readonly onProgress?: (progress: RecalculationSummary & { readonly toVersion: number }) => void;
}

export interface PublishResult {
	readonly profile: ScoreProfile;
	/** What the recalculation did; absent when the publish did not recalculate. */
	readonly recalculation?: RecalculationRun;
}

export interface ResumeOptions {
	/** Resume only a recalculation no run has moved on for this long (a run of another process may be alive). */
	readonly staleAfterMs?: number;
	readonly onProgress?: PublishOptions['onProgress'];
}

export interface ScoreEventsOptions {
	/** A profile in draft: 'record' (default) journals the events without scoring them, 'fail' refuses them. */
	readonly ifNotPublished?: 'record' | 'fail';
}

export interface DecayOptions {
	/** Zone whose calendar days count the inactivity window (default UTC). */
	readonly timezone?: string;
}

const OPERATIONS: readonly AdjustOperation[] = ['add', 'subtract', 'set'];
const DEFAULT_CONTACT_LIMIT = 50;
const DEFAULT_HISTORY_LIMIT = 100;
/** A batch is refused when the profile is republished under it; re-evaluating against the new version this often is plenty. */
const REPUBLISH_RETRIES = 3;
/** Every write of the engine keeps the journal. */
const JOURNALED = { journaled: true } as const;


/**
 * The engagement-scoring use cases over one store: profile lifecycle, scoring events against the
 * published rules, manual adjustments, decay and contact queries. Validates all caller input
 * (errors name the field) before anything is written.
 */
export class EngagementEngine {
	private readonly now: () => number;
	private readonly evaluators = new Map<string, { version: number; evaluator: Evaluator }>();
	/** Every write goes through it: while a recalculation is pending, it recalculates the contacts a write names first. */
	private readonly store: RecalculationGuardedStore;

	constructor(store: ScoreStore, options: EngineOptions = {}) {
		this.now = options.now ?? Date.now;
		this.store = new RecalculationGuardedStore(store, this.now);
	}

	async createProfile(input: NewProfileInput): Promise<ScoreProfile> {
		const profile = newProfile(input, this.now());
		await this.store.insertProfile(profile);
		return profile;
	}

	async updateDraft(profileId: string, patch: DraftPatch): Promise<ScoreProfile> {
		const id = toProfileId(profileId);
		const now = this.now();
		return this.store.updateProfile(id, (current) => withDraft(current, patch, now));
	}

	/**
	 * Adds, updates or removes some draft rules and leaves the others as they are, read and written
	 * in one compare-and-set, so that two edits at once both land.
	 */
	async editDraftRules(
		profileId: string,
		mode: RuleEditMode,
		changes: unknown,
		patch: Omit<DraftPatch, 'rules'> = {},
	): Promise<ScoreProfile> {
		const id = toProfileId(profileId);
		const now = this.now();
		return this.store.updateProfile(id, (current) =>
			withDraft(current, { ...patch, rules: editRules(current.draftRules, mode, changes) }, now),
		);
	}

	/** Publishes the draft as the next version and, unless told otherwise, recalculates every contact (publishAndRecalculate). */
	async publish(profileId: string, options: PublishOptions = {}): Promise<ScoreProfile> {
		return (await this.publishAndRecalculate(profileId, options)).profile;
	}

	/**
	 * Publishes the draft as the next version. With `recalculate` (the default) the publish marks the
	 * profile as recalculating in the same compare-and-set, then every contact's score is recomputed
	 * from its journal under the new version (src/recalculation/); writes meanwhile recalculate the
	 * contacts they touch first. Resolves once the recalculation is done, with its totals.
	 */
	async publishAndRecalculate(profileId: string, options: PublishOptions = {}): Promise<PublishResult> {
		const id = toProfileId(profileId);
		const now = this.now();
		const recalculate = options.recalculate ?? true;
		const profile = await this.store.updateProfile(id, (current) => publishedForRecalculation(current, now, recalculate));
		if (!recalculate) return { profile };
		const recalculation = await this.recalculate(id, profile.version, options.onProgress);
		return { profile: (await this.store.getProfile(id)) ?? profile, ...(recalculation === undefined ? {} : { recalculation }) };
	}

	/**
	 * Finishes a recalculation a crash (or a stopped process) left pending, from where it got; what
	 * the trigger's timer calls. Resolves to undefined when none is pending (or, with `staleAfterMs`,
	 * when a run moved it on within that time).
	 * @throws ProfileNotFoundError
	 */
	async resumeRecalculation(profileId: string, options: ResumeOptions = {}): Promise<RecalculationRun | undefined> {
		const profile = await this.getProfile(profileId);
		const marker = pendingRecalculation(profile);
		if (marker === undefined) return undefined;
		if (options.staleAfterMs !== undefined && this.now() - marker.heartbeatAt < options.staleAfterMs) return undefined;
		return this.recalculate(profile.id, marker.toVersion, options.onProgress);
	}

	/**
	 * What publishing the draft would do: every contact's journal replayed under the draft rules and
	 * settings, nothing written; the contacts whose score would change, largest change first, and a summary.
	 * @throws ProfileNotFoundError
	 */
	async previewDraft(profileId: string, options: PreviewOptions): Promise<DraftPreview> {
		const profile = await this.getProfile(profileId);
		return previewDraft(this.store.unguarded, profile, options, this.now());
	}

	/**
	 * What makes up the contact's score under the published version: each rule's and group's
	 * contribution, manual changes, resets, decay runs, expiries and what limits held back, adding
	 * up exactly to the score.
	 * @throws ProfileNotFoundError
	 */
	async explainScore(profileId: string, contactId: unknown): Promise<ScoreExplanation> {
		const profile = await this.getProfile(profileId);
		await this.expireDue(profile);
		return explainScore(this.store.unguarded, profile, toContactId(contactId), this.now());
	}

	async unpublish(profileId: string): Promise<ScoreProfile> {
		const now = this.now();
		return this.store.updateProfile(toProfileId(profileId), (current) => unpublished(current, now));
	}

	/** @throws ProfileNotFoundError */
	async getProfile(profileId: string): Promise<ScoreProfile> {
		const id = toProfileId(profileId);
		const profile = await this.store.getProfile(id);
		if (profile === undefined) throw new ProfileNotFoundError(id);
		return profile;
	}

	async listProfiles(): Promise<ScoreProfile[]> {
		return this.store.listProfiles();
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		const id = toProfileId(profileId);
		this.evaluators.delete(id);
		return this.store.deleteProfile(id);
	}

	/**
	 * Scores events against the profile's published rules; while the profile is not published they
	 * are recorded instead (see scoreValidEvents). Each invalid event yields its error in place and
	 * is not written; the valid ones are applied in one atomic store call, in order.
	 * @throws ProfileNotFoundError for the profile as a whole; ProfileNotPublishedError with `ifNotPublished: 'fail'`
	 */
	async scoreEvents(
		profileId: string,
		rawEvents: readonly unknown[],
		options: ScoreEventsOptions = {},
	): Promise<Array<EventResult | EngagementScoreError>> {
		const now = this.now();
		const results: Array<EventResult | EngagementScoreError> = new Array(rawEvents.length);
		const valid: ScoreEvent[] = [];
		const positions: number[] = [];
		for (let index = 0; index < rawEvents.length; index++) {
			const event = validatedEvent(rawEvents[index], now);
			if (event instanceof InvalidInputError) {
				results[index] = event;
			} else {
				valid.push(event);
				positions.push(index);
			}
		}
		const applied = await this.scoreValidEvents(profileId, valid, options);
		for (let position = 0; position < applied.length; position++) results[positions[position]] = applied[position];
		return results;
	}

	/**
	 * scoreEvents for events that already are ScoreEvents (made by toScoreEvent, as a node does
	 * while reading its items): they are not validated a second time. Applied in one atomic store
	 * transaction, in order, each journaled with its score change. While the profile is not
	 * published the events are recorded (journaled, their ids counted) and score nothing, unless
	 * `ifNotPublished` is 'fail'.
	 * @throws ProfileNotFoundError for the profile as a whole; ProfileNotPublishedError with `ifNotPublished: 'fail'`
	 */
	async scoreValidEvents(profileId: string, events: readonly ScoreEvent[], options: ScoreEventsOptions = {}): Promise<EventResult[]> {
		const id = toProfileId(profileId);
		let profile = await this.getProfile(id);
		failIfNotPublished(profile, options.ifNotPublished);
		if (events.length === 0) return [];
		await this.expireDue(profile);
		for (let attempt = 1; ; attempt++) {
			const receivedAt = this.now();
			const outcome =
				profile.status === 'published'
					? await this.scoreUnder(profile, events, receivedAt).catch((error: unknown) => error)
					: await recordEvents(this.store, id, recordedItems(events, receivedAt))
							.then((outcomes) => outcomes.map((recorded, index) => recordedResult(events[index], recorded)))
							.catch((error: unknown) => error);
			if (!(outcome instanceof Error)) return outcome as EventResult[];
			// Refused because the profile was published, republished or unpublished since it was read: go by its new state.
			const moved = outcome instanceof ProfileNotPublishedError || outcome instanceof ProfilePublishedMeanwhile;
			if (!moved || attempt >= REPUBLISH_RETRIES) throw outcome;
			profile = await this.getProfile(id);
			failIfNotPublished(profile, options.ifNotPublished);
		}
	}

	/** The events scored under the profile's published version, or ProfileNotPublishedError when that moved. */
	private async scoreUnder(profile: ScoreProfile, events: readonly ScoreEvent[], receivedAt: number): Promise<EventResult[]> {
		const evaluator = this.evaluatorFor(profile);
		const items: BatchItem[] = new Array(events.length);
		const matched: Array<readonly string[]> = new Array(events.length);
		for (let index = 0; index < events.length; index++) {
			const event = events[index];
			const evaluation = evaluator.evaluate(event);
			matched[index] = evaluation.matchedRuleIds;
			const operation = eventOperation(event, event.id, evaluation, profile.version, profile.publishedSettings, receivedAt);
			items[index] = { contactId: event.contactId, operation, journal: journalEvent(event, receivedAt) };
		}
		const applied = await applyBatch(this.store, profile.id, items, profile.version, JOURNALED);
		return events.map((event, index) => eventResult(applied, index, event.contactId, event.id, matched[index]));
	}

	/** Adds, subtracts or sets points on one contact; needs no rule and no published version. */
	async modifyScore(profileId: string, input: ModifyInput): Promise<ModifyResult> {
		const id = toProfileId(profileId);
		if (!isPlainObject(input)) throw new InvalidInputError('The modification must be an object', 'contactId');
		const contactId = toContactId(ownValue(input, 'contactId'));
		const operation = ownValue(input, 'operation');
		if (!OPERATIONS.includes(operation as AdjustOperation)) {
			throw new InvalidInputError(`Unknown operation "${shown(operation)}": use add, subtract or set`, 'operation');
		}
		const points = toPoints(ownValue(input, 'points'), 'points');
		const reason = optionalText(ownValue(input, 'reason'), 'reason');
		const countsAsActivity = ownValue(input, 'countsAsActivity');
		if (countsAsActivity !== undefined && typeof countsAsActivity !== 'boolean') {
			throw new InvalidInputError(`Must be true or false, got "${shown(countsAsActivity)}"`, 'countsAsActivity');
		}
		const known = await this.expireDue(await this.getProfile(id));
		const at = this.now();
		const modify = (limits: ScoreLimits | undefined): ModifyOperation => ({
			kind: 'modify',
			operation: operation as AdjustOperation,
			points,
			countsAsActivity: countsAsActivity ?? true,
			at,
			...(reason === undefined ? {} : { reason }),
			...(limits === undefined ? {} : { limits }),
		});
		const batch = await applyHeldToLimits(this.store, id, contactId, modify, journalModify(contactId, modify(undefined)), known);
		const outcome = batch.outcomes[0];
		const change = loggedChange(id, batch, 0);
		const result = {
			contactId,
			previousScore: outcome.previousScore,
			score: outcome.score,
			delta: outcome.delta,
		};
		return change ? { ...result, change } : result;
	}

	/**
	 * Decays contacts inactive for the policy's window (see toDecayPolicy), a step of contacts at a
	 * time (see decayProfile).
	 */
	async applyDecay(profileId: string, rawPolicy: unknown, options: DecayOptions = {}): Promise<DecayResult> {
		const id = toProfileId(profileId);
		const policy = toDecayPolicy(rawPolicy);
		await this.expireDue(await this.getProfile(id));
		const at = this.now();
		const cutOff = inactiveBefore(at, policy.inactiveDays, options.timezone);
		// Each step is held to the limits of the profile version it sees (see decayProfile).
		const result = await decayProfile(this.store, id, { kind: 'decay', policy, inactiveBefore: cutOff, at }, DECAY_CONTACTS_PER_STEP, JOURNALED);
		// Decay runs on a schedule, typically daily: the natural moment to apply the journal's retention too.
		await this.pruneJournal(id);
		return result;
	}

	/**
	 * Applies the profile's journal retention: entries older than it are folded into each contact's
	 * carried entry, so that a recalculation still gives what it gave before (see journal-pruning.ts).
	 * Called after every decay run and once a day by each trigger's timer.
	 * @throws ProfileNotFoundError
	 */
	async pruneJournal(profileId: string): Promise<PruneResult> {
		const profile = await this.getProfile(profileId);
		return pruneJournal(this.store, profile, this.now());
	}


	/**
	 * Takes back every point of the profile whose time is up (rules with expiresAfterDays), each
	 * logged as an `expired` change. Every other read and write of the profile does this first;
	 * the trigger calls it on its own so that a drop fires with nothing else running.
	 * @throws ProfileNotFoundError
	 */
	async applyExpiries(profileId: string): Promise<ExpiryResult> {
		const profile = await this.getProfile(profileId);
		return applyDueExpiries(this.store, profile.id, this.now(), versionedLimits(profile));
	}

	/** @throws ProfileNotFoundError */
	async getContact(profileId: string, contactId: unknown): Promise<ContactScore | undefined> {
		const id = await this.existingProfileId(profileId);
		const state = await this.store.getContact(id, toContactId(contactId));
		return state && contactScore(id, state);
	}

	/**
	 * Contacts sorted by score; `query` fields: order asc|desc (desc), minScore, maxScore, tier,
	 * lastActivityBefore / After, firstSeenBefore / After (dates as toEpochMillis reads them),
	 * group (sorted by that group's score instead, only contacts holding it) with minGroupScore /
	 * maxGroupScore, limit (50), offset (0).
	 */
	async listContacts(profileId: string, query: unknown = {}): Promise<ContactScore[]> {
		const id = await this.existingProfileId(profileId);
		return (await this.store.listContacts(id, toContactQuery(query))).map((state) => contactScore(id, state));
	}

	/** The contact's score changes, newest first. */
	async getHistory(profileId: string, contactId: unknown, limit: unknown = DEFAULT_HISTORY_LIMIT): Promise<ScoreChange[]> {
		const id = await this.existingProfileId(profileId);
		return this.store.getHistory(id, toContactId(contactId), toCount(limit, 'limit', DEFAULT_HISTORY_LIMIT, 1));
	}

	/** Sets the contact's score to 0 (logged when it moves); undefined for a contact the profile never scored. */
	async resetContact(profileId: string, contactId: unknown, reason?: unknown): Promise<ResetResult | undefined> {
		const id = toProfileId(profileId);
		const contact = toContactId(contactId);
		const text = optionalText(reason, 'reason');
		const limitsRead = await this.expireDue(await this.getProfile(id));
		const at = this.now();
		const reset = (limits: ScoreLimits | undefined): ResetOperation => ({
			kind: 'reset',
			at,
			...(text === undefined ? {} : { reason: text }),
			...(limits === undefined ? {} : { limits }),
		});
		const batch = await applyHeldToLimits(this.store, id, contact, reset, journalReset(contact, reset(undefined)), limitsRead);
		const { known, previousScore, score } = batch.outcomes[0];
		if (!known) return undefined;
		const change = loggedChange(id, batch, 0);
		return change ? { contactId: contact, previousScore, score, change } : { contactId: contact, previousScore, score };
	}

	async deleteContact(profileId: string, contactId: unknown): Promise<boolean> {
		const id = await this.existingProfileId(profileId);
		return this.store.deleteContact(id, toContactId(contactId));
	}

	private recalculate(
		profileId: string,
		toVersion: number,
		onProgress: PublishOptions['onProgress'],
	): Promise<RecalculationRun | undefined> {
		const store = this.store.unguarded;
		return onceAtATime(`${store.key}\u0000${profileId}\u0000${toVersion}`, () =>
			runRecalculation(store, profileId, { now: this.now, ...(onProgress === undefined ? {} : { onProgress }) }),
		);
	}

	/** The profile's id, after its due expiries are applied, so that what is read is current. */
	private async existingProfileId(profileId: string): Promise<string> {
		const profile = await this.getProfile(profileId);
		await this.expireDue(profile);
		return profile.id;
	}

	/**
	 * Applies the profile's due expiries; returns its published limits, which every score change is
	 * held to, with the version they belong to (a write commits only while its transaction sees it).
	 */
	private async expireDue(profile: ScoreProfile): Promise<VersionedLimits> {
		const known = versionedLimits(profile);
		await applyDueExpiries(this.store, profile.id, this.now(), known);
		return known;
	}

	private evaluatorFor(profile: ScoreProfile): Evaluator {
		const cached = this.evaluators.get(profile.id);
		if (cached?.version === profile.version) return cached.evaluator;
		const evaluator = compileRules(profile.publishedRules ?? []);
		this.evaluators.set(profile.id, { version: profile.version, evaluator });
		return evaluator;
	}

}

function contactScore(profileId: string, state: ContactState): ContactScore {
	const score: ContactScore = {
		profileId,
		contactId: state.contactId,
		score: state.score,
		lastActivityAt: state.lastActivityAt,
		firstSeenAt: state.firstSeenAt,
		updatedAt: state.updatedAt,
	};
	const groups = state.ledger?.groups;
	if (groups === undefined) return score;
	const top = topGroup(state);
	return { ...score, groups: { ...groups }, ...(top === undefined ? {} : { topGroup: top }) };
}

function recordedItems(events: readonly ScoreEvent[], receivedAt: number): RecordedItem[] {
	return events.map((event) =>
		event.id === undefined
			? { contactId: event.contactId, journal: journalEvent(event, receivedAt) }
			: { contactId: event.contactId, eventId: event.id, journal: journalEvent(event, receivedAt) },
	);
}

/** An event recorded while the profile is not published: the score stays as it is. */
function recordedResult(event: ScoreEvent, recorded: RecordingOutcome): EventResult {
	const result = {
		contactId: event.contactId,
		duplicate: recorded.duplicate,
		previousScore: recorded.score,
		score: recorded.score,
		delta: 0,
		matchedRuleIds: [],
		scored: false,
		recorded: !recorded.duplicate,
	};
	return event.id === undefined ? result : { ...result, eventId: event.id };
}

/** The event, or the reason it is invalid; any other failure is a bug and propagates. */
function validatedEvent(raw: unknown, now: number): ScoreEvent | InvalidInputError {
	let failure: unknown;
	try {
		return toScoreEvent(raw, now);
	} catch (error) {
		failure = error;
	}
	if (failure instanceof InvalidInputError) return failure;
	throw failure;
}

function optionalText(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'string') throw new InvalidInputError(`Must be a text, got "${shown(raw)}"`, field);
	return raw.trim() === '' ? undefined : raw.trim();
}

function optionalScore(raw: unknown, field: string): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	return toBoundedPoints(raw, field, 'The score');
}

function toContactQuery(raw: unknown): ContactQuery {
	if (!isPlainObject(raw)) throw new InvalidInputError('The contact query must be an object', 'query');
	const order: unknown = ownValue(raw, 'order') ?? 'desc';
	if (order !== 'asc' && order !== 'desc') throw new InvalidInputError('Sort order must be "asc" or "desc"', 'order');
	const minScore = optionalScore(ownValue(raw, 'minScore'), 'minScore');
	const maxScore = optionalScore(ownValue(raw, 'maxScore'), 'maxScore');
	if (minScore !== undefined && maxScore !== undefined && minScore > maxScore) {
		throw new InvalidInputError('The minimum score is above the maximum score', 'minScore');
	}
	const tier = ownValue(raw, 'tier');
	if (tier !== undefined && tier !== null && tier !== '' && !TIERS.some(({ id }) => id === tier)) {
		throw new InvalidInputError(`Unknown tier "${shown(tier)}": use ${TIERS.map(({ id }) => id).join(', ')}`, 'tier');
	}
	const tierRange = typeof tier === 'string' && tier !== '' ? tierScoreRange(tier as Tier) : {};
	const query: { -readonly [K in keyof ContactQuery]: ContactQuery[K] } = {
		order,
		limit: toCount(ownValue(raw, 'limit'), 'limit', DEFAULT_CONTACT_LIMIT, 1),
		offset: toCount(ownValue(raw, 'offset'), 'offset', 0, 0),
	};
	const lowest = Math.max(minScore ?? -Infinity, tierRange.min ?? -Infinity);
	if (lowest !== -Infinity) query.minScore = lowest;
	if (maxScore !== undefined) query.maxScore = maxScore;
	if (tierRange.below !== undefined) query.scoreBelow = tierRange.below;
	for (const field of ['lastActivityBefore', 'lastActivityAfter', 'firstSeenBefore', 'firstSeenAfter'] as const) {
		const time = optionalTime(ownValue(raw, field), field);
		if (time !== undefined) query[field] = time;
	}
	const group = toGroupName(ownValue(raw, 'group'), 'group');
	const minGroupScore = optionalScore(ownValue(raw, 'minGroupScore'), 'minGroupScore');
	const maxGroupScore = optionalScore(ownValue(raw, 'maxGroupScore'), 'maxGroupScore');
	if (group === undefined && (minGroupScore !== undefined || maxGroupScore !== undefined)) {
		throw new InvalidInputError('Name the group whose score the bounds are for', 'group');
	}
	if (minGroupScore !== undefined && maxGroupScore !== undefined && minGroupScore > maxGroupScore) {
		throw new InvalidInputError("The minimum group score is above the maximum group score", 'minGroupScore');
	}
	if (group !== undefined) query.group = group;
	if (minGroupScore !== undefined) query.minGroupScore = minGroupScore;
	if (maxGroupScore !== undefined) query.maxGroupScore = maxGroupScore;
	return query;
}

function optionalTime(raw: unknown, field: string): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	return toEpochMillis(raw, field);
}
