import { EngagementEngine } from '../../src/engine';
import { storeKindsForThisFile } from '../helpers/engine-stores';
import type { ScoreStore } from '../../src/store';

/**
 * A publish that lands between a write's reading of the profile and its commit: manual adjust,
 * reset, decay and expiry are held to the limits of the version the transaction sees, never to
 * the limits that publish replaced. The publish is made deterministic by running it from inside
 * the store's next transaction call, before that transaction starts.
 */

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 9);

const storeKinds = storeKindsForThisFile('limits-version');

/** The store, whose next `transact` first runs `before` (once). */
function publishingBeforeNextTransaction(store: ScoreStore) {
	let before: (() => Promise<unknown>) | undefined;
	const wrapped = new Proxy(store, {
		get(target, property) {
			const value = Reflect.get(target, property, target) as unknown;
			if (property === 'transact') {
				return async (...args: Parameters<ScoreStore['transact']>) => {
					const run = before;
					before = undefined;
					await run?.();
					return await target.transact(...args);
				};
			}
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
	return { wrapped, beforeNextTransaction: (work: () => Promise<unknown>) => (before = work) };
}

describe.each(storeKinds)('writes held to the limits of the version they commit under ($name)', (kind) => {
	let opened: { store: ScoreStore; cleanup(): void };
	let now = T0;
	let admin: EngagementEngine;
	let engine: EngagementEngine;
	let beforeNextTransaction: (work: () => Promise<unknown>) => void;

	beforeEach(async () => {
		opened = await kind.open();
		now = T0;
		admin = new EngagementEngine(opened.store, { now: () => now });
		const publishing = publishingBeforeNextTransaction(opened.store);
		engine = new EngagementEngine(publishing.wrapped, { now: () => now });
		beforeNextTransaction = publishing.beforeNextTransaction;
		await admin.createProfile({
			id: 'lead',
			name: 'Lead',
			rules: [{ id: 'demo', eventType: 'appointment_booked', points: 30, expiresAfterDays: 1 }],
			limits: { max: 100 },
		});
		await admin.publish('lead');
	});
	afterEach(async () => {
		await opened.store.close();
		opened.cleanup();
	});

	/**
	 * Publishes the profile with these limits between the next write's read of the profile and its
	 * commit; without recalculating, so that the write, not the publish, is what meets the new limits.
	 */
	function publishDuringNextWrite(limits: object) {
		beforeNextTransaction(async () => {
			await admin.updateDraft('lead', { limits });
			await admin.publish('lead', { recalculate: false });
		});
	}

	it('a manual add gets the new maximum', async () => {
		await admin.modifyScore('lead', { contactId: 'ann', operation: 'set', points: 90 });
		publishDuringNextWrite({ max: 200 });
		expect(await engine.modifyScore('lead', { contactId: 'ann', operation: 'add', points: 50 })).toMatchObject({ score: 140 });
	});

	it('a reset goes to the new minimum', async () => {
		await admin.modifyScore('lead', { contactId: 'ann', operation: 'set', points: 90 });
		publishDuringNextWrite({ min: 10, max: 100 });
		expect(await engine.resetContact('lead', 'ann')).toMatchObject({ previousScore: 90, score: 10 });
		expect(await admin.getContact('lead', 'ann')).toMatchObject({ score: 10 });
	});

	it('a decay stops at the new minimum', async () => {
		await admin.modifyScore('lead', { contactId: 'ann', operation: 'set', points: 50 });
		now = T0 + 40 * DAY;
		publishDuringNextWrite({ min: 40, max: 100 });
		const result = await engine.applyDecay('lead', { mode: 'subtract', inactiveDays: 30, points: 30, floor: 0 });
		expect(result).toMatchObject({ contactsDecayed: 1, totalDelta: -10 });
		expect(await admin.getContact('lead', 'ann')).toMatchObject({ score: 40 });
	});

	it('an expiry is held to the new minimum', async () => {
		await admin.scoreEvents('lead', [{ contactId: 'ann', type: 'appointment_booked', occurredAt: T0 }]);
		await admin.modifyScore('lead', { contactId: 'ann', operation: 'add', points: 10 });
		now = T0 + 2 * DAY;
		publishDuringNextWrite({ min: 25, max: 100 });
		expect(await engine.applyExpiries('lead')).toMatchObject({ expired: 1 });
		expect(await admin.getContact('lead', 'ann')).toMatchObject({ score: 25 });
	});
});
