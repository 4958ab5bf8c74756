import { decayScore, inactiveBefore, toDecayPolicy } from '../../src/decay';

describe('toDecayPolicy', () => {
	it('accepts subtract and multiply policies, numeric text included, floor defaulting to 0', () => {
		expect(toDecayPolicy({ mode: 'subtract', inactiveDays: '30', points: '5' })).toEqual({ mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 });
		expect(toDecayPolicy({ mode: 'multiply', inactiveDays: 14, factor: 0.5, floor: -10 })).toEqual({ mode: 'multiply', inactiveDays: 14, factor: 0.5, floor: -10 });
	});

	it('names the wrong field', () => {
		const field = (raw: unknown) => {
			try {
				toDecayPolicy(raw);
				return undefined;
			} catch (error) {
				return (error as { field?: string }).field;
			}
		};
		expect(field({ mode: 'halve', inactiveDays: 1, points: 1 })).toBe('mode');
		expect(field({ mode: 'subtract', inactiveDays: 0, points: 1 })).toBe('inactiveDays');
		expect(field({ mode: 'subtract', points: 1 })).toBe('inactiveDays');
		expect(field({ mode: 'subtract', inactiveDays: 1, points: -1 })).toBe('points');
		expect(field({ mode: 'subtract', inactiveDays: 1, points: 'x' })).toBe('points');
		expect(field({ mode: 'multiply', inactiveDays: 1, factor: 1.5 })).toBe('factor');
		expect(field({ mode: 'multiply', inactiveDays: 1, factor: 0.5, floor: 'low' })).toBe('floor');
		expect(field('subtract')).toBe('decay');
	});
});

describe('decay arithmetic', () => {
	it('never crosses the floor and never raises a score', () => {
		const subtract = toDecayPolicy({ mode: 'subtract', inactiveDays: 30, points: 5, floor: 2 });
		expect(decayScore(20, subtract)).toBe(15);
		expect(decayScore(6, subtract)).toBe(2);
		expect(decayScore(2, subtract)).toBe(2);
		expect(decayScore(-4, subtract)).toBe(-4);
		const multiply = toDecayPolicy({ mode: 'multiply', inactiveDays: 30, factor: 0.9, floor: 0 });
		expect(decayScore(7, multiply)).toBe(6);
		expect(decayScore(100, multiply)).toBe(90);
		expect(decayScore(-5, multiply)).toBe(-5);
	});
});

describe('inactiveBefore', () => {
	it('goes back whole calendar days in the given zone, across daylight saving', () => {
		const now = Date.UTC(2025, 2, 31, 12, 0, 0);
		expect(inactiveBefore(now, 30)).toBe(Date.UTC(2025, 2, 1, 12, 0, 0));
		// Berlin moved clocks forward on 2025-03-30: noon to noon across it is 23 hours.
		expect(inactiveBefore(now, 2, 'Europe/Berlin')).toBe(now - 47 * 3600_000);
		expect(() => inactiveBefore(now, 2, 'Mars/Olympus')).toThrow(expect.objectContaining({ field: 'timezone' }));
	});
});
