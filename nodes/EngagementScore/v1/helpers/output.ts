import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { tierOf } from '../../../../src/tier';
import type { ChangeCause, ContactScore, Rule, ScoreChange, ScoreProfile } from '../../../../src/types';

/** Epoch milliseconds as the ISO 8601 text users see in n8n (UTC). */
export function isoTime(epochMillis: number): string;
export function isoTime(epochMillis: number | null | undefined): string | null;
export function isoTime(epochMillis: number | null | undefined): string | null {
	if (epochMillis === null || epochMillis === undefined) return null;
	return DateTime.fromMillis(epochMillis, { zone: 'utc' }).toISO();
}

export function ruleJson(rule: Rule): IDataObject {
	const json: IDataObject = {
		id: rule.id,
		eventType: rule.eventType,
		conditions: rule.conditions.map((condition) => ({ ...condition }) as IDataObject),
		points: rule.points,
	};
	if (rule.description !== undefined) json.description = rule.description;
	return json;
}

export function profileJson(profile: ScoreProfile): IDataObject {
	return {
		id: profile.id,
		name: profile.name,
		description: profile.description,
		status: profile.status,
		version: profile.version,
		draftRules: profile.draftRules.map(ruleJson),
		publishedRules: profile.publishedRules ? profile.publishedRules.map(ruleJson) : null,
		publishedAt: isoTime(profile.publishedAt),
		createdAt: isoTime(profile.createdAt),
		updatedAt: isoTime(profile.updatedAt),
	};
}

export function contactJson(contact: ContactScore): IDataObject {
	return {
		profileId: contact.profileId,
		contactId: contact.contactId,
		score: contact.score,
		tier: tierOf(contact.score),
		lastActivityAt: isoTime(contact.lastActivityAt),
		updatedAt: isoTime(contact.updatedAt),
	};
}

export function causeJson(cause: ChangeCause): IDataObject {
	switch (cause.kind) {
		case 'event': {
			const json: IDataObject = { kind: cause.kind, eventType: cause.eventType, ruleIds: [...cause.ruleIds] };
			if (cause.eventId !== undefined) json.eventId = cause.eventId;
			return json;
		}
		case 'modify': {
			const json: IDataObject = { kind: cause.kind, operation: cause.operation, points: cause.points };
			if (cause.reason !== undefined) json.reason = cause.reason;
			return json;
		}
		case 'decay':
			return { kind: cause.kind, mode: cause.mode };
		case 'reset':
			return cause.reason === undefined ? { kind: cause.kind } : { kind: cause.kind, reason: cause.reason };
	}
}

export function changeJson(change: ScoreChange): IDataObject {
	return {
		seq: change.seq,
		profileId: change.profileId,
		contactId: change.contactId,
		previousScore: change.previousScore,
		score: change.score,
		delta: change.delta,
		cause: causeJson(change.cause),
		at: isoTime(change.at),
	};
}
