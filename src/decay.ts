import { DateTime } from 'luxon';

import { numericValue } from './condition';
import { InvalidInputError } from './errors';
import { isPlainObject, ownValue } from './plain-object';
import type { DecayPolicy } from './types';

export { decayScore } from './scoring/score-math';

function numberField(raw: Record<string, unknown>, field: string, fallback?: number): number {
	const value = ownValue(raw, field);
	if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
	const number = numericValue(value);
	if (!Number.isFinite(number)) throw new InvalidInputError(`${field} must be a number, got "${String(value)}"`, field);
	return number;
}

/**
 * Validates a decay policy: "contacts with no activity for `inactiveDays` days lose `points`"
 * (mode subtract) or "have their score multiplied by `factor`" (mode multiply), never below `floor` (default 0).
 * @throws InvalidInputError naming mode, inactiveDays, points, factor or floor
 */
export function toDecayPolicy(raw: unknown): DecayPolicy {
	if (!isPlainObject(raw)) throw new InvalidInputError('The decay policy must be an object', 'decay');
	const mode = ownValue(raw, 'mode');
	if (mode !== 'subtract' && mode !== 'multiply') {
		throw new InvalidInputError(`Decay mode must be "subtract" or "multiply", got "${String(mode)}"`, 'mode');
	}
	const inactiveDays = numberField(raw, 'inactiveDays');
	if (inactiveDays <= 0) throw new InvalidInputError('inactiveDays must be more than 0', 'inactiveDays');
	const floor = numberField(raw, 'floor', 0);
	if (mode === 'subtract') {
		const points = numberField(raw, 'points');
		if (points < 0) throw new InvalidInputError('Decay points must be 0 or more (they are subtracted)', 'points');
		return { mode, inactiveDays, points, floor };
	}
	const factor = numberField(raw, 'factor');
	if (factor < 0 || factor > 1) throw new InvalidInputError('The decay factor must be between 0 and 1', 'factor');
	return { mode, inactiveDays, factor, floor };
}

/**
 * The instant before which a contact counts as inactive: `inactiveDays` calendar days before `now`
 * in `zone` (so a day across a daylight-saving change is still a day).
 */
export function inactiveBefore(now: number, inactiveDays: number, zone = 'utc'): number {
	const start = DateTime.fromMillis(now, { zone });
	if (!start.isValid) throw new InvalidInputError(`Unknown time zone "${zone}"`, 'timezone');
	return start.minus({ days: inactiveDays }).toMillis();
}
