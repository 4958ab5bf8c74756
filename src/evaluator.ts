import { compileCondition, type PropertyPredicate } from './condition';
import { normalizeScore } from './scoring/score-math';
import type { Evaluation, Rule, ScoreEvent } from './types';

export interface Evaluator {
	/** Sums the points of every rule matching the event. The result is shared and frozen: do not mutate it. */
	evaluate(event: Pick<ScoreEvent, 'type' | 'properties'>): Evaluation;
}

interface CompiledRule {
	readonly id: string;
	readonly points: number;
	readonly predicates: readonly PropertyPredicate[];
	readonly rule: Rule;
}

/**
 * The rules of one event type. Which of them match is a bit mask, and the Evaluation for each
 * mask is built once and reused, so evaluating allocates nothing after warm-up.
 */
class TypeRules {
	/** Indexed by mask; an array while that stays small, a Map beyond. */
	private readonly evaluations: Evaluation[] | Map<number, Evaluation>;

	constructor(
		private readonly rules: readonly CompiledRule[],
		private readonly withRules: boolean,
	) {
		this.evaluations = rules.length <= MAX_ARRAY_INDEXED_RULES ? [] : new Map();
	}

	evaluate(properties: Readonly<Record<string, unknown>>): Evaluation {
		if (this.rules.length > MAX_MASKED_RULES) return this.evaluateUncached(properties);
		let mask = 0;
		for (let index = 0; index < this.rules.length; index++) {
			if (matches(this.rules[index], properties)) mask |= 1 << index;
		}
		const cached = Array.isArray(this.evaluations) ? this.evaluations[mask] : this.evaluations.get(mask);
		return cached ?? this.remember(mask);
	}

	private remember(mask: number): Evaluation {
		const evaluation = evaluationOf(this.rules.filter((_, index) => (mask & (1 << index)) !== 0), this.withRules);
		if (Array.isArray(this.evaluations)) this.evaluations[mask] = evaluation;
		else this.evaluations.set(mask, evaluation);
		return evaluation;
	}

	private evaluateUncached(properties: Readonly<Record<string, unknown>>): Evaluation {
		return evaluationOf(this.rules.filter((rule) => matches(rule, properties)), this.withRules);
	}
}

const MAX_MASKED_RULES = 30;
const MAX_ARRAY_INDEXED_RULES = 12;

const NO_MATCH: Evaluation = Object.freeze({ delta: 0, matchedRuleIds: Object.freeze([]) as readonly string[] });

function matches(rule: CompiledRule, properties: Readonly<Record<string, unknown>>): boolean {
	for (let index = 0; index < rule.predicates.length; index++) {
		if (!rule.predicates[index](properties)) return false;
	}
	return true;
}

function evaluationOf(matched: readonly CompiledRule[], withRules: boolean): Evaluation {
	if (matched.length === 0) return NO_MATCH;
	let delta = 0;
	for (const rule of matched) delta = normalizeScore(delta + rule.points);
	const matchedRuleIds = Object.freeze(matched.map((rule) => rule.id));
	if (!withRules) return Object.freeze({ delta, matchedRuleIds });
	return Object.freeze({ delta, matchedRuleIds, rules: Object.freeze(matched.map((rule) => rule.rule)) });
}

/** Whether a rule needs to be scored on its own (how often it counts, expiry, group): see src/scoring/ledger.ts. */
export function isLedgerRule(rule: Rule): boolean {
	return rule.counts !== undefined || rule.expiresAfterDays !== undefined || rule.group !== undefined;
}

/**
 * Compiles validated rules (see parseRules) into an evaluator, rules indexed by event type. When
 * any rule counts limited times, expires or has a group, evaluations also list the matched rules.
 */
export function compileRules(rules: readonly Rule[]): Evaluator {
	const byType = new Map<string, CompiledRule[]>();
	const withRules = rules.some(isLedgerRule);
	for (const rule of rules) {
		const compiled = { id: rule.id, points: rule.points, predicates: rule.conditions.map(compileCondition), rule };
		const list = byType.get(rule.eventType);
		if (list) list.push(compiled);
		else byType.set(rule.eventType, [compiled]);
	}
	const index = new Map<string, TypeRules>([...byType].map(([type, list]) => [type, new TypeRules(list, withRules)]));
	return {
		evaluate(event) {
			const typeRules = index.get(event.type);
			return typeRules === undefined ? NO_MATCH : typeRules.evaluate(event.properties);
		},
	};
}
