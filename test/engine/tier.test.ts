import { DEFAULT_TIER_THRESHOLDS, TIERS, tierOf, toTierThresholds } from '../../src/tier';

describe('tiers', () => {
	it("follow HighLevel's strategic ranges by default", () => {
		expect(TIERS.map((tier) => tier.id)).toEqual(['high', 'medium', 'low', 'veryLow']);
		expect([75, 50, 49.5, 10, 9, 1, 0.5, 0, -3].map((score) => tierOf(score))).toEqual([
			'high', 'high', 'medium', 'medium', 'low', 'low', 'veryLow', 'veryLow', 'veryLow',
		]);
	});

	it('use configured thresholds, defaulting the missing ones', () => {
		const thresholds = toTierThresholds({ high: '200', medium: 100 });
		expect(thresholds).toEqual({ high: 200, medium: 100, low: DEFAULT_TIER_THRESHOLDS.low });
		expect(tierOf(150, thresholds)).toBe('medium');
		expect(tierOf(200, thresholds)).toBe('high');
		expect(toTierThresholds(undefined)).toBe(DEFAULT_TIER_THRESHOLDS);
	});

	it('reject thresholds out of order or not numbers', () => {
		expect(() => toTierThresholds({ high: 10, medium: 20 })).toThrow(expect.objectContaining({ field: 'medium' }));
		expect(() => toTierThresholds({ low: 10 })).toThrow(expect.objectContaining({ field: 'low' }));
		expect(() => toTierThresholds({ high: 'lots' })).toThrow(expect.objectContaining({ field: 'high' }));
	});
});
