import { DateTime } from 'luxon';

import { InvalidInputError } from './errors';
import { MAX_INACTIVE_DAYS, numericValue, shown, toBoundedPoints } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import type { DecayPolicy } from './types';

export { decayScore } from './scoring/score-math';

const NUMBER_NAMES: Readonly<Record<string, string>> = {
	points: 'Decay points',
	factor: 'The factor',
	floor: 'The floor',
};

function numberField(raw: Record<string, unknown>, field: string, fallback?: number): number {
	const value = ownValue(raw, field);
	if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
	return toBoundedPoints(value, field, NUMBER_NAMES[field]);
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
		throw new InvalidInputError(`Decay mode must be "subtract" or "multiply", got "${shown(mode)}"`, 'mode');
	}
	const rawDays = ownValue(raw, 'inactiveDays');
	const inactiveDays = numericValue(rawDays);
	if (!(inactiveDays > 0 && inactiveDays <= MAX_INACTIVE_DAYS)) {
		throw new InvalidInputError(
			`The number of days must be a number more than 0 and at most ${MAX_INACTIVE_DAYS}, got "${shown(rawDays)}"`,
			'inactiveDays',
		);
	}
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
