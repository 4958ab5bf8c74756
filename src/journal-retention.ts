import { InvalidInputError } from './errors';
import { DEFAULT_JOURNAL_RETENTION_DAYS, type JournalRetention } from './journal';
import { MAX_INACTIVE_DAYS, shown, toCount } from './limits';
import { isPlainObject, ownValue } from './plain-object';
import type { ScoreProfile } from './types';

const DAY_MS = 86_400_000;

/**
 * How long a profile keeps its recorded events: 'forever', a number of days, or `{ days }`
 * (1 to MAX_INACTIVE_DAYS). Empty means the default (undefined: DEFAULT_JOURNAL_RETENTION_DAYS).
 * @throws InvalidInputError naming journalRetention
 */
export function toJournalRetention(raw: unknown): JournalRetention | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (raw === 'forever') return 'forever';
	const days = isPlainObject(raw) ? ownValue(raw, 'days') : raw;
	const count = toCount(days, 'journalRetention', DEFAULT_JOURNAL_RETENTION_DAYS, 1);
	if (count > MAX_INACTIVE_DAYS) {
		throw new InvalidInputError(`Keep recorded events at most ${MAX_INACTIVE_DAYS} days or forever, got "${shown(days)}"`, 'journalRetention');
	}
	return { days: count };
}

/** Entries recorded before this time are past the profile's retention; undefined: it keeps them forever. */
export function journalCutOff(profile: ScoreProfile, now: number): number | undefined {
	const retention = profile.journalRetention ?? { days: DEFAULT_JOURNAL_RETENTION_DAYS };
	return retention === 'forever' ? undefined : now - retention.days * DAY_MS;
}
