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
	/** The group whose subtotal is compared ("Sales group ≥ 30"); absent: the total score. */
	readonly group?: string;
}

/** Group subtotals as a change logs them (ScoreChange.groups); a group absent from them is at 0. */
type GroupSubtotals = Readonly<Record<string, number>> | undefined;

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
	const group = groupOf(raw, field);
	const of = group === undefined ? {} : { group };
	if (operator !== 'between') return { operator: operator as ScoreOperator, value, ...of };
	const valueTo = scoreValue(ownValue(raw, 'valueTo'), `${field}.valueTo`);
	return { operator, value: Math.min(value, valueTo), valueTo: Math.max(value, valueTo), ...of };
}

/** `scoreOf` 'total' (the default) or 'group' with the group's name in `group`. */
function groupOf(raw: Record<string, unknown>, field: string): string | undefined {
	const scoreOf = ownValue(raw, 'scoreOf') ?? 'total';
	if (scoreOf === 'total') return undefined;
	if (scoreOf !== 'group') throw new InvalidInputError(`Compare the total score or a group's, got "${String(scoreOf)}"`, `${field}.scoreOf`);
	const group = ownValue(raw, 'group');
	if (typeof group !== 'string' || group.trim() === '') {
		throw new InvalidInputError("Name the group whose score to compare, as the rules' Group field names it", `${field}.group`);
	}
	return group.trim();
}

/**
 * Validates `{ combinator: 'and' | 'or', conditions: [{ operator, value, valueTo?, scoreOf?, group? }] }`.
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

/** Whether the total `score` and the `groups` subtotals meet the set. */
export function holds(set: ScoreConditionSet, score: number, groups?: GroupSubtotals): boolean {
	if (set.conditions.length === 0) return true;
	const meets = (comparison: ScoreComparison) => compares(comparison, compared(comparison, score, groups));
	return set.combinator === 'and' ? set.conditions.every(meets) : set.conditions.some(meets);
}

function compared(comparison: ScoreComparison, score: number, groups: GroupSubtotals): number {
	if (comparison.group === undefined) return score;
	return groups !== undefined && Object.hasOwn(groups, comparison.group) ? groups[comparison.group] : 0;
}

/**
 * Whether a trigger fires for this change. With no conditions there is nothing to enter, so
 * every change fires in both modes. A group condition reads the subtotals the change logged.
 */
export function firing(
	change: Pick<ScoreChange, 'score' | 'previousScore' | 'groups' | 'previousGroups'>,
	set: ScoreConditionSet,
	mode: FiringMode,
): boolean {
	if (!holds(set, change.score, change.groups)) return false;
	if (mode === 'everyChange' || set.conditions.length === 0) return true;
	return !holds(set, change.previousScore, change.previousGroups);
}

/** The groups the set's conditions name whose condition the change meets, each once, in condition order. */
export function groupsMet(change: Pick<ScoreChange, 'score' | 'groups'>, set: ScoreConditionSet): string[] {
	const met: string[] = [];
	for (const comparison of set.conditions) {
		const { group } = comparison;
		if (group !== undefined && !met.includes(group) && compares(comparison, compared(comparison, change.score, change.groups))) {
			met.push(group);
		}
	}
	return met;
}
