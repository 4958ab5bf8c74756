import { DateTime } from 'luxon';

import type { RuleCounts } from '../types';

const DAY_MS = 86_400_000;

/**
 * Whether a rule limited by `counts` may count an event at `at`, given the times of its newest
 * counted events. Per contact: fewer than `times` ever. Per calendar day, week (from Monday) or
 * month in `timeZone`: fewer than `times` in the period `at` falls in. Per rolling window of D
 * days: fewer than `times` less than D days from `at` (either side, so an event delivered late is
 * held to the window of those that came before it as well).
 */
export function mayCount(counts: RuleCounts, awards: readonly number[] | undefined, at: number, timeZone: string | undefined): boolean {
	if (awards === undefined || awards.length < counts.times) return true;
	let within = 0;
	if (counts.per === 'contact') within = awards.length;
	else if (counts.per === 'rollingDays') {
		const window = (counts.days ?? 1) * DAY_MS;
		for (const time of awards) if (Math.abs(time - at) < window) within++;
	} else {
		const [from, until] = calendarPeriod(counts.per, at, timeZone);
		for (const time of awards) if (time >= from && time < until) within++;
	}
	return within < counts.times;
}

/** [start, end) of the calendar day, week (from Monday) or month `at` falls in, in `timeZone`. */
export function calendarPeriod(unit: 'day' | 'week' | 'month', at: number, timeZone: string | undefined): [number, number] {
	if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'utc') {
		// UTC has no offsets to look up: plain arithmetic, as luxon would compute it (and much faster).
		const day = Math.floor(at / DAY_MS);
		if (unit === 'day') return [day * DAY_MS, (day + 1) * DAY_MS];
		if (unit === 'week') {
			const monday = day - ((day + 3) % 7); // 1970-01-01 was a Thursday
			return [monday * DAY_MS, (monday + 7) * DAY_MS];
		}
		const date = new Date(at);
		return [Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)];
	}
	const start = DateTime.fromMillis(at, { zone: timeZone }).startOf(unit);
	return [start.toMillis(), start.plus({ [unit]: 1 }).toMillis()];
}

/**
 * The award times after counting an event at `at`: only the newest `times` are kept, which is
 * all mayCount needs for events arriving in order (and bounds what a contact stores per rule).
 */
export function withAward(counts: RuleCounts, awards: readonly number[] | undefined, at: number): number[] {
	if (awards === undefined) return [at];
	const times = [...awards, at];
	// Events mostly arrive in order: only a late one needs sorting in.
	if (at < awards[awards.length - 1]) times.sort((a, b) => a - b);
	return times.length > counts.times ? times.slice(times.length - counts.times) : times;
}
