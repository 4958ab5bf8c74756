import { InvalidInputError } from './errors';
import { toIdText } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import { parseRules } from './rule';
import type { ScoreProfile } from './types';

export interface NewProfileInput {
	/** Defaults to a slug of the name ("Lead Score" -> "lead-score"). */
	readonly id?: string;
	readonly name: string;
	readonly description?: string;
	/** Anything parseRules accepts. */
	readonly rules?: unknown;
}

export interface DraftPatch {
	readonly name?: string;
	readonly description?: string;
	/** Replaces the draft rules; anything parseRules accepts. */
	readonly rules?: unknown;
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

/** A new profile in draft, never published. */
export function newProfile(input: NewProfileInput, now: number): ScoreProfile {
	if (!isPlainObject(input)) throw new InvalidInputError('A profile must be an object', 'profile');
	const name = toName(ownValue(input, 'name'));
	const rawId = ownValue(input, 'id');
	const id = rawId === undefined || rawId === null || rawId === '' ? slugOf(name) : toProfileId(rawId, 'id');
	if (id === '') throw new InvalidInputError(`No id can be made from the name "${name}": give an id`, 'id');
	return {
		id,
		name,
		description: toDescription(ownValue(input, 'description')),
		status: 'draft',
		draftRules: parseRules(ownValue(input, 'rules') ?? []),
		version: 0,
		createdAt: now,
		updatedAt: now,
	};
}

/** Edits name, description or draft rules. What scores (the published rules) is untouched until the next publish. */
export function withDraft(profile: ScoreProfile, patch: DraftPatch, now: number): ScoreProfile {
	if (!isPlainObject(patch)) throw new InvalidInputError('The changes must be an object', 'profile');
	const name = ownValue(patch, 'name');
	const description = ownValue(patch, 'description');
	const rules = ownValue(patch, 'rules');
	return {
		...profile,
		name: name === undefined ? profile.name : toName(name),
		description: description === undefined ? profile.description : toDescription(description),
		draftRules: rules === undefined ? profile.draftRules : parseRules(rules),
		updatedAt: now,
	};
}

/** Makes the draft rules live as a new version. A profile with no rules may be published (it scores nothing). */
export function published(profile: ScoreProfile, now: number): ScoreProfile {
	return {
		...profile,
		status: 'published',
		publishedRules: profile.draftRules,
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

/** Whether the draft differs from what is live (or nothing is live). */
export function hasUnpublishedChanges(profile: ScoreProfile): boolean {
	if (profile.status !== 'published' || profile.publishedRules === undefined) return true;
	return JSON.stringify(profile.draftRules) !== JSON.stringify(profile.publishedRules);
}
