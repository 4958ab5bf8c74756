import { IANAZone } from 'luxon';

import { InvalidInputError, ProfileNotPublishedError } from './errors';
import { shown, toBoundedPoints, toIdText } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import { toJournalRetention } from './journal-retention';
import { parseRules } from './rule';
import type { ScoreLimits, ScoreProfile, ScoringSettings } from './types';

export interface NewProfileInput {
	/** Defaults to a slug of the name ("Lead Score" -> "lead-score"). */
	readonly id?: string;
	readonly name: string;
	readonly description?: string;
	/** Anything parseRules accepts. */
	readonly rules?: unknown;
	/** `{ min?, max?, groupMax?: { [group]: max } }`; see toScoreLimits. */
	readonly limits?: unknown;
	/** IANA zone name calendar periods are counted in; default UTC. */
	readonly timeZone?: unknown;
	/** How long recorded events are kept: days, `{ days }` or 'forever' (toJournalRetention); default 365 days. */
	readonly journalRetention?: unknown;
}

export interface DraftPatch {
	readonly name?: string;
	readonly description?: string;
	/** Replaces the draft rules; anything parseRules accepts. */
	readonly rules?: unknown;
	/** Replaces the draft limits (null or {} for none). */
	readonly limits?: unknown;
	/** Replaces the draft time zone (null or "" for UTC). */
	readonly timeZone?: unknown;
	/** Replaces the retention of recorded events at once (a profile setting: no publish needed); null or "" for the default. */
	readonly journalRetention?: unknown;
}

export function slugOf(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '');
}

/** Profile ids follow the id rules of toIdText; a number (from an expression) becomes its text. */
export function toProfileId(raw: unknown, field = 'profileId'): string {
	const text = toIdText(raw, field, 'The score profile id');
	if (text === undefined) throw new InvalidInputError('The score profile id is required (a text or a number)', field);
	return text;
}

function toName(raw: unknown): string {
	if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
	throw new InvalidInputError('The score profile needs a name', 'name');
}

function toDescription(raw: unknown): string {
	if (raw === undefined || raw === null) return '';
	if (typeof raw === 'string') return raw.trim();
	throw new InvalidInputError('The description must be a text', 'description');
}

/**
 * A profile's limits: `min` and `max` of the total, `groupMax` the largest subtotal of each named
 * group. Empty means none (undefined).
 * @throws InvalidInputError naming limits.min, limits.max or limits.groupMax.<group>
 */
export function toScoreLimits(raw: unknown): ScoreLimits | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (!isPlainObject(raw)) throw new InvalidInputError('The limits must be an object { min, max, groupMax }', 'limits');
	const limits: { -readonly [K in keyof ScoreLimits]: ScoreLimits[K] } = {};
	const min = ownValue(raw, 'min');
	const max = ownValue(raw, 'max');
	if (min !== undefined && min !== null && min !== '') limits.min = toBoundedPoints(min, 'limits.min', 'The minimum score');
	if (max !== undefined && max !== null && max !== '') limits.max = toBoundedPoints(max, 'limits.max', 'The maximum score');
	if (limits.min !== undefined && limits.max !== undefined && limits.min > limits.max) {
		throw new InvalidInputError('The minimum score is above the maximum score', 'limits.min');
	}
	const groupMax = ownValue(raw, 'groupMax');
	if (groupMax !== undefined && groupMax !== null) {
		if (!isPlainObject(groupMax)) throw new InvalidInputError('The group maximums must be an object { [group]: max }', 'limits.groupMax');
		const entries = Object.entries(groupMax).map(([group, value]): [string, number] => {
			const field = `limits.groupMax.${group}`;
			const name = toIdText(group, field, 'The group name');
			if (name === undefined) throw new InvalidInputError('A group needs a name', field);
			return [name, toBoundedPoints(value, field, `The maximum of group "${name}"`)];
		});
		if (entries.length > 0) limits.groupMax = Object.fromEntries(entries);
	}
	return Object.keys(limits).length === 0 ? undefined : limits;
}

/** An IANA zone name ("Europe/Berlin", "UTC"); empty means UTC (undefined). */
export function toTimeZone(raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw !== 'string' || !IANAZone.isValidZone(raw.trim())) {
		throw new InvalidInputError(`Unknown time zone "${shown(raw)}" (use an IANA name such as "Europe/Berlin")`, 'timeZone');
	}
	return raw.trim();
}

function toSettings(limits: ScoreLimits | undefined, timeZone: string | undefined): ScoringSettings | undefined {
	if (limits === undefined && timeZone === undefined) return undefined;
	return { ...(limits === undefined ? {} : { limits }), ...(timeZone === undefined ? {} : { timeZone }) };
}

/** A new profile in draft, never published. */
export function newProfile(input: NewProfileInput, now: number): ScoreProfile {
	if (!isPlainObject(input)) throw new InvalidInputError('A profile must be an object', 'profile');
	const name = toName(ownValue(input, 'name'));
	const rawId = ownValue(input, 'id');
	const id = rawId === undefined || rawId === null || rawId === '' ? slugOf(name) : toProfileId(rawId, 'id');
	if (id === '') throw new InvalidInputError(`No id can be made from the name "${name}": give an id`, 'id');
	const profile: ScoreProfile = {
		id,
		name,
		description: toDescription(ownValue(input, 'description')),
		status: 'draft',
		draftRules: parseRules(ownValue(input, 'rules') ?? []),
		version: 0,
		createdAt: now,
		updatedAt: now,
	};
	const settings = toSettings(toScoreLimits(ownValue(input, 'limits')), toTimeZone(ownValue(input, 'timeZone')));
	const journalRetention = toJournalRetention(ownValue(input, 'journalRetention'));
	return {
		...profile,
		...(settings === undefined ? {} : { draftSettings: settings }),
		...(journalRetention === undefined ? {} : { journalRetention }),
	};
}

/** Edits name, description or draft rules. What scores (the published rules) is untouched until the next publish. */
export function withDraft(profile: ScoreProfile, patch: DraftPatch, now: number): ScoreProfile {
	if (!isPlainObject(patch)) throw new InvalidInputError('The changes must be an object', 'profile');
	const name = ownValue(patch, 'name');
	const description = ownValue(patch, 'description');
	const rules = ownValue(patch, 'rules');
	const limits = ownValue(patch, 'limits');
	const timeZone = ownValue(patch, 'timeZone');
	const retention = ownValue(patch, 'journalRetention');
	const { draftSettings: current, journalRetention: currentRetention, ...rest } = profile;
	const journalRetention = retention === undefined ? currentRetention : toJournalRetention(retention);
	const settings = toSettings(
		limits === undefined ? current?.limits : toScoreLimits(limits),
		timeZone === undefined ? current?.timeZone : toTimeZone(timeZone),
	);
	return {
		...rest,
		name: name === undefined ? profile.name : toName(name),
		description: description === undefined ? profile.description : toDescription(description),
		draftRules: rules === undefined ? profile.draftRules : parseRules(rules),
		updatedAt: now,
		...(settings === undefined ? {} : { draftSettings: settings }),
		...(journalRetention === undefined ? {} : { journalRetention }),
	};
}

/** Makes the draft rules live as a new version. A profile with no rules may be published (it scores nothing). */
export function published(profile: ScoreProfile, now: number): ScoreProfile {
	const rest: ScoreProfile = { ...profile };
	delete (rest as { publishedSettings?: ScoringSettings }).publishedSettings;
	return {
		...rest,
		status: 'published',
		publishedRules: profile.draftRules,
		...(profile.draftSettings === undefined ? {} : { publishedSettings: profile.draftSettings }),
		version: profile.version + 1,
		publishedAt: now,
		updatedAt: now,
	};
}

/** Back to draft: scoring stops, scores and the last published rules are kept. Unpublishing a draft changes nothing. */
export function unpublished(profile: ScoreProfile, now: number): ScoreProfile {
	if (profile.status === 'draft') return profile;
	return { ...profile, status: 'draft', updatedAt: now };
}

/**
 * What scoring does with a profile that is not published: `ifNotPublished` 'fail' throws
 * ProfileNotPublishedError, 'record' (the default) lets its events be recorded.
 * @throws ProfileNotPublishedError
 */
export function failIfNotPublished(profile: ScoreProfile, ifNotPublished: 'record' | 'fail' | undefined): void {
	if (profile.status !== 'published' && ifNotPublished === 'fail') throw new ProfileNotPublishedError(profile.id);
}

/** Whether the draft differs from what is live (or nothing is live). */
export function hasUnpublishedChanges(profile: ScoreProfile): boolean {
	if (profile.status !== 'published' || profile.publishedRules === undefined) return true;
	return (
		JSON.stringify(profile.draftRules) !== JSON.stringify(profile.publishedRules) ||
		JSON.stringify(profile.draftSettings ?? {}) !== JSON.stringify(profile.publishedSettings ?? {})
	);
}
