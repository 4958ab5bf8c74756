import { DateTime } from 'luxon';

import { InvalidInputError } from './errors';

/** The range of a JS Date (and of luxon), in epoch ms either side of 1970. */
const MAX_EPOCH_MS = 8.64e15;

/** ECMAScript's own date-time format with an explicit zone: Date.parse reads it exactly, much faster than a general parser. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseDateText(text: string): number {
	if (/^-?\d+$/.test(text)) return fromMillis(Number(text));
	const iso = ISO_WITH_ZONE.exec(text);
	// Date.parse rolls 30 February over into March; a calendar check keeps it as strict as luxon.
	if (iso !== null && Number(iso[3]) <= daysInMonth(Number(iso[1]), Number(iso[2]))) return Date.parse(text);
	// Text without a zone is UTC, never luxon's process-wide default zone, which n8n changes as it runs expressions.
	const options = { zone: 'utc', setZone: true };
	let parsed = DateTime.fromISO(text, options);
	if (!parsed.isValid) parsed = DateTime.fromRFC2822(text, options);
	if (!parsed.isValid) parsed = DateTime.fromHTTP(text, options);
	if (!parsed.isValid) parsed = DateTime.fromSQL(text, options);
	return parsed.isValid ? parsed.toMillis() : NaN;
}

function fromMillis(value: number): number {
	return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS ? value : NaN;
}

/**
 * Accepts what workflows carry for a time: ISO 8601 text (also RFC 2822, HTTP and SQL forms, read
 * with luxon; text without a zone is UTC), epoch ms as number or text, Date, luxon DateTime.
 * @throws InvalidInputError naming `field`
 */
export function toEpochMillis(raw: unknown, field: string): number {
	let millis = NaN;
	if (typeof raw === 'number') millis = fromMillis(raw);
	else if (typeof raw === 'string') millis = parseDateText(raw.trim());
	else if (raw instanceof Date) millis = raw.getTime();
	else if (DateTime.isDateTime(raw) && raw.isValid) millis = raw.toMillis();
	if (Number.isNaN(millis)) {
		throw new InvalidInputError(`"${String(raw)}" is not a date and time (use ISO 8601 or epoch milliseconds)`, field);
	}
	return millis;
}
