import { InvalidInputError } from './errors';
import { toIdText } from './limits';
import { isPlainObject, ownValue, parseJsonText } from './plain-object';
import { parseRules } from './rule';
import type { Rule } from './types';

/**
 * Changes to a draft's rules that leave the other rules as they are: add rules, update rules by
 * id, remove rules by id. Each returns the whole new list (still to be validated as a draft by
 * withDraft); a change naming a rule the draft lacks (or, for an add, already has) is refused,
 * with the field of that change, e.g. "rules[1].id" or "ruleIds[0]".
 */
export type RuleEditMode = 'add' | 'update' | 'remove';

export function editRules(current: readonly Rule[], mode: RuleEditMode, changes: unknown): Rule[] {
	switch (mode) {
		case 'add':
			return addRules(current, changes);
		case 'update':
			return updateRules(current, changes);
		case 'remove':
			return removeRules(current, changes);
	}
}

/** Appends the rules; one without an id gets the first free "rule-<position>". */
export function addRules(current: readonly Rule[], changes: unknown): Rule[] {
	const { rules, explicit } = parsedChanges(changes);
	const taken = new Set(current.map((rule) => rule.id));
	rules.forEach((rule, index) => {
		if (explicit[index] && taken.has(rule.id)) {
			throw new InvalidInputError(`The draft already has a rule with the ID "${rule.id}"; update it instead`, `rules[${index}].id`);
		}
	});
	rules.forEach((rule, index) => {
		if (explicit[index]) taken.add(rule.id);
	});
	const result: Rule[] = [...current];
	rules.forEach((rule, index) => {
		const id = explicit[index] ? rule.id : freeId(result.length, taken);
		taken.add(id);
		result.push({ ...rule, id });
	});
	return result;
}

/** Replaces each rule whose id a change names, in its place. */
export function updateRules(current: readonly Rule[], changes: unknown): Rule[] {
	const { rules, explicit } = parsedChanges(changes);
	const result: Rule[] = [...current];
	rules.forEach((rule, index) => {
		if (!explicit[index]) throw new InvalidInputError('Give the ID of the rule to update', `rules[${index}].id`);
		const position = result.findIndex((existing) => existing.id === rule.id);
		if (position === -1) throw new InvalidInputError(missing(rule.id, current), `rules[${index}].id`);
		result[position] = rule;
	});
	return result;
}

/** Removes the rules with these ids: a list, or ids separated by commas. */
export function removeRules(current: readonly Rule[], ids: unknown): Rule[] {
	const list = typeof ids === 'string' ? ids.split(',').map((id) => id.trim()).filter((id) => id !== '') : ids;
	if (!Array.isArray(list) || list.length === 0) {
		throw new InvalidInputError('Give the IDs of the rules to remove, separated by commas', 'ruleIds');
	}
	const remove = new Set<string>();
	list.forEach((raw, index) => {
		const id = toIdText(raw, `ruleIds[${index}]`, 'The rule id');
		if (id === undefined) throw new InvalidInputError('The rule id must be a text or a number', `ruleIds[${index}]`);
		if (!current.some((rule) => rule.id === id)) throw new InvalidInputError(missing(id, current), `ruleIds[${index}]`);
		remove.add(id);
	});
	return current.filter((rule) => !remove.has(rule.id));
}

function missing(id: string, current: readonly Rule[]): string {
	const known = current.map((rule) => `"${rule.id}"`).join(', ');
	return `The draft has no rule with the ID "${id}" (its rules: ${known === '' ? 'none' : known})`;
}

/** The changes validated as rules (errors name rules[i] as the user gave them), and which of them named their id. */
function parsedChanges(changes: unknown): { rules: Rule[]; explicit: boolean[] } {
	const rules = parseRules(changes);
	const list = typeof changes === 'string' ? jsonList(changes) : (changes as unknown[]);
	const explicit = list.map((raw) => {
		const id = isPlainObject(raw) ? ownValue(raw, 'id') : undefined;
		return id !== undefined && id !== null && id !== '';
	});
	return { rules, explicit };
}

function jsonList(text: string): unknown[] {
	if (text.trim() === '') return [];
	const parsed = parseJsonText(text);
	return parsed.ok && Array.isArray(parsed.value) ? parsed.value : [];
}

function freeId(position: number, taken: ReadonlySet<string>): string {
	let id = `rule-${position + 1}`;
	for (let suffix = 2; taken.has(id); suffix++) id = `rule-${position + 1}-${suffix}`;
	return id;
}
