import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { type ChangeCause, type Rule } from '../../src/index';

/** Epoch milliseconds as the ISO 8601 text users see in n8n (UTC). */
/** The largest time a Date holds (ECMAScript's time range), either side of 1970. */
const MAX_DATE_MILLIS = 8.64e15;

export function isoTime(epochMillis: number): string;
export function isoTime(epochMillis: number | null | undefined): string | null;
export function isoTime(epochMillis: number | null | undefined): string | null {
	if (epochMillis === null || epochMillis === undefined) return null;
	// Date writes the same text as luxon in UTC (checked in change-output.test.ts) at a fraction of
	// the cost: a large batch outputs a time per item.
	if (Number.isInteger(epochMillis) && Math.abs(epochMillis) <= MAX_DATE_MILLIS) return new Date(epochMillis).toISOString();
	return DateTime.fromMillis(epochMillis, { zone: 'utc' }).toISO();
}

/** Why a score changed, as every node outputs it. */
export function causeJson(cause: ChangeCause): IDataObject {
	switch (cause.kind) {
		case 'event': {
			const json: IDataObject = { kind: cause.kind, eventType: cause.eventType, ruleIds: [...cause.ruleIds] };
			if (cause.profileVersion !== undefined) json.profileVersion = cause.profileVersion;
			if (cause.eventId !== undefined) json.eventId = cause.eventId;
			if (cause.limitedRuleIds !== undefined) json.limitedRuleIds = [...cause.limitedRuleIds];
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
		case 'recalculation':
			return { kind: cause.kind, fromVersion: cause.fromVersion, toVersion: cause.toVersion };
		case 'expired':
			return cause.eventId === undefined
				? { kind: cause.kind, ruleId: cause.ruleId }
				: { kind: cause.kind, ruleId: cause.ruleId, eventId: cause.eventId };
	}
}

/** What a matched rule contributed, as Score and the trigger output it; its conditions are in Profile > Get. */
export function matchedRuleJson(rule: Rule): IDataObject {
	const json: IDataObject = { id: rule.id, eventType: rule.eventType, points: rule.points };
	if (rule.description !== undefined) json.description = rule.description;
	return json;
}
