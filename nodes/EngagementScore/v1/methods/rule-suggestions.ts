import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { EVENT_TYPES, knownEventProperties, knownPropertyValues } from '../../../../src/index';
import { CUSTOM_EVENT_TYPE } from '../actions/common.descriptions';

/**
 * Suggestions for a rule condition's Property and Value, from the engine's table of event types.
 *
 * n8n resolves a load-options parameter path ("&name") among the condition's own fields only, so
 * the rule's Event Type, one level up, is found by looking for the rule that holds a condition
 * with exactly these field values. When rules of several types hold such a condition (e.g. two
 * new, still empty ones), the suggestions of all those types are offered.
 */
export async function getConditionProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const types = eventTypesOfThisCondition(this);
	const byName = new Map<string, INodePropertyOptions>();
	for (const type of types) {
		for (const property of knownEventProperties(type)) {
			if (byName.has(property.name)) continue;
			const typeName = types.length > 1 ? `${EVENT_TYPES.find((known) => known.id === type)?.name}: ` : '';
			byName.set(property.name, { name: property.name, value: property.name, description: `${typeName}${property.description}` });
		}
	}
	return withCurrentValue([...byName.values()], this.getCurrentNodeParameter('&property'), 'Not a known property of this event type');
}

export async function getConditionValues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const property = this.getCurrentNodeParameter('&property');
	if (typeof property !== 'string' || property === '') return [];
	const builtInTypes = eventTypesOfThisCondition(this).filter((type) => knownEventProperties(type).length > 0);
	const values = knownPropertyValues(property, builtInTypes.length > 0 ? builtInTypes : undefined);
	return withCurrentValue(
		values.map((value) => ({ name: value, value })),
		this.getCurrentNodeParameter('&value'),
		'Not a known value of this property',
	);
}

/** A saved value the list does not know (a custom property or value) stays listed, so it shows as chosen. */
function withCurrentValue(options: INodePropertyOptions[], current: unknown, description: string): INodePropertyOptions[] {
	// A list saved as text ("bounced, unsubscribed", from before Values was a multi-select) counts item by item.
	const items = Array.isArray(current) ? current : typeof current === 'string' ? current.split(',').map((item) => item.trim()) : [current];
	const values = items.filter(
		(value): value is string | number => (typeof value === 'string' && value !== '' && !value.startsWith('=')) || typeof value === 'number',
	);
	const missing = values.filter((value) => !options.some((option) => option.value === value));
	return [...missing.map((value) => ({ name: String(value), value, description })), ...options];
}

function eventTypesOfThisCondition(context: ILoadOptionsFunctions): string[] {
	const here: IDataObject = {
		property: context.getCurrentNodeParameter('&property') as IDataObject[string],
		operator: context.getCurrentNodeParameter('&operator') as IDataObject[string],
		value: context.getCurrentNodeParameter('&value') as IDataObject[string],
	};
	const rules = listOf((context.getCurrentNodeParameter('rules') as IDataObject | undefined)?.rule);
	const holding = rules.filter((rule) =>
		listOf((rule.conditions as IDataObject | undefined)?.condition).some((condition) => sameFields(condition, here)),
	);
	const candidates = holding.length > 0 ? holding : rules;
	const types = candidates.map((rule) => (rule.eventType === CUSTOM_EVENT_TYPE ? rule.customEventType : rule.eventType));
	return [...new Set(types.filter((type): type is string => typeof type === 'string'))];
}

function sameFields(condition: IDataObject, here: IDataObject): boolean {
	return Object.keys(here).every((key) => here[key] === undefined || JSON.stringify(condition[key]) === JSON.stringify(here[key]));
}

function listOf(value: unknown): IDataObject[] {
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}
