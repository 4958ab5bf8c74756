import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_JOURNAL_RETENTION_DAYS,
	pendingRecalculation,
	tierOf,
	type ContactScore,
	type RecalculationSummary,
	type Rule,
	type ScoreChange,
	type ScoreProfile,
	type ScoringSettings,
} from '../../../../src/index';
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

/** `{ days }`, or `'forever'`: how long the profile keeps its recorded events. */
function journalRetentionJson(profile: ScoreProfile): IDataObject | string {
	const retention = profile.journalRetention ?? { days: DEFAULT_JOURNAL_RETENTION_DAYS };
	return retention === 'forever' ? retention : { days: retention.days };
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
		keepRecordedEvents: journalRetentionJson(profile),
		publishedAt: isoTime(profile.publishedAt),
		createdAt: isoTime(profile.createdAt),
		updatedAt: isoTime(profile.updatedAt),
		pendingRecalculation: pendingRecalculationJson(profile),
	};
}

/** A recalculation not finished yet (running, or left by a crash and resumed by the next write, publish or trigger); null when none. */
function pendingRecalculationJson(profile: ScoreProfile): IDataObject | null {
	const marker = pendingRecalculation(profile);
	if (marker === undefined) return null;
	return {
		fromVersion: marker.fromVersion,
		toVersion: marker.toVersion,
		startedAt: isoTime(marker.startedAt),
		lastProgressAt: isoTime(marker.heartbeatAt),
		doneThroughContactId: marker.doneThrough ?? null,
	};
}

/** What a publish's recalculation did; null when it did not recalculate. */
export function recalculationJson(summary: RecalculationSummary | undefined): IDataObject | null {
	if (summary === undefined) return null;
	return { contactsRecalculated: summary.contactsRecalculated, contactsChanged: summary.contactsChanged, totalDelta: summary.totalDelta };
}

/*
 * Output fields in the order n8n's table view shows them: what the user came for first (score,
 * delta), then the contact and why, then times and ids. Every item of an operation has the same
 * keys (null where there is nothing), so the table and expressions always find them.
 */

export function contactJson(contact: ContactScore): IDataObject {
	return {
		score: contact.score,
		tier: tierOf(contact.score),
		groups: contact.groups === undefined ? {} : { ...contact.groups },
		topGroup: contact.topGroup ?? null,
		contactId: contact.contactId,
		lastActivityAt: isoTime(contact.lastActivityAt),
		firstSeenAt: isoTime(contact.firstSeenAt),
		updatedAt: isoTime(contact.updatedAt),
		profileId: contact.profileId,
	};
}

/** The key of a change's sequence number: `changeSeq`, as every output names it; `seq` in nodes saved at version 1. */
export type ChangeSeqKey = 'changeSeq' | 'seq';

export function changeSeqKey(nodeVersion: number): ChangeSeqKey {
	return nodeVersion < 1.1 ? 'seq' : 'changeSeq';
}

export function changeJson(change: ScoreChange, seqKey: ChangeSeqKey = 'changeSeq'): IDataObject {
	return {
		score: change.score,
		delta: change.delta,
		cause: causeJson(change.cause),
		previousScore: change.previousScore,
		at: isoTime(change.at),
		[seqKey]: change.seq,
		contactId: change.contactId,
		profileId: change.profileId,
	};
}
