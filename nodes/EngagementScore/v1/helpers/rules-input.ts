import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CUSTOM_EVENT_TYPE } from '../actions/common.descriptions';

/**
 * The rule editor's fixedCollection as the rule-like objects the engine validates (parseRules):
 * the editor only reshapes, so the JSON and the UI path get the same checks and error fields.
 */
export function rulesFromEditor(collection: unknown): IDataObject[] {
	const rows = listOf((collection as IDataObject | undefined)?.rule);
	return rows.map((row) => {
		const eventType = row.eventType === CUSTOM_EVENT_TYPE ? row.customEventType : row.eventType;
		const conditions = listOf((row.conditions as IDataObject | undefined)?.condition).map((condition) =>
			condition.operator === 'exists' || condition.operator === 'notExists'
				? { property: condition.property, operator: condition.operator }
				: { property: condition.property, operator: condition.operator, value: condition.value },
		);
		const rule: IDataObject = { eventType, conditions, points: row.points };
		if (typeof row.id === 'string' && row.id.trim() !== '') rule.id = row.id;
		if (typeof row.description === 'string' && row.description.trim() !== '') rule.description = row.description;
		const counts = countsFromEditor(row);
		if (counts !== undefined) rule.counts = counts;
		// 0 (the editor's default) means the points never expire.
		if (row.expiresAfterDays !== undefined && row.expiresAfterDays !== 0 && row.expiresAfterDays !== '') {
			rule.expiresAfterDays = row.expiresAfterDays;
		}
		if (typeof row.group === 'string' && row.group.trim() !== '') rule.group = row.group;
		return rule;
	});
}

function countsFromEditor(row: IDataObject): IDataObject | string | undefined {
	if (row.counts === 'once') return 'once';
	if (row.counts !== 'perPeriod') return undefined;
	const period = row.period ?? 'day';
	return period === 'rollingDays' ? { times: row.times, per: period, days: row.periodDays } : { times: row.times, per: period };
}

function listOf(value: unknown): IDataObject[] {
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

/**
 * The rules given on one item, still unvalidated: the editor's rows, or the JSON text (or value an
 * expression produced); undefined when the draft rules are to stay as they are.
 */
export function readRules(context: IExecuteFunctions, itemIndex: number): unknown {
	switch (context.getNodeParameter('rulesSource', itemIndex)) {
		case 'keep':
			return undefined;
		case 'json':
			return context.getNodeParameter('rulesJson', itemIndex, '[]');
		default:
			return rulesFromEditor(context.getNodeParameter('rules', itemIndex, {}));
	}
}

/** The engine fields of limits and time zone, named by the node's labels. */
export const SETTINGS_FIELD_LABELS = { 'limits.min': 'minScore', 'limits.max': 'maxScore' };

/**
 * Limits and time zone given on one item, still unvalidated, as NewProfileInput / DraftPatch take
 * them: only what the collection holds (an Update Draft without limits keeps the draft's).
 */
export function readScoringSettings(context: IExecuteFunctions, itemIndex: number): { limits?: IDataObject; timeZone?: unknown } {
	const settings = context.getNodeParameter('scoringSettings', itemIndex, {}) as IDataObject;
	const result: { limits?: IDataObject; timeZone?: unknown } = {};
	const groups = listOf((settings.groupMax as IDataObject | undefined)?.group);
	if (settings.minScore !== undefined || settings.maxScore !== undefined || groups.length > 0) {
		const limits: IDataObject = {};
		if (settings.minScore !== undefined) limits.min = settings.minScore;
		if (settings.maxScore !== undefined) limits.max = settings.maxScore;
		if (groups.length > 0) limits.groupMax = Object.fromEntries(groups.map((group) => [String(group.name ?? ''), group.max]));
		result.limits = limits;
	}
	if (settings.timeZone !== undefined) result.timeZone = settings.timeZone;
	return result;
}
