import { numericValue } from './condition';
import { InvalidInputError } from './errors';
import { isPlainObject, ownValue } from './plain-object';

/** HighLevel's strategic uses of a score, highest first. */
export const TIERS = [
	{ id: 'high', name: 'High', action: 'Prioritize for immediate sales outreach' },
	{ id: 'medium', name: 'Medium', action: 'Continue nurturing with relevant content' },
	{ id: 'low', name: 'Low', action: 'Enroll in re-engagement workflows' },
	{ id: 'veryLow', name: 'Very Low', action: 'Review contact quality; consider list cleaning' },
] as const;
export type Tier = (typeof TIERS)[number]['id'];

/** The lowest score (inclusive) of each tier; anything below `low` is very low. */
export interface TierThresholds {
	readonly high: number;
	readonly medium: number;
	readonly low: number;
}

/** HighLevel's examples: above 50 for sales outreach, below 10 for re-engagement, zero for list cleaning. */
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = Object.freeze({ high: 50, medium: 10, low: 1 });

/**
 * Validates thresholds; missing ones take the default. They must descend: high > medium > low.
 * @throws InvalidInputError naming high, medium or low
 */
export function toTierThresholds(raw: unknown): TierThresholds {
	if (raw === undefined || raw === null) return DEFAULT_TIER_THRESHOLDS;
	if (!isPlainObject(raw)) throw new InvalidInputError('The tier thresholds must be an object', 'tiers');
	const read = (field: keyof TierThresholds): number => {
		const value = ownValue(raw, field);
		if (value === undefined || value === null || value === '') return DEFAULT_TIER_THRESHOLDS[field];
		const number = numericValue(value);
		if (!Number.isFinite(number)) throw new InvalidInputError(`The ${field} threshold must be a number`, field);
		return number;
	};
	const thresholds = { high: read('high'), medium: read('medium'), low: read('low') };
	if (thresholds.medium >= thresholds.high) {
		throw new InvalidInputError('The medium threshold must be below the high one', 'medium');
	}
	if (thresholds.low >= thresholds.medium) {
		throw new InvalidInputError('The low threshold must be below the medium one', 'low');
	}
	return thresholds;
}

/** The scores of a tier: from `min` (inclusive) to below `below`; open ends are absent. */
export function tierScoreRange(tier: Tier, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): { min?: number; below?: number } {
	switch (tier) {
		case 'high':
			return { min: thresholds.high };
		case 'medium':
			return { min: thresholds.medium, below: thresholds.high };
		case 'low':
			return { min: thresholds.low, below: thresholds.medium };
		case 'veryLow':
			return { below: thresholds.low };
	}
}

export function tierOf(score: number, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): Tier {
	if (score >= thresholds.high) return 'high';
	if (score >= thresholds.medium) return 'medium';
	if (score >= thresholds.low) return 'low';
	return 'veryLow';
}
