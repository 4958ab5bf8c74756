import type { ScoreLimits } from '../types';
import { normalizeScore } from './score-math';

/**
 * How much of `gain` a value may take without leaving [min, max]. A limit only ever holds a value
 * back, never pushes it: a value already above the maximum may still fall, and a gain never turns
 * into a loss (a maximum lowered under existing scores does not take points away).
 */
export function boundedGain(value: number, gain: number, min: number | undefined, max: number | undefined): number {
	if (gain > 0 && max !== undefined) return Math.max(0, Math.min(gain, normalizeScore(max - value)));
	if (gain < 0 && min !== undefined) return Math.min(0, Math.max(gain, normalizeScore(min - value)));
	return gain;
}

/** A score set outright (set, reset) lies within the limits. */
export function withinLimits(score: number, limits: ScoreLimits | undefined): number {
	if (limits === undefined) return score;
	if (limits.max !== undefined && score > limits.max) return limits.max;
	if (limits.min !== undefined && score < limits.min) return limits.min;
	return score;
}

/** The largest subtotal a group may reach, if it has one. */
export function groupMaximum(limits: ScoreLimits | undefined, group: string): number | undefined {
	const groupMax = limits?.groupMax;
	return groupMax !== undefined && Object.hasOwn(groupMax, group) ? groupMax[group] : undefined;
}
