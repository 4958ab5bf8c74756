
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
	['SQLite file', () => sqliteStoreIn(folder.path, `events-${Math.random().toString(36).slice(2)}.sqlite`)],
	['workflow static data', staticDataStore],
];

const leadRules = [
	{
		id: 'opened',
		eventType: 'email_event',
		conditions: [{ property: 'event', operator: 'equals', value: 'opened' }],
		points: 5,
		description: 'Opened an email',
	},
	{ id: 'any-email', eventType: 'email_event', points: 1 },
	{ id: 'unsubscribed', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'unsubscribed' }], points: -10 },
	{ id: 'big-order', eventType: 'order_placed', conditions: [{ property: 'amount', operator: 'greaterThan', value: 100 }], points: 25 },
	{ id: 'vip', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'in', value: ['vip', 'champion'] }], points: 20 },
	{ id: 'webinar', eventType: 'webinar_attended', points: 15 },
];

/** Event > Score with every field mapped from the item by expressions, as users wire a webhook. */
const mappedScoreParameters = (profileId: string) => ({
	resource: 'event',
	operation: 'score',
	profileId: profileLocator(profileId),
	mapping: 'defineBelow',
	contactId: '={{ $json.contact.id }}',
	eventType: 'email_event',
	propertiesSource: 'fields',
	properties: { property: [{ name: 'event', value: '={{ $json.what }}' }] },
	occurredAt: '={{ $json.at }}',
	eventId: '={{ $json.eventId }}',
});

describe.each(stores)('Engagement Score > Event > Score, on %s', (_, makeStore) => {
	let store: TestStore;
	beforeEach(async () => {
		store = makeStore();
		await createProfile(store, { id: 'lead', rules: leadRules });
	});

	test('fields mapped from each item score against every matching rule, with the matched rules in the output', async () => {
		const run = await runEngagementScore(store, mappedScoreParameters('lead'), [
			{ json: { contact: { id: 'c1' }, what: 'opened', at: '2026-03-01T10:00:00+01:00', eventId: 'e1' } },
			{ json: { contact: { id: 'c1' }, what: 'clicked', at: 1772355600000, eventId: '' } },
			{ json: { contact: { id: 'c2' }, what: 'unsubscribed', at: '', eventId: 'e3' } },
		]);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.json[0]).toEqual({
			profileId: 'lead',
			contactId: 'c1',
			eventType: 'email_event',
			eventId: 'e1',
			occurredAt: '2026-03-01T09:00:00.000Z',
			duplicate: false,
			scored: true,
			recorded: true,
			previousScore: 0,
			score: 6,
			delta: 6,
			matchedRuleIds: ['opened', 'any-email'],
			matchedRules: [
				{ id: 'opened', eventType: 'email_event', points: 5, description: 'Opened an email' },
				{ id: 'any-email', eventType: 'email_event', points: 1 },
			],
			limitedRuleIds: [],
			changeSeq: expect.any(Number),
		});
		expect(run.json[1]).toMatchObject({ contactId: 'c1', eventId: null, previousScore: 6, score: 7, delta: 1, occurredAt: '2026-03-01T09:00:00.000Z' });
		expect(run.json[2]).toMatchObject({ contactId: 'c2', previousScore: 0, score: -9, delta: -9, matchedRuleIds: ['any-email', 'unsubscribed'] });
		expect(await contactScore(store, 'lead', 'c1')).toBe(7);
	});

	test('items used as events score custom types, numbers and lists; an event id counts once', async () => {
		const first = await scoreEvents(store, 'lead', [
			{ contactId: 'c1', type: 'Order Placed', properties: { amount: '150.5' }, id: 'o-1' },
			{ contactId: 'c1', type: 'contact_tag', properties: { tag: 'VIP' } },
			{ contactId: 'c1', type: 'WEBINAR_ATTENDED' },
			{ contactId: 42, type: 'order_placed', properties: { amount: 99 } },
		]);
		expect(first.error).toBeUndefined();
		expect(first.json.map((json) => [json.contactId, json.delta, json.score])).toEqual([
			['c1', 25, 25],
			['c1', 20, 45],
			['c1', 15, 60],
			['42', 0, 0],
		]);

		const retried = await scoreEvents(store, 'lead', [{ contactId: 'c1', type: 'order_placed', properties: { amount: 150.5 }, id: 'o-1' }]);
		expect(retried.json[0]).toMatchObject({ duplicate: true, delta: 0, previousScore: 60, score: 60, eventId: 'o-1' });
		expect(await contactScore(store, 'lead', 'c1')).toBe(60);
	});

	test('contact ids such as __proto__ and constructor are ordinary contacts', async () => {
		const run = await scoreEvents(store, 'lead', [
			{ contactId: '__proto__', type: 'webinar_attended' },
			{ contactId: 'constructor', type: 'webinar_attended' },
			{ contactId: '__proto__', type: 'webinar_attended' },
		]);
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => [json.contactId, json.score])).toEqual([
			['__proto__', 15],
			['constructor', 15],
			['__proto__', 30],
		]);
		expect(await contactScore(store, 'lead', '__proto__')).toBe(30);
		expect(({} as Record<string, unknown>).score).toBeUndefined();
	});

	test('a missing contact id stops the run naming the item and field, and nothing of the batch is written', async () => {
		const run = await runEngagementScore(store, mappedScoreParameters('lead'), [
			{ json: { contact: { id: 'c1' }, what: 'opened' } },
			{ json: { contact: {}, what: 'opened' } },
		]);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Item 1: Contact ID: The contact id is required (a text or a number)');
		expect(run.error?.context.itemIndex).toBe(1);
		expect(await contactScore(store, 'lead', 'c1')).toBe(0);
	});

	test('with continueOnFail a bad item carries its error while the other items are scored', async () => {
		const run = await scoreEvents(
			store,
			'lead',
			[
				{ contactId: 'c1', type: 'webinar_attended' },
				{ contactId: 'c2', type: 'not a type!' },
				{ contactId: 'c3', type: 'webinar_attended', occurredAt: 'yesterday-ish' },
				{ contactId: 'c4', type: 'webinar_attended' },
			],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.json[0]).toMatchObject({ contactId: 'c1', score: 15 });
		expect(run.json[1]).toEqual({ error: expect.stringMatching(/^Item 1: type: Event type "not a type!"/) });
		expect(run.json[2]).toEqual({ error: expect.stringMatching(/^Item 2: occurredAt: /) });
		expect(run.json[3]).toMatchObject({ contactId: 'c4', score: 15 });
		expect(await contactScore(store, 'lead', 'c2')).toBe(0);
	});

	test('an unknown profile fails naming the profile field; nothing is written', async () => {
		const run = await scoreEvents(store, 'nope', [{ contactId: 'c1', type: 'webinar_attended' }]);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Item 0: Score Profile: Score profile "nope" does not exist');
	});

	test('an unpublished profile records events without scoring them, keeping its scores', async () => {
		await scoreEvents(store, 'lead', [{ contactId: 'c1', type: 'webinar_attended' }]);
		await runEngagementScore(store, { resource: 'profile', operation: 'unpublish', profileId: profileLocator('lead') });

		const run = await scoreEvents(store, 'lead', [{ contactId: 'c1', type: 'webinar_attended' }]);
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ scored: false, recorded: true, score: 15, delta: 0, matchedRuleIds: [], changeSeq: null });
		expect(await contactScore(store, 'lead', 'c1')).toBe(15);
	});

	test('with If the Profile Is Not Published: Fail the Items, an unpublished profile fails each item', async () => {
		await runEngagementScore(store, { resource: 'profile', operation: 'unpublish', profileId: profileLocator('lead') });
		const failing = { resource: 'event', operation: 'score', profileId: profileLocator('lead'), mapping: 'autoMap', ifNotPublished: 'fail' };
		const items = [{ json: { contactId: 'c1', type: 'webinar_attended' } }, { json: { contactId: 'c2', type: 'webinar_attended' } }];

		const run = await runEngagementScore(store, failing, items);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/^Item 0: Score Profile: Score profile "lead" is not published/);

		const tolerant = await runEngagementScore(store, failing, items, { continueOnFail: true });
		expect(tolerant.json).toEqual([
			{ error: expect.stringMatching(/^Item 0: Score Profile: .*is not published/) },
			{ error: expect.stringMatching(/^Item 1: Score Profile: .*is not published/) },
		]);
		expect(await contactScore(store, 'lead', 'c1')).toBe(0);
	});

	test('a draft edit does not change scoring until it is published', async () => {
		await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('lead'),
			rulesSource: 'json',
			rulesJson: JSON.stringify([{ id: 'webinar', eventType: 'webinar_attended', points: 100 }]),
		});
		const before = await scoreEvents(store, 'lead', [{ contactId: 'c1', type: 'webinar_attended' }]);
		expect(before.json[0]).toMatchObject({ delta: 15 });

		// Published with recalculation (the default), the webinar already recorded counts 100 too.
		await runEngagementScore(store, { resource: 'profile', operation: 'publish', profileId: profileLocator('lead') });
		const after = await scoreEvents(store, 'lead', [{ contactId: 'c1', type: 'webinar_attended' }]);
		expect(after.json[0]).toMatchObject({ delta: 100, score: 200 });
	});
});
