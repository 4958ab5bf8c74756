import { EngagementEngine } from '../../src/engine';
import { RECALCULATION_STALE_MS, startExpiryTimer } from '../../src/expiry-timer';
import { publishedForRecalculation } from '../../src/recalculation';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';

const T0 = Date.UTC(2026, 0, 1);
const opened = (points: number) => [{ id: 'opened', eventType: 'email_event', conditions: [], points }];

/** The trigger's timer (what the Engagement Score Trigger runs while active) finishes a recalculation a crash left behind. */
it('the trigger timer resumes a recalculation no run moved on for RECALCULATION_STALE_MS, and leaves a live one to its run', async () => {
	let now = T0;
	const store = new StaticDataStore({});
	const engine = new EngagementEngine(store, { now: () => now });
	await engine.createProfile({ id: 'lead', name: 'Lead', rules: opened(5) });
	await engine.publish('lead');
	await engine.scoreEvents('lead', [{ contactId: 'ann', type: 'email_event' }]);
	await engine.updateDraft('lead', { rules: opened(9) });
	await store.updateProfile('lead', (profile) => publishedForRecalculation(profile, now, true));
	const errors: unknown[] = [];

	const fresh = startExpiryTimer(engine, 'lead', 5, (error) => errors.push(error));
	await new Promise((resolve) => setTimeout(resolve, 50));
	await fresh.stop();
	expect((await engine.getProfile('lead')).recalculation).toBeDefined();

	now += RECALCULATION_STALE_MS + 1;
	const stale = startExpiryTimer(engine, 'lead', 5, (error) => errors.push(error));
	for (let wait = 0; wait < 100 && (await engine.getProfile('lead')).recalculation !== undefined; wait++) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	await stale.stop();

	expect(errors).toEqual([]);
	expect((await engine.getProfile('lead')).recalculation).toBeUndefined();
	expect((await engine.getContact('lead', 'ann'))?.score).toBe(9);
});
