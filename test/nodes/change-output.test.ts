import { DateTime } from 'luxon';

import { isoTime } from '../../nodes/shared/change-output';

describe('isoTime', () => {
	it('writes every time as luxon writes it in UTC, from year 0 and before to past year 9999', () => {
		const times = [
			0, -1, 1, 1_767_225_600_123, 253_402_300_799_999, 253_402_300_800_000, -62_135_596_800_000, -62_135_596_800_001,
			-62_198_755_200_001, 8.64e15, -8.64e15, 8.64e15 + 1, 1.5, -0.5,
		];
		for (let time = -70_000_000_000_000; time < 300_000_000_000_000; time += 987_654_321_987) times.push(time);
		for (const time of times) expect([time, isoTime(time)]).toEqual([time, DateTime.fromMillis(time, { zone: 'utc' }).toISO()]);
	});

	it('writes null for a missing time', () => {
		expect(isoTime(null)).toBeNull();
		expect(isoTime(undefined)).toBeNull();
	});
});
