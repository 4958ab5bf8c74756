import type { EngagementEngine } from '../../src/engine';
import { JOURNAL_PRUNE_INTERVAL_MS, RECALCULATION_STALE_MS, startExpiryTimer } from '../../src/expiry-timer';

describe('the expiry timer', () => {
	afterEach(() => jest.useRealTimers());

	it('applies due expiries at every tick and the journal retention once a day, the first time at once', async () => {
		jest.useFakeTimers({ now: Date.UTC(2026, 11, 2) });
		const calls: string[] = [];
		const resumed: unknown[] = [];
		const engine = {
			applyExpiries: async (profileId: string) => void calls.push(`expiries ${profileId}`),
			pruneJournal: async (profileId: string) => void calls.push(`prune ${profileId}`),
			resumeRecalculation: async (profileId: string, options: unknown) => void resumed.push([profileId, options]),
		} as unknown as EngagementEngine;
		const timer = startExpiryTimer(engine, 'lead', 1000, (error) => {
			throw error;
		});
		await jest.advanceTimersByTimeAsync(2500);
		expect(calls).toEqual(['expiries lead', 'prune lead', 'expiries lead', 'expiries lead']);
		// Beside the expiries, every tick resumes a recalculation only when no run moved it on for a while.
		expect(resumed).toEqual(Array(3).fill(['lead', { staleAfterMs: RECALCULATION_STALE_MS }]));
		calls.length = 0;
		await jest.advanceTimersByTimeAsync(JOURNAL_PRUNE_INTERVAL_MS);
		expect(calls.filter((call) => call.startsWith('prune'))).toEqual(['prune lead']);
		await timer.stop();
	});
});
