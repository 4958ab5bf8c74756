import { numericValue } from './condition';
import { InvalidInputError } from './errors';
import { isPlainObject, ownValue } from './plain-object';
import { normalizeScore } from './scoring/score-math';
import type { ScoreChange } from './types';

export const SCORE_OPERATORS = ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'between'] as const;
export type ScoreOperator = (typeof SCORE_OPERATORS)[number];

export interface ScoreComparison {
	readonly operator: ScoreOperator;
	readonly value: number;
	/** Upper bound of 'between' (inclusive); `value` is then the lower bound. */
	readonly valueTo?: number;
}

export interface ScoreConditionSet {
	readonly combinator: 'and' | 'or';
	/** Empty means "any score". */
	readonly conditions: readonly ScoreComparison[];
}

/** 'enter': when the score comes to meet the conditions (again after leaving). 'everyChange': on each change while it meets them. */
export type FiringMode = 'enter' | 'everyChange';

function scoreValue(raw: unknown, field: string): number {
	const value = numericValue(raw);
	if (!Number.isFinite(value)) throw new InvalidInputError(`The score to compare with must be a number, got "${String(raw)}"`, field);
	return normalizeScore(value);
}

function toComparison(raw: unknown, field: string): ScoreComparison {
	if (!isPlainObject(raw)) throw new InvalidInputError('A score condition must be an object', field);
	const operator = ownValue(raw, 'operator');
	if (!SCORE_OPERATORS.includes(operator as ScoreOperator)) {
		throw new InvalidInputError(
			`Unknown score operator "${String(operator)}"; use one of: ${SCORE_OPERATORS.join(', ')}`,
			`${field}.operator`,
		);
	}
	const value = scoreValue(ownValue(raw, 'value'), `${field}.value`);
	if (operator !== 'between') return { operator: operator as ScoreOperator, value };
	const valueTo = scoreValue(ownValue(raw, 'valueTo'), `${field}.valueTo`);
	return { operator, value: Math.min(value, valueTo), valueTo: Math.max(value, valueTo) };
}

/**
 * Validates `{ combinator: 'and' | 'or', conditions: [{ operator, value, valueTo? }] }`.
 * @throws InvalidInputError naming e.g. "conditions[1].valueTo"
 */
export function toScoreConditionSet(raw: unknown): ScoreConditionSet {
	if (!isPlainObject(raw)) throw new InvalidInputError('The score conditions must be an object', 'conditions');
	const rawCombinator = ownValue(raw, 'combinator') ?? 'and';
	if (rawCombinator !== 'and' && rawCombinator !== 'or') {
		throw new InvalidInputError(`Combine conditions with "and" or "or", got "${String(rawCombinator)}"`, 'combinator');
	}
	const rawConditions = ownValue(raw, 'conditions') ?? [];
	if (!Array.isArray(rawConditions)) throw new InvalidInputError('The score conditions must be a list', 'conditions');
	return {
		combinator: rawCombinator,
		conditions: rawConditions.map((condition, index) => toComparison(condition, `conditions[${index}]`)),
	};
}

function compares(comparison: ScoreComparison, score: number): boolean {
	const { value } = comparison;
	switch (comparison.operator) {
		case 'gte':
			return score >= value;
		case 'gt':
			return score > value;
		case 'lte':
			return score <= value;
		case 'lt':
			return score < value;
		case 'eq':
			return score === value;
		case 'ne':
			return score !== value;
		case 'between':
			return score >= value && score <= (comparison.valueTo as number);
	}
}

export function holds(set: ScoreConditionSet, score: number): boolean {
	if (set.conditions.length === 0) return true;
	return set.combinator === 'and'
		? set.conditions.every((comparison) => compares(comparison, score))
		: set.conditions.some((comparison) => compares(comparison, score));
}

/**
 * Whether a trigger fires for this change. With no conditions there is nothing to enter, so
 * every change fires in both modes.
 */
export function firing(
	change: Pick<ScoreChange, 'score' | 'previousScore'>,
	set: ScoreConditionSet,
	mode: FiringMode,
): boolean {
	if (!holds(set, change.score)) return false;
	if (mode === 'everyChange' || set.conditions.length === 0) return true;
	return !holds(set, change.previousScore);
}
