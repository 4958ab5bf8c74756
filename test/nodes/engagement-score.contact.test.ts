import { DateTime } from 'luxon';

import {
	contactScore,
	createProfile,
	profileLocator,
	runEngagementScore,
	scoreEvents,
	sqliteStoreIn,
	staticDataStore,
	tempFolder,
	type TestStore,
} from '../harness/engagement-score-nodes';

const folder = tempFolder();
afterAll(() => folder.cleanup());

const stores: Array<[string, () => TestStore]> = [
	['SQLite file', () => sqliteStoreIn(folder.path, `contacts-${Math.random().toString(36).slice(2)}.sqlite`)],
	['workflow static data', staticDataStore],
];

const daysAgo = (days: number) => DateTime.utc().minus({ days }).toISO();

describe.each(stores)('Engagement Score > Contact and Decay, on %s', (_, makeStore) => {
	let store: TestStore;
	beforeEach(async () => {
		store = makeStore();
		await createProfile(store, {
			id: 'lead',
			rules: [{ id: 'point', eventType: 'custom_point', conditions: [], points: 1 }, { id: 'ten', eventType: 'custom_ten', points: 10 }],
		});
		// c-low 1, c-mid 10, c-high 21, c-top 30; c-old inactive for 40 days at 20.
		await scoreEvents(store, 'lead', [
			{ contactId: 'c-low', type: 'custom_point' },
			{ contactId: 'c-mid', type: 'custom_ten' },
			{ contactId: 'c-high', type: 'custom_ten' },
			{ contactId: 'c-high', type: 'custom_ten' },
			{ contactId: 'c-high', type: 'custom_point' },
			{ contactId: 'c-top', type: 'custom_ten' },
			{ contactId: 'c-top', type: 'custom_ten' },
			{ contactId: 'c-top', type: 'custom_ten' },
			{ contactId: 'c-old', type: 'custom_ten', occurredAt: daysAgo(41) },
			{ contactId: 'c-old', type: 'custom_ten', occurredAt: daysAgo(40) },
		]);
	});

	const contactOperation = async (operation: string, parameters: Record<string, unknown> = {}) =>
		await runEngagementScore(store, { resource: 'contact', operation, profileId: profileLocator('lead'), ...parameters });

	test('Get returns the score and last activity; an unknown contact has 0 and found false', async () => {
		const known = await contactOperation('get', { contactId: 'c-old' });
		expect(known.json[0]).toMatchObject({ profileId: 'lead', contactId: 'c-old', score: 20, tier: 'medium', found: true });
		const lastActivity = DateTime.fromISO(known.json[0].lastActivityAt as string);
		expect(Math.round(DateTime.utc().diff(lastActivity, 'days').days)).toBe(40);

		const unknown = await contactOperation('get', { contactId: 'never-seen' });
		expect(unknown.json[0]).toMatchObject({ contactId: 'never-seen', found: false, score: 0, tier: 'veryLow' });
	});

	test('Get Many sorts by score both ways, filters by min/max and limits', async () => {
		const desc = await contactOperation('getMany', { returnAll: true });
		expect(desc.json.map((contact) => [contact.contactId, contact.score])).toEqual([
			['c-top', 30],
			['c-high', 21],
			['c-old', 20],
			['c-mid', 10],
			['c-low', 1],
		]);
		expect(desc.json.map((contact) => contact.tier)).toEqual(['medium', 'medium', 'medium', 'medium', 'low']);

		const asc = await contactOperation('getMany', { order: 'asc', limit: 2 });
		expect(asc.json.map((contact) => contact.contactId)).toEqual(['c-low', 'c-mid']);

		const band = await contactOperation('getMany', { returnAll: true, filters: { minScore: 10, maxScore: 21 } });
		expect(band.json.map((contact) => contact.contactId)).toEqual(['c-high', 'c-old', 'c-mid']);
	});

	test('Get Many filters by tier, last activity and first seen, with the score range', async () => {
		const filtered = async (filters: Record<string, unknown>, order = 'desc') =>
			(await contactOperation('getMany', { returnAll: true, order, filters })).json.map((contact) => contact.contactId);
		expect(await filtered({ tier: 'medium' })).toEqual(['c-top', 'c-high', 'c-old', 'c-mid']);
		expect(await filtered({ tier: 'low' })).toEqual(['c-low']);
		expect(await filtered({ tier: 'high' })).toEqual([]);
		expect(await filtered({ tier: 'medium', maxScore: 20 })).toEqual(['c-old', 'c-mid']);
		// c-old's last event was 40 days ago, everyone else's today.
		expect(await filtered({ lastActivityBefore: daysAgo(30) })).toEqual(['c-old']);
		expect(await filtered({ lastActivityAfter: daysAgo(30) }, 'asc')).toEqual(['c-low', 'c-mid', 'c-high', 'c-top']);
		expect(await filtered({ firstSeenBefore: daysAgo(35) })).toEqual(['c-old']);
		expect(await filtered({ firstSeenAfter: daysAgo(1), minScore: 21 })).toEqual(['c-top', 'c-high']);

		const contact = (await contactOperation('getMany', { limit: 1, filters: { firstSeenBefore: daysAgo(35) } })).json[0];
		expect(Math.round(DateTime.utc().diff(DateTime.fromISO(contact.firstSeenAt as string), 'days').days)).toBe(41);
	});

	test('Get Many names a bad filter by its label', async () => {
		const badTier = await contactOperation('getMany', { returnAll: true, filters: { tier: 'platinum' } });
		expect(badTier.error?.message).toMatch(/^Item 0: Tier: Unknown tier "platinum"/);
		const badDate = await contactOperation('getMany', { returnAll: true, filters: { lastActivityBefore: 'last tuesday' } });
		expect(badDate.error?.message).toMatch(/^Item 0: Last Activity Before: "last tuesday" is not a date/);
	});

	test('Get History explains the score, newest first', async () => {
		const history = await contactOperation('getHistory', { contactId: 'c-high', returnAll: true });
		expect(history.json.map((change) => [change.previousScore, change.delta, change.score])).toEqual([
			[20, 1, 21],
			[10, 10, 20],
			[0, 10, 10],
		]);
		expect(history.json[0].cause).toEqual({ kind: 'event', eventType: 'custom_point', ruleIds: ['point'], profileVersion: 1 });
		expect(history.json[0].at).toEqual(expect.stringMatching(/Z$/));

		const latest = await contactOperation('getHistory', { contactId: 'c-high', limit: 1 });
		expect(latest.json).toHaveLength(1);
	});

	test('Get History names each change\'s sequence number changeSeq, as the trigger does; a node saved at version 1 keeps seq', async () => {
		const current = await runEngagementScore(
			store,
			{ resource: 'contact', operation: 'getHistory', profileId: profileLocator('lead'), contactId: 'c-high', returnAll: true },
			undefined,
			{ typeVersion: 1.1 },
		);
		const seqs = current.json.map((change) => change.changeSeq as number);
		expect(seqs).toHaveLength(3);
		expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
		expect(new Set(seqs).size).toBe(3);
		expect(current.json.every((change) => !('seq' in change))).toBe(true);

		const saved = await runEngagementScore(
			store,
			{ resource: 'contact', operation: 'getHistory', profileId: profileLocator('lead'), contactId: 'c-high', returnAll: true },
			undefined,
			{ typeVersion: 1 },
		);
		expect(saved.json.map((change) => change.seq)).toEqual(seqs);
		expect(saved.json.every((change) => !('changeSeq' in change))).toBe(true);
	});

	test('Reset sets the score to 0 and records why; Delete forgets the contact', async () => {
		const reset = await contactOperation('reset', { contactId: 'c-top', reason: 'Became a customer' });
		expect(reset.json[0]).toMatchObject({ contactId: 'c-top', found: true, changed: true, previousScore: 30, score: 0 });
		expect(reset.json[0].at).toEqual(expect.stringMatching(/Z$/));
		const history = await contactOperation('getHistory', { contactId: 'c-top', returnAll: true });
		expect(history.json[0]).toMatchObject({ delta: -30, score: 0, cause: { kind: 'reset', reason: 'Became a customer' } });

		// Already at 0: a known contact, but nothing changes and nothing is added to its history.
		const again = await contactOperation('reset', { contactId: 'c-top', reason: 'Clicked reset twice' });
		expect(again.json[0]).toEqual({
			score: 0,
			delta: 0,
			contactId: 'c-top',
			previousScore: 0,
			found: true,
			changed: false,
			at: null,
			changeSeq: null,
			profileId: 'lead',
		});
		expect((await contactOperation('getHistory', { contactId: 'c-top', returnAll: true })).json).toEqual(history.json);
		const unknown = await contactOperation('reset', { contactId: 'never-seen' });
		expect(unknown.json[0]).toEqual({
			score: 0,
			delta: 0,
			contactId: 'never-seen',
			previousScore: 0,
			found: false,
			changed: false,
			at: null,
			changeSeq: null,
			profileId: 'lead',
		});

		const deleted = await contactOperation('delete', { contactId: 'c-mid' });
		expect(deleted.json[0]).toEqual({ profileId: 'lead', contactId: 'c-mid', deleted: true });
		expect((await contactOperation('get', { contactId: 'c-mid' })).json[0]).toMatchObject({ found: false, score: 0 });
		expect((await contactOperation('delete', { contactId: 'c-mid' })).json[0]).toMatchObject({ deleted: false });
	});

	test('a missing contact id fails naming the item and field', async () => {
		const run = await contactOperation('get', { contactId: '={{ $json.id }}' });
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Item 0: Contact ID: The contact id is required (a text or a number)');
	});

	test('Decay > Apply lowers only inactive contacts, never below the floor', async () => {
		const decay = async (parameters: Record<string, unknown>) =>
			await runEngagementScore(store, { resource: 'decay', operation: 'apply', profileId: profileLocator('lead'), ...parameters });

		const subtract = await decay({ mode: 'subtract', inactiveDays: 30, points: 15, floor: 8 });
		expect(subtract.error).toBeUndefined();
		expect(subtract.json[0]).toEqual({
			profileId: 'lead',
			mode: 'subtract',
			contactsInactive: 1,
			contactsDecayed: 1,
			totalDelta: -12,
		});
		expect(await contactScore(store, 'lead', 'c-old')).toBe(8);
		expect(await contactScore(store, 'lead', 'c-top')).toBe(30);

		const atFloor = await decay({ mode: 'multiply', inactiveDays: 30, factor: 0.5, floor: 8 });
		expect(atFloor.json[0]).toMatchObject({ contactsInactive: 1, contactsDecayed: 0, totalDelta: 0 });

		const multiply = await decay({ mode: 'multiply', inactiveDays: 30, factor: 0.5, floor: 0 });
		expect(multiply.json[0]).toMatchObject({ contactsDecayed: 1, totalDelta: -4 });
		expect(await contactScore(store, 'lead', 'c-old')).toBe(4);

		const history = await contactOperation('getHistory', { contactId: 'c-old', limit: 1 });
		expect(history.json[0]).toMatchObject({ delta: -4, cause: { kind: 'decay', mode: 'multiply' } });
	});

	test('Decay > Apply refuses "Inactive for 0 days" naming the field by its label, and decays nothing', async () => {
		const run = await runEngagementScore(store, {
			resource: 'decay',
			operation: 'apply',
			profileId: profileLocator('lead'),
			mode: 'subtract',
			inactiveDays: '={{ 0 }}',
			points: 5,
		});
		expect(run.error?.message).toMatch(/^Item 0: Inactive for \(Days\): The number of days must be a number more than 0/);
		expect(await contactScore(store, 'lead', 'c-old')).toBe(20);
	});

	test('Decay > Apply decays a profile once per execution, however many items come in', async () => {
		const run = await runEngagementScore(
			store,
			{ resource: 'decay', operation: 'apply', profileId: profileLocator('lead'), mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 },
			[{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }],
		);
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([{ profileId: 'lead', mode: 'subtract', contactsInactive: 1, contactsDecayed: 1, totalDelta: -5 }]);
		expect(await contactScore(store, 'lead', 'c-old')).toBe(15);
	});
});
