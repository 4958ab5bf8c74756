import { DateTime, Settings } from 'luxon';

import { InvalidInputError } from '../../src/errors';
import { toEpochMillis } from '../../src/time';

describe('toEpochMillis', () => {
	it('reads zoned ISO text exactly as luxon does', () => {
		const texts = [
			'2025-01-01T00:00:00Z',
			'2024-02-29T23:59:59.999+14:00',
			'1999-12-31T10:30-05:30',
			'2025-06-30T12:00:00.000-00:00',
			'2025-01-01T24:00:00Z',
			'1969-07-20T20:17:40Z',
		];
		for (const text of texts) {
			expect([text, toEpochMillis(text, 'at')]).toEqual([text, DateTime.fromISO(text, { setZone: true }).toMillis()]);
		}
	});

	it('reads other forms with luxon, zoneless text as UTC whatever luxon\'s default zone is', () => {
		const defaultZone = Settings.defaultZone;
		// n8n sets luxon's default zone to the instance's time zone when it runs an expression.
		Settings.defaultZone = 'America/New_York';
		try {
			expect(toEpochMillis('2025-03-01T08:00:00', 'at')).toBe(Date.UTC(2025, 2, 1, 8));
			expect(toEpochMillis('2025-03-01', 'at')).toBe(Date.UTC(2025, 2, 1));
			expect(toEpochMillis('2025-03-01 08:00:00', 'at')).toBe(Date.UTC(2025, 2, 1, 8));
			expect(toEpochMillis('2025-03-01T08:00:00+05:00', 'at')).toBe(Date.UTC(2025, 2, 1, 3));
		} finally {
			Settings.defaultZone = defaultZone;
		}
		expect(toEpochMillis('2025-01-01T00:00:00.123456Z', 'at')).toBe(Date.UTC(2025, 0, 1, 0, 0, 0, 123));
		expect(toEpochMillis('Wed, 01 Jan 2025 00:00:00 GMT', 'at')).toBe(Date.UTC(2025, 0, 1));
	});

	it('rejects impossible dates and out-of-range or invalid values, naming the field', () => {
		const invalid = ['2025-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T23:60:00Z', 'soon', '', 9e15, NaN, Infinity, new Date('x'), DateTime.invalid('test'), {}, true, null];
		for (const raw of invalid) {
			let field: string | undefined;
			try {
				toEpochMillis(raw, 'occurredAt');
			} catch (error) {
				expect(error).toBeInstanceOf(InvalidInputError);
				field = (error as InvalidInputError).field;
			}
			expect([raw, field]).toEqual([raw, 'occurredAt']);
		}
	});

	it('keeps epoch milliseconds, Dates and DateTimes as the same instant', () => {
		const at = Date.UTC(2030, 4, 6, 7, 8, 9, 10);
		expect(toEpochMillis(at, 'at')).toBe(at);
		expect(toEpochMillis(` ${at} `, 'at')).toBe(at);
		expect(toEpochMillis(new Date(at), 'at')).toBe(at);
		expect(toEpochMillis(DateTime.fromMillis(at, { zone: 'Asia/Tokyo' }), 'at')).toBe(at);
	});
});
