import { InvalidInputError } from './errors';

/**
 * The ranges every input is held to, in one place. Within them every sum a store keeps stays a
 * finite number: a score is a sum of changes of at most MAX_POINTS each.
 */

/**
 * The largest amount of points (a rule's, a modification's, a decay step's, a floor or a score
 * filter), either sign. Scores are rounded to 6 decimals, which is exact up to 2^53 / 10^6
 * (about 9.007e9): points of up to 1e9 keep every single step well inside that.
 */
export const MAX_POINTS = 1e9;

/** Ids (contact, event, profile, rule) are at most this many UTF-16 code units after trimming. */
export const MAX_ID_LENGTH = 1000;

/** The longest decay window: 100 years. */
export const MAX_INACTIVE_DAYS = 36_500;

/** An event may be dated up to a day ahead of the clock (senders' clocks drift), and not before 1970. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
export const EARLIEST_EVENT_MS = 0;

/** A lone (unpaired) UTF-16 surrogate: JSON can carry one, but no store keeps it byte-exact. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A number, or text that is a plain decimal number ("12", " -3.5 "); anything else is NaN. */
export function numericValue(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number(trimmed);
	}
	return NaN;
}

/** A short, never-throwing rendering of a rejected value for an error message. */
export function shown(raw: unknown): string {
	let text: string;
	try {
		text = typeof raw === 'string' ? raw : typeof raw === 'bigint' ? `${raw}n` : (JSON.stringify(raw) ?? String(raw));
	} catch {
		text = Object.prototype.toString.call(raw);
	}
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A number (or numeric text) of at most MAX_POINTS either side of 0. */
export function toBoundedPoints(raw: unknown, field: string, what = 'Points'): number {
	const points = numericValue(raw);
	if (!Number.isFinite(points)) throw new InvalidInputError(`${what} must be a number, got "${shown(raw)}"`, field);
	if (Math.abs(points) > MAX_POINTS) {
		throw new InvalidInputError(`${what} must be between -${MAX_POINTS} and ${MAX_POINTS}, got "${shown(raw)}"`, field);
	}
	return points;
}

/** A whole number from `minimum` up to Number.MAX_SAFE_INTEGER; empty means `fallback`. */
export function toCount(raw: unknown, field: string, fallback: number, minimum: number): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const count = numericValue(raw);
	if (!Number.isSafeInteger(count) || count < minimum) {
		throw new InvalidInputError(`Must be a whole number of at least ${minimum}, got "${shown(raw)}"`, field);
	}
	return count;
}

/**
 * Id text: a finite number becomes its decimal text (as CRMs often send numbers), text is
 * trimmed. Undefined when there is no id (empty, or neither text nor a number).
 * @throws InvalidInputError for text no store can keep exactly: a lone surrogate, or too long
 */
export function toIdText(raw: unknown, field: string, what: string): string | undefined {
	let text: string | undefined;
	if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
	else if (typeof raw === 'string' && raw.trim() !== '') text = raw.trim();
	if (text === undefined) return undefined;
	if (LONE_SURROGATE.test(text)) {
		throw new InvalidInputError(`${what} contains an unpaired UTF-16 surrogate (broken Unicode text)`, field);
	}
	if (text.length > MAX_ID_LENGTH) {
		throw new InvalidInputError(`${what} is longer than ${MAX_ID_LENGTH} characters`, field);
	}
	return text;
}
