import { toCondition } from './condition';
import { InvalidInputError } from './errors';
import { toEventType } from './event';
import { toBoundedPoints, toIdText } from './limits';
import { isPlainObject, ownValue, parseJsonText } from './plain-object';
import type { Condition, Rule } from './types';

/**
 * Validates a list of rule-like objects, `{ id?, eventType, conditions?, points, description? }`,
 * given as an array or as JSON text of one (empty text means no rules). Errors name the
 * offending field, e.g. "rules[2].points". Missing ids become "rule-<position>", unique in the list.
 * @throws InvalidInputError
 */
export function parseRules(input: unknown): Rule[] {
	const list = typeof input === 'string' ? parseJson(input) : input;
	if (!Array.isArray(list)) throw new InvalidInputError('The rules must be a list (a JSON array)', 'rules');
	const explicitIds = list.map((raw, index) => toRuleId(raw, `rules[${index}]`));
	const taken = new Set<string>();
	explicitIds.forEach((id, index) => {
		if (id === undefined) return;
		if (taken.has(id)) throw new InvalidInputError(`Two rules have the id "${id}"`, `rules[${index}].id`);
		taken.add(id);
	});
	return list.map((raw: unknown, index) => {
		const id = explicitIds[index] ?? freeId(index, taken);
		taken.add(id);
		return toRule(raw as Record<string, unknown>, id, `rules[${index}]`);
	});
}

function parseJson(text: string): unknown {
	if (text.trim() === '') return [];
	const parsed = parseJsonText(text);
	if (!parsed.ok) throw new InvalidInputError(`The rules are not valid JSON: ${parsed.message}`, 'rules');
	return parsed.value;
}

function toRuleId(raw: unknown, field: string): string | undefined {
	if (!isPlainObject(raw)) throw new InvalidInputError('A rule must be an object', field);
	const id = ownValue(raw, 'id');
	if (id === undefined || id === null || id === '') return undefined;
	const text = toIdText(id, `${field}.id`, 'The rule id');
	if (text === undefined) throw new InvalidInputError('The rule id must be a text or a number', `${field}.id`);
	return text;
}

function freeId(index: number, taken: ReadonlySet<string>): string {
	let id = `rule-${index + 1}`;
	for (let suffix = 2; taken.has(id); suffix++) id = `rule-${index + 1}-${suffix}`;
	return id;
}

function toRule(raw: Record<string, unknown>, id: string, field: string): Rule {
	const eventType = toEventType(ownValue(raw, 'eventType'), `${field}.eventType`);
	const conditions = toConditions(ownValue(raw, 'conditions'), `${field}.conditions`);
	const points = toPoints(ownValue(raw, 'points'), `${field}.points`);
	const description = ownValue(raw, 'description');
	if (description !== undefined && description !== null && typeof description !== 'string') {
		throw new InvalidInputError('The rule description must be a text', `${field}.description`);
	}
	const rule = { id, eventType, conditions, points };
	return typeof description === 'string' && description.trim() !== ''
		? { ...rule, description: description.trim() }
		: rule;
}

function toConditions(raw: unknown, field: string): Condition[] {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) throw new InvalidInputError('The conditions must be a list', field);
	return raw.map((condition, index) => toCondition(condition, `${field}[${index}]`));
}

/** Points are a number within ±MAX_POINTS; numeric text ("5", "-2.5") is accepted as workflows often carry it. */
export function toPoints(raw: unknown, field: string): number {
	return toBoundedPoints(raw, field);
}
