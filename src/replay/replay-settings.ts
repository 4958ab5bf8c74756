import { compileRules, type Evaluator } from '../evaluator';
import type { Rule, ScoreLimits } from '../types';

/** The rules and settings a journal is replayed under: a published version, or the draft (Preview Draft). */
export interface ReplaySettings {
	/** The version the replay scores as: the causes of the events it scores name it. */
	readonly version: number;
	readonly rules: readonly Rule[];
	readonly limits?: ScoreLimits;
	/** IANA zone the calendar periods of `counts` are counted in; absent: UTC. */
	readonly timeZone?: string;
	/** The rules compiled (withEvaluator); compiled anew by every replay when absent. */
	readonly evaluator?: Evaluator;
}

/** The settings with their rules compiled once, for a replay of many contacts. */
export function withEvaluator(settings: ReplaySettings): ReplaySettings & { readonly evaluator: Evaluator } {
	return settings.evaluator === undefined ? { ...settings, evaluator: compileRules(settings.rules) } : { ...settings, evaluator: settings.evaluator };
}
