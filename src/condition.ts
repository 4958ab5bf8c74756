import { InvalidInputError } from './errors';
import { numericValue } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import { CONDITION_OPERATORS, type Condition, type ConditionOperator } from './types';

export { numericValue };

export type PropertyPredicate = (properties: Readonly<Record<string, unknown>>) => boolean;

type Scalar = string | number | boolean;

const operatorsByLowerCaseName = new Map<string, ConditionOperator>(
	CONDITION_OPERATORS.map((operator) => [operator.toLowerCase(), operator]),
);

function isScalar(value: unknown): value is Scalar {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Validates a rule condition and returns it normalised: operator canonical, value checked against
 * what the operator needs, list values (in/notIn) as arrays.
 * @param field where the condition sits, e.g. "rules[2].conditions[0]"
 */
export function toCondition(raw: unknown, field: string): Condition {
	if (!isPlainObject(raw)) throw new InvalidInputError('A condition must be an object', field);
	const property = ownValue(raw, 'property');
	const rawOperator = ownValue(raw, 'operator');
	const rawValue = ownValue(raw, 'value');
	if (typeof property !== 'string' || property.trim() === '') {
		throw new InvalidInputError('The condition needs the name of an event property', `${field}.property`);
	}
	const operator =
		typeof rawOperator === 'string' ? operatorsByLowerCaseName.get(rawOperator.trim().toLowerCase()) : undefined;
	if (operator === undefined) {
		throw new InvalidInputError(
			`Unknown condition operator "${String(rawOperator)}"; use one of: ${CONDITION_OPERATORS.join(', ')}`,
			`${field}.operator`,
		);
	}
	const base = { property: property.trim(), operator };
	switch (operator) {
		case 'exists':
		case 'notExists':
			return base;
		case 'in':
		case 'notIn':
			return { ...base, value: toList(rawValue, `${field}.value`) };
		case 'greaterThan':
		case 'greaterThanOrEqual':
		case 'lessThan':
		case 'lessThanOrEqual': {
			const value = numericValue(rawValue);
			if (!Number.isFinite(value)) {
				throw new InvalidInputError(`"${operator}" compares numbers: the value must be a number`, `${field}.value`);
			}
			return { ...base, value };
		}
		default:
			if (!isScalar(rawValue)) {
				throw new InvalidInputError(`"${operator}" needs a value (a text, number or boolean)`, `${field}.value`);
			}
			return { ...base, value: rawValue };
	}
}

function toList(raw: unknown, field: string): Scalar[] {
	const items = typeof raw === 'string' ? raw.split(',').map((item) => item.trim()) : raw;
	if (!Array.isArray(items) || !items.every(isScalar)) {
		throw new InvalidInputError('The value must be a list: an array, or texts separated by commas', field);
	}
	const list = items.filter((item) => item !== '');
	if (list.length === 0) throw new InvalidInputError('The list of values is empty', field);
	return list;
}

/**
 * Reads a property by name or dotted path ("order.total"), from own properties only, so that
 * "__proto__" or "constructor" are ordinary keys. A key that itself contains dots wins over the path.
 */
export function propertyReader(path: string): (properties: Readonly<Record<string, unknown>>) => unknown {
	const segments = path.split('.');
	if (segments.length === 1) return (properties) => ownValue(properties, path);
	return (properties) => {
		if (Object.prototype.hasOwnProperty.call(properties, path)) return properties[path];
		let value: unknown = properties;
		for (const segment of segments) {
			if (typeof value !== 'object' || value === null) return undefined;
			value = ownValue(value as Record<string, unknown>, segment);
		}
		return value;
	};
}

/** Text as a marketer compares it: trimmed, case-insensitive. */
function comparableText(value: Scalar): string {
	return String(value).trim().toLowerCase();
}

/** A precompiled "equals" for one expected value: numerically when both sides are numbers, else as text. */
function scalarMatcher(expected: Scalar): (actual: unknown) => boolean {
	const expectedText = comparableText(expected);
	const expectedNumber = numericValue(expected);
	const expectedIsNumber = Number.isFinite(expectedNumber);
	return (actual) => {
		if (actual === expected) return true;
		if (typeof actual === 'number') return expectedIsNumber ? actual === expectedNumber : false;
		if (typeof actual === 'string') {
			if (expectedIsNumber) {
				const actualNumber = numericValue(actual);
				if (Number.isFinite(actualNumber)) return actualNumber === expectedNumber;
			}
			return actual.trim().toLowerCase() === expectedText;
		}
		if (typeof actual === 'boolean') return String(actual) === expectedText;
		return false;
	};
}

function anyMatcher(list: readonly Scalar[]): (actual: unknown) => boolean {
	const matchers = list.map(scalarMatcher);
	const matchesOne = (value: unknown) => matchers.some((matches) => matches(value));
	return (actual) => (Array.isArray(actual) ? actual.some(matchesOne) : matchesOne(actual));
}

function containsMatcher(expected: Scalar): (actual: unknown) => boolean {
	const needle = comparableText(expected);
	const element = scalarMatcher(expected);
	return (actual) => {
		if (Array.isArray(actual)) return actual.some(element);
		if (typeof actual === 'string' || typeof actual === 'number') return comparableText(actual).includes(needle);
		return false;
	};
}

function numberMatcher(test: (actual: number) => boolean): (actual: unknown) => boolean {
	return (actual) => {
		const value = numericValue(actual);
		return Number.isFinite(value) && test(value);
	};
}

function isPresent(actual: unknown): boolean {
	if (actual === undefined || actual === null) return false;
	return typeof actual !== 'string' || actual.trim() !== '';
}

function valueMatcher(condition: Condition): (actual: unknown) => boolean {
	const value = condition.value as Scalar;
	const limit = numericValue(condition.value);
	switch (condition.operator) {
		case 'equals':
			return scalarMatcher(value);
		case 'contains':
			return containsMatcher(value);
		case 'in':
			return anyMatcher(condition.value as Scalar[]);
		case 'greaterThan':
			return numberMatcher((actual) => actual > limit);
		case 'greaterThanOrEqual':
			return numberMatcher((actual) => actual >= limit);
		case 'lessThan':
			return numberMatcher((actual) => actual < limit);
		case 'lessThanOrEqual':
			return numberMatcher((actual) => actual <= limit);
		case 'exists':
			return isPresent;
		default:
			throw new Error(`${condition.operator} is a negation`);
	}
}

const NEGATIONS: Partial<Record<ConditionOperator, ConditionOperator>> = {
	notEquals: 'equals',
	notContains: 'contains',
	notIn: 'in',
	notExists: 'exists',
};

/**
 * Compiles a validated condition (see toCondition) into a predicate over event properties.
 * The negated operators are exact negations: a missing property "does not equal" anything.
 */
export function compileCondition(condition: Condition): PropertyPredicate {
	const positive = NEGATIONS[condition.operator];
	const matches = valueMatcher(positive === undefined ? condition : { ...condition, operator: positive });
	const negated = positive !== undefined;
	const key = condition.property;
	if (!key.includes('.')) {
		// The common case, read inline: one call less per condition on the hot path.
		return (properties) => matches(hasOwn.call(properties, key) ? properties[key] : undefined) !== negated;
	}
	const read = propertyReader(key);
	return (properties) => matches(read(properties)) !== negated;
}

const hasOwn = Object.prototype.hasOwnProperty;
