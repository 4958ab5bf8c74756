import { normalizeScore } from '../../src/scoring';
import type { ScoreExplanation } from '../../src/replay';

/** What an explanation's parts add up to: the carried start, each rule's points, every manual change, reset and decay run. */
export function explanationTotal(explanation: ScoreExplanation): number {
	let total = explanation.carried?.score ?? 0;
	for (const part of [...explanation.rules.map((rule) => rule.points), ...[...explanation.manual, ...explanation.resets, ...explanation.decay].map((step) => step.effect)]) {
		total = normalizeScore(total + part);
	}
	return total;
}
