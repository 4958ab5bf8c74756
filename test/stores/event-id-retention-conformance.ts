/**
 * Event-id retention, for the stores that remember ids for a time (SQLite, Redis): an id counts
 * once while remembered and again after it expired, and expired ids do not pile up. Workflow
 * static data keeps a number of ids instead (document.test.ts).
 */
import { scoring } from '../helpers/scoring';
import { profileFixture, scoredEvent, type StoreUnderTest } from './conformance';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for the writes that must fall inside it on a slow, loaded machine. */
const RETENTION_MS = 1000;

export function describeEventIdRetention(name: string, createStore: (eventIdRetentionMs: number) => Promise<StoreUnderTest>): void {
	describe(`event-id retention: ${name}`, () => {
		let subject: StoreUnderTest | undefined;

		afterEach(async () => {
			await subject?.cleanup();
			subject = undefined;
		});

		it('counts an event id once within the retention and again after it expired', async () => {
			subject = await createStore(RETENTION_MS);
			const { store } = subject;
			await store.insertProfile(profileFixture('p'));
			await scoring(store).applyEvents('p', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			const [again] = await scoring(store).applyEvents('p', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(again.duplicate).toBe(true);

			await wait(RETENTION_MS + 200);
			const [later] = await scoring(store).applyEvents('p', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(later.duplicate).toBe(false);
			const [retried] = await scoring(store).applyEvents('p', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(retried.duplicate).toBe(true);
			expect((await store.getContact('p', 'alice'))?.score).toBe(10);
			expect((await store.getHistory('p', 'alice', 10)).map((change) => change.delta)).toEqual([5, 5]);
		});

		it('keeps an id counted by one batch from counting twice in the next, across expiries of others', async () => {
			subject = await createStore(RETENTION_MS);
			const { store } = subject;
			await store.insertProfile(profileFixture('p'));
			await scoring(store).applyEvents('p', 1, Array.from({ length: 20 }, (_, index) => scoredEvent('a', 1, { eventId: `old-${index}` })));
			await wait(RETENTION_MS + 200);
			const fresh = Array.from({ length: 20 }, (_, index) => scoredEvent('a', 1, { eventId: `new-${index}` }));
			await scoring(store).applyEvents('p', 1, fresh);
			const replayed = await scoring(store).applyEvents('p', 1, fresh);
			expect(replayed.every((result) => result.duplicate)).toBe(true);
			expect((await store.getContact('p', 'a'))?.score).toBe(40);
		});
	});
}
