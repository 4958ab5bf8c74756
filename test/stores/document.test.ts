import type { IDataObject } from 'n8n-workflow';
import * as ObservableObject from 'n8n-workflow/dist/cjs/observable-object';

import { StaticDataStore, MAX_CHANGES, MAX_SEEN_EVENT_IDS } from '../../src/stores/static-data/static-data-store';
import { describeStoreConformance, profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';
import { reloadedEachCall } from '../helpers/static-data-reload';

describeStoreConformance('workflow static data (kept in memory)', async () => ({
	store: new StaticDataStore({}),
	cleanup: async () => {},
}));

describeStoreConformance(
	'workflow static data (JSON round trip and n8n reload between calls)',
	async () => ({
		store: reloadedEachCall(),
		cleanup: async () => {},
	}),
	{ liveFeed: false },
);

describe('workflow static data specifics', () => {
	const reload = (json: string) => ObservableObject.create(JSON.parse(json) as IDataObject) as Record<string, unknown> & {
		__dataChanged: boolean;
	};

	it('marks the static data changed on writes only, so n8n saves it exactly when needed', async () => {
		const first = {};
		await new StaticDataStore(first).insertProfile(profileFixture('p1'));
		const saved = JSON.stringify(first);

		const forReading = reload(saved);
		const reader = new StaticDataStore(forReading);
		await reader.getProfile('p1');
		await reader.listContacts('p1', { order: 'desc', limit: 10 });
		await reader.readChanges('p1', 0, 10);
		expect(forReading.__dataChanged).toBe(false);

		const forWriting = reload(saved);
		await scoring(new StaticDataStore(forWriting)).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
		expect(forWriting.__dataChanged).toBe(true);
		expect(await new StaticDataStore(reload(JSON.stringify(forWriting))).getContact('p1', 'alice')).toMatchObject({ score: 5 });
	});

	it('keeps its key across reloads, so a feed and a writer of the same static data meet', async () => {
		const container = {};
		const key = new StaticDataStore(container).key;
		expect(new StaticDataStore(reload(JSON.stringify(container))).key).toBe(key);
		expect(new StaticDataStore({}).key).not.toBe(key);
	});

	it(`keeps only the newest ${MAX_CHANGES} changes and ${MAX_SEEN_EVENT_IDS} event ids per profile`, async () => {
		const container = {};
		const store = new StaticDataStore(container);
		await store.insertProfile(profileFixture('p1'));
		const total = Math.ceil(MAX_CHANGES * 1.1) + 1;
		await scoring(store).applyEvents(
			'p1',
			1,
			Array.from({ length: total }, (_, index) => scoredEvent('alice', 1, { eventId: `e${index}` })),
		);
		const reloaded = new StaticDataStore(JSON.parse(JSON.stringify(container)) as Record<string, unknown>);
		const changes = await reloaded.readChanges('p1', 0, total);
		expect(changes).toHaveLength(MAX_CHANGES);
		expect(changes[0].seq).toBe(total - MAX_CHANGES + 1);
		expect(await reloaded.latestChangeSeq('p1')).toBe(total);
		expect(await reloaded.getHistory('p1', 'alice', total)).toHaveLength(MAX_CHANGES);
		expect((await reloaded.getContact('p1', 'alice'))?.score).toBe(total);

		const [newest, oldest] = await scoring(reloaded).applyEvents('p1', 1, [
			scoredEvent('alice', 1, { eventId: `e${total - 1}` }),
			scoredEvent('alice', 1, { eventId: 'e0' }),
		]);
		expect(newest.duplicate).toBe(true);
		expect(oldest.duplicate).toBe(false);
		expect(JSON.stringify(container).length).toBeLessThan(2_000_000);
	});
});
