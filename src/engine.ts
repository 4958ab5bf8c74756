import { numericValue } from './condition';
import { inactiveBefore, toDecayPolicy } from './decay';
import { EngagementScoreError, InvalidInputError, ProfileNotFoundError, ProfileNotPublishedError } from './errors';
import { toContactId, toScoreEvent } from './event';
import { compileRules, type Evaluator } from './evaluator';
import { isPlainObject, ownValue } from './plain-object';
import { type DraftPatch, type NewProfileInput, newProfile, published, toProfileId, unpublished, withDraft } from './profile';
import { toPoints } from './rule';
import { normalizeScore } from './score-math';
import type { ScoreStore } from './store';
import type {
	AdjustOperation,
	ContactQuery,
	ContactScore,
	DecayResult,
	EventResult,
	ScoreChange,
	ScoredEvent,
	ScoreEvent,
	ScoreProfile,
} from './types';

export interface EngineOptions {
	/** Clock in epoch ms; injectable for tests. */
	readonly now?: () => number;
	/** Called after writes that changed scores, so in-process triggers can wake at once. */
	readonly notify?: (storeKey: string, profileId: string) => void;
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
	readonly score: 0;
	readonly change?: ScoreChange;
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

/**
 * The engagement-scoring use cases over one store: profile lifecycle, scoring events against the
 * published rules, manual adjustments, decay and contact queries. Validates all caller input
 * (errors name the field) before anything is written.
 */
export class EngagementEngine {
	private readonly now: () => number;
	private readonly evaluators = new Map<string, { version: number; evaluator: Evaluator }>();

	constructor(
		private readonly store: ScoreStore,
		private readonly options: EngineOptions = {},
	) {
		this.now = options.now ?? Date.now;
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

	async publish(profileId: string): Promise<ScoreProfile> {
		const now = this.now();
		return this.store.updateProfile(toProfileId(profileId), (current) => published(current, now));
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
	 * Scores events against the profile's published rules. Each invalid event yields its error in
	 * place and is not written; the valid ones are applied in one atomic store call, in order.
	 * @throws ProfileNotFoundError | ProfileNotPublishedError for the profile as a whole
	 */
	async scoreEvents(profileId: string, rawEvents: readonly unknown[]): Promise<Array<EventResult | EngagementScoreError>> {
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
		const applied = await this.scoreValidEvents(profileId, valid);
		for (let position = 0; position < applied.length; position++) results[positions[position]] = applied[position];
		return results;
	}

	/**
	 * scoreEvents for events that already are ScoreEvents (made by toScoreEvent, as a node does
	 * while reading its items): they are not validated a second time. Applied in one atomic store
	 * call, in order.
	 * @throws ProfileNotFoundError | ProfileNotPublishedError for the profile as a whole
	 */
	async scoreValidEvents(profileId: string, events: readonly ScoreEvent[]): Promise<EventResult[]> {
		const id = toProfileId(profileId);
		let profile = await this.publishedProfile(id);
		if (events.length === 0) return [];
		for (let attempt = 1; ; attempt++) {
			const evaluator = this.evaluatorFor(profile);
			const scored: ScoredEvent[] = new Array(events.length);
			for (let index = 0; index < events.length; index++) {
				const event = events[index];
				const { delta, matchedRuleIds } = evaluator.evaluate(event);
				// One object shape for every event: stores read a missing event id as undefined.
				scored[index] = {
					eventId: event.id,
					contactId: event.contactId,
					eventType: event.type,
					delta,
					matchedRuleIds,
					occurredAt: event.occurredAt,
				};
			}
			const applied = await this.store.applyEvents(id, profile.version, scored).catch((error: unknown) => error);
			if (Array.isArray(applied)) {
				if (applied.some((result: EventResult) => result.changeSeq !== undefined)) this.notify(id);
				return applied as EventResult[];
			}
			// Refused because the profile was republished (or unpublished) since it was read: try the new version.
			if (!(applied instanceof ProfileNotPublishedError) || attempt >= REPUBLISH_RETRIES) throw applied;
			profile = await this.publishedProfile(id);
		}
	}

	/** Adds, subtracts or sets points on one contact; needs no rule and no published version. */
	async modifyScore(profileId: string, input: ModifyInput): Promise<ModifyResult> {
		const id = toProfileId(profileId);
		if (!isPlainObject(input)) throw new InvalidInputError('The modification must be an object', 'contactId');
		const contactId = toContactId(ownValue(input, 'contactId'));
		const operation = ownValue(input, 'operation');
		if (!OPERATIONS.includes(operation as AdjustOperation)) {
			throw new InvalidInputError(`Unknown operation "${String(operation)}": use add, subtract or set`, 'operation');
		}
		const points = toPoints(ownValue(input, 'points'), 'points');
		const reason = optionalText(ownValue(input, 'reason'), 'reason');
		const countsAsActivity = ownValue(input, 'countsAsActivity');
		if (countsAsActivity !== undefined && typeof countsAsActivity !== 'boolean') {
			throw new InvalidInputError('countsAsActivity must be true or false', 'countsAsActivity');
		}
		const outcome = await this.store.adjustScore(id, {
			contactId,
			operation: operation as AdjustOperation,
			points,
			at: this.now(),
			...(reason === undefined ? {} : { reason }),
			...(countsAsActivity === undefined ? {} : { countsAsActivity }),
		});
		if (outcome.change) this.notify(id);
		const result = {
			contactId,
			previousScore: outcome.previousScore,
			score: outcome.score,
			delta: normalizeScore(outcome.score - outcome.previousScore),
		};
		return outcome.change ? { ...result, change: outcome.change } : result;
	}

	/** Decays contacts inactive for the policy's window (see toDecayPolicy). */
	async applyDecay(profileId: string, rawPolicy: unknown, options: DecayOptions = {}): Promise<DecayResult> {
		const id = toProfileId(profileId);
		const policy = toDecayPolicy(rawPolicy);
		const now = this.now();
		const result = await this.store.applyDecay(id, policy, inactiveBefore(now, policy.inactiveDays, options.timezone), now);
		if (result.contactsDecayed > 0) this.notify(id);
		return result;
	}

	/** @throws ProfileNotFoundError */
	async getContact(profileId: string, contactId: unknown): Promise<ContactScore | undefined> {
		const id = await this.existingProfileId(profileId);
		return this.store.getContact(id, toContactId(contactId));
	}

	/** Contacts sorted by score; `query` fields: order asc|desc (desc), minScore, maxScore, limit (50), offset (0). */
	async listContacts(profileId: string, query: unknown = {}): Promise<ContactScore[]> {
		const id = await this.existingProfileId(profileId);
		return this.store.listContacts(id, toContactQuery(query));
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
		const change = await this.store.resetContact(id, contact, this.now(), optionalText(reason, 'reason'));
		if (change) {
			this.notify(id);
			return { contactId: contact, previousScore: change.previousScore, score: 0, change };
		}
		// The store writes nothing for an unknown contact or a score already 0; tell the two apart.
		return (await this.store.getContact(id, contact)) ? { contactId: contact, previousScore: 0, score: 0 } : undefined;
	}

	async deleteContact(profileId: string, contactId: unknown): Promise<boolean> {
		const id = await this.existingProfileId(profileId);
		return this.store.deleteContact(id, toContactId(contactId));
	}

	private async publishedProfile(profileId: string): Promise<ScoreProfile> {
		const profile = await this.store.getProfile(profileId);
		if (profile === undefined) throw new ProfileNotFoundError(profileId);
		if (profile.status !== 'published') throw new ProfileNotPublishedError(profileId);
		return profile;
	}

	private async existingProfileId(profileId: string): Promise<string> {
		return (await this.getProfile(profileId)).id;
	}

	private evaluatorFor(profile: ScoreProfile): Evaluator {
		const cached = this.evaluators.get(profile.id);
		if (cached?.version === profile.version) return cached.evaluator;
		const evaluator = compileRules(profile.publishedRules ?? []);
		this.evaluators.set(profile.id, { version: profile.version, evaluator });
		return evaluator;
	}

	private notify(profileId: string): void {
		this.options.notify?.(this.store.key, profileId);
	}
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
	if (typeof raw !== 'string') throw new InvalidInputError(`${field} must be a text`, field);
	return raw.trim() === '' ? undefined : raw.trim();
}

function toCount(raw: unknown, field: string, fallback: number, minimum: number): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const count = numericValue(raw);
	if (!Number.isInteger(count) || count < minimum) {
		throw new InvalidInputError(`${field} must be a whole number of at least ${minimum}`, field);
	}
	return count;
}

function optionalScore(raw: unknown, field: string): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const score = numericValue(raw);
	if (!Number.isFinite(score)) throw new InvalidInputError(`${field} must be a number`, field);
	return score;
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
	const query: ContactQuery = {
		order,
		limit: toCount(ownValue(raw, 'limit'), 'limit', DEFAULT_CONTACT_LIMIT, 1),
		offset: toCount(ownValue(raw, 'offset'), 'offset', 0, 0),
	};
	return {
		...query,
		...(minScore === undefined ? {} : { minScore }),
		...(maxScore === undefined ? {} : { maxScore }),
	};
}
