import { toCondition } from './condition';
import { InvalidInputError } from './errors';
import { toEventType } from './event';
import { MAX_INACTIVE_DAYS, numericValue, shown, toBoundedPoints, toCount, toIdText } from './limits';
import { isPlainObject, ownValue, parseJsonText } from './plain-object';
import { COUNT_PERIODS, type Condition, type CountPeriod, type Rule, type RuleCounts } from './types';

/**
 * Validates a list of rule-like objects, `{ id?, eventType, conditions?, points, description?,
 * counts?, expiresAfterDays?, group? }`,
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
	const counts = toRuleCounts(ownValue(raw, 'counts'), `${field}.counts`);
	const expiresAfterDays = toExpiryDays(ownValue(raw, 'expiresAfterDays'), `${field}.expiresAfterDays`);
	const group = toGroupName(ownValue(raw, 'group'), `${field}.group`);
	const rule: { -readonly [K in keyof Rule]: Rule[K] } = { id, eventType, conditions, points };
	if (typeof description === 'string' && description.trim() !== '') rule.description = description.trim();
	if (counts !== undefined) rule.counts = counts;
	if (expiresAfterDays !== undefined) rule.expiresAfterDays = expiresAfterDays;
	if (group !== undefined) rule.group = group;
	return rule;
}

/**
 * How often a rule counts: "everyTime" (or nothing) for every time, "once" for once per contact,
 * or `{ times, per, days? }`: at most `times` per contact, calendar day, week or month, or per
 * rolling window of `days` days (per "rollingDays").
 */
export function toRuleCounts(raw: unknown, field: string): RuleCounts | undefined {
	if (raw === undefined || raw === null || raw === '' || raw === 'everyTime') return undefined;
	if (raw === 'once') return { times: 1, per: 'contact' };
	if (!isPlainObject(raw)) {
		throw new InvalidInputError(`How often the rule counts must be "everyTime", "once" or { times, per }, got "${shown(raw)}"`, field);
	}
	const times = toCount(ownValue(raw, 'times'), `${field}.times`, NaN, 1);
	if (Number.isNaN(times)) throw new InvalidInputError('Say how many times the rule may count (a whole number of at least 1)', `${field}.times`);
	const per = ownValue(raw, 'per');
	if (!COUNT_PERIODS.includes(per as CountPeriod)) {
		throw new InvalidInputError(`The period must be one of ${COUNT_PERIODS.join(', ')}, got "${shown(per)}"`, `${field}.per`);
	}
	const rawDays = ownValue(raw, 'days');
	if (per !== 'rollingDays') {
		if (rawDays !== undefined && rawDays !== null && rawDays !== '') {
			throw new InvalidInputError('Days are only for a rolling window (per "rollingDays")', `${field}.days`);
		}
		return { times, per: per as CountPeriod };
	}
	return { times, per, days: toDays(rawDays, `${field}.days`) };
}

function toExpiryDays(raw: unknown, field: string): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	return toDays(raw, field);
}

function toDays(raw: unknown, field: string): number {
	const days = numericValue(raw);
	if (!(days > 0 && days <= MAX_INACTIVE_DAYS)) {
		throw new InvalidInputError(`The number of days must be a number more than 0 and at most ${MAX_INACTIVE_DAYS}, got "${shown(raw)}"`, field);
	}
	return days;
}

/** A rule's group name, or a group named elsewhere (a Get Many by group), as rules keep it. */
export function toGroupName(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const name = toIdText(raw, field, 'The group name');
	if (name === undefined) throw new InvalidInputError(`The group name must be a text, got "${shown(raw)}"`, field);
	return name;
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
