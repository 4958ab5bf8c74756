import type { AdjustOperation, DecayPolicy } from '../types';

/**
 * Scores are plain numbers. Rounding to 6 decimals after each step keeps sums of fractional
 * points exact enough to compare (0.1 + 0.2 === 0.3) in every store, JS or Lua.
 */
export function normalizeScore(value: number): number {
	const rounded = Math.round(value * 1e6) / 1e6;
	return Object.is(rounded, -0) ? 0 : rounded;
}

export function adjustedScore(previous: number, operation: AdjustOperation, points: number): number {
	switch (operation) {
		case 'add':
			return normalizeScore(previous + points);
		case 'subtract':
			return normalizeScore(previous - points);
		case 'set':
			return normalizeScore(points);
	}
}

/**
 * The score after one decay step. Decay only ever lowers a score and never takes it below the
 * floor; a score already at or below the floor is left alone. Multiplying rounds to whole points
 * (toward the floor), as a scheduled decay of 0.9 on 7 should give 6, not 6.3.
 */
export function decayScore(score: number, policy: DecayPolicy): number {
	if (score <= policy.floor) return score;
	const decayed =
		policy.mode === 'subtract' ? score - policy.points : Math.floor(score * policy.factor);
	return normalizeScore(Math.max(policy.floor, Math.min(score, decayed)));
}
