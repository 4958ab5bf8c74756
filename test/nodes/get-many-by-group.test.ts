/**
 * Contact > Get Many sorted by a group's score and bounded by it (Sort By: Group Score, Min / Max
 * Group Score), through n8n-core's engine on a real SQLite file and on workflow static data.
 */
import { profileLocator, runEngagementScore, scoreEvents, sqliteStoreIn, staticDataStore, tempFolder, type TestStore } from '../harness/engagement-score-nodes';

const folder = tempFolder('get-many-group-');
afterAll(() => folder.cleanup());

const RULES = [
	{ id: 'demo', eventType: 'demo_requested', points: 20, group: 'Sales' },
	{ id: 'call', eventType: 'call_logged', points: 5, group: 'Sales' },
	{ id: 'opened', eventType: 'email_opened', points: 10, group: 'Email' },
	{ id: 'visit', eventType: 'page_visited', points: 50 },
];

describe.each([
	['SQLite', () => sqliteStoreIn(folder.path, `group-${Math.random().toString(36).slice(2)}.sqlite`)],
	['workflow static data', () => staticDataStore()],
])('Get Many by group score (%s)', (_name, makeStore: () => TestStore) => {
	let store: TestStore;

	beforeEach(async () => {
		store = makeStore();
		const created = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'create',
			name: 'Lead',
			newProfileId: 'lead',
			rulesSource: 'json',
			rulesJson: JSON.stringify(RULES),
			publish: true,
		});
		expect(created.error).toBeUndefined();
		const scored = await scoreEvents(store, 'lead', [
			{ contactId: 'ann', type: 'demo_requested' },
			{ contactId: 'ann', type: 'page_visited' },
			{ contactId: 'bob', type: 'demo_requested' },
			{ contactId: 'bob', type: 'call_logged' },
			{ contactId: 'cat', type: 'call_logged' },
			{ contactId: 'cat', type: 'email_opened' },
			{ contactId: 'dan', type: 'email_opened' },
			{ contactId: 'eve', type: 'page_visited' },
		]);
		expect(scored.error).toBeUndefined();
	});

	const getMany = async (parameters: Record<string, unknown>) =>
		await runEngagementScore(store, { resource: 'contact', operation: 'getMany', profileId: profileLocator('lead'), limit: 10, ...parameters });

	it('sorts the contacts holding the group by its score, highest or lowest first', async () => {
		const desc = await getMany({ sortBy: 'group', group: 'Sales' });
		expect(desc.error).toBeUndefined();
		expect(desc.json.map((contact) => [contact.contactId, (contact.groups as Record<string, number>).Sales, contact.score])).toEqual([
			['bob', 25, 25],
			['ann', 20, 70],
			['cat', 5, 15],
		]);
		const asc = await getMany({ sortBy: 'group', group: 'Sales', order: 'asc' });
		expect(asc.json.map((contact) => contact.contactId)).toEqual(['cat', 'ann', 'bob']);
		// By the total, as before: everyone, the highest total first.
		expect((await getMany({})).json.map((contact) => contact.contactId)).toEqual(['ann', 'eve', 'bob', 'cat', 'dan']);
	});

	it("filters by the group's min and max score, together with the total's", async () => {
		const bounded = await getMany({ sortBy: 'group', group: 'Sales', filters: { minGroupScore: 10, maxGroupScore: 22 } });
		expect(bounded.json.map((contact) => contact.contactId)).toEqual(['ann']);
		const withTotal = await getMany({ sortBy: 'group', group: 'Sales', filters: { minGroupScore: 5, maxScore: 30 } });
		expect(withTotal.json.map((contact) => contact.contactId)).toEqual(['bob', 'cat']);
		const returnAll = await getMany({ sortBy: 'group', group: 'Email', returnAll: true });
		expect(returnAll.json.map((contact) => contact.contactId)).toEqual(['cat', 'dan']);
	});

	it('names the field of a missing group or of group bounds above each other', async () => {
		const unnamed = await getMany({ sortBy: 'group', group: '' });
		expect(unnamed.error?.message).toMatch(/^Item 0: Group: /);
		const inverted = await getMany({ sortBy: 'group', group: 'Sales', filters: { minGroupScore: 30, maxGroupScore: 10 } });
		expect(inverted.error?.message).toMatch(/^Item 0: Min Group Score: /);
	});
});
