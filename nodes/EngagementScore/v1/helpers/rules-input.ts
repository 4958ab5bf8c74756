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
		return rule;
	});
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
