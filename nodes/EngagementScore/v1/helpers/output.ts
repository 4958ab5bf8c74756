import type { IDataObject } from 'n8n-workflow';

import { tierOf, type ContactScore, type Rule, type ScoreChange, type ScoreProfile, type ScoringSettings } from '../../../../src/index';
import { causeJson, isoTime } from '../../../shared/change-output';

export function ruleJson(rule: Rule): IDataObject {
	const json: IDataObject = {
		id: rule.id,
		eventType: rule.eventType,
		conditions: rule.conditions.map((condition) => ({ ...condition }) as IDataObject),
		points: rule.points,
	};
	if (rule.description !== undefined) json.description = rule.description;
	if (rule.counts !== undefined) json.counts = { ...rule.counts };
	if (rule.expiresAfterDays !== undefined) json.expiresAfterDays = rule.expiresAfterDays;
	if (rule.group !== undefined) json.group = rule.group;
	return json;
}

function settingsJson(settings: ScoringSettings | undefined): IDataObject {
	const limits = settings?.limits;
	return {
		limits: limits === undefined ? null : (JSON.parse(JSON.stringify(limits)) as IDataObject),
		timeZone: settings?.timeZone ?? 'UTC',
	};
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
		draftSettings: settingsJson(profile.draftSettings),
		publishedSettings: profile.publishedRules ? settingsJson(profile.publishedSettings) : null,
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
		groups: contact.groups === undefined ? {} : { ...contact.groups },
		topGroup: contact.topGroup ?? null,
	};
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
