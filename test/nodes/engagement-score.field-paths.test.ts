/**
 * Event > Score with Event Data "Map Fields by Path": the node reads the contact id, event type,
 * properties, occurred-at and event id from the item's own fields, through n8n-core's engine.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	contactScore,
	createProfile,
	profileLocator,
	runEngagementScore,
	sqliteStoreIn,
	staticDataStore,
	tempFolder,
	type TestStore,
} from '../harness/engagement-score-nodes';

const folder = tempFolder('field-paths-');
afterAll(() => folder.cleanup());

const stores: Array<[string, () => TestStore]> = [
	['SQLite file', () => sqliteStoreIn(folder.path, `paths-${Math.random().toString(36).slice(2)}.sqlite`)],
	['workflow static data', staticDataStore],
];

const rules = [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
	{ id: 'any-email', eventType: 'email_event', points: 1 },
	{ id: 'big-order', eventType: 'order_placed', conditions: [{ property: 'order.total', operator: 'greaterThan', value: 100 }], points: 25 },
];

/** A webhook's items: the event sits under `body`, as n8n's Webhook node delivers it. */
const webhookItems: IDataObject[] = [
	{ body: { contact: { id: 'c1' }, event: 'email_event', data: { event: 'opened' }, at: '2026-03-01T10:00:00+01:00', id: 'e1' } },
	{ body: { contact: { id: 'c1' }, event: 'Order Placed', data: '{"order":{"total":150}}', at: 1772355600000, id: 'e2' } },
	{ body: { contact: { id: 42 }, event: 'email_event', data: { event: 'clicked' }, at: null, id: null } },
	{ body: { contact: { id: 'c1' }, event: 'email_event', data: { event: 'opened' }, at: '2026-03-01T11:00:00Z', id: 'e1' } },
];

const pathParameters = (extra: IDataObject = {}): IDataObject => ({
	resource: 'event',
	operation: 'score',
	profileId: profileLocator('lead'),
	mapping: 'fieldPaths',
	contactIdField: 'body.contact.id',
	eventTypeField: 'body.event',
	propertiesField: 'body.data',
	occurredAtField: 'body.at',
	eventIdField: 'body.id',
	...extra,
});

describe.each(stores)('Event > Score, Map Fields by Path, on %s', (_, makeStore) => {
	let store: TestStore;
	beforeEach(async () => {
		store = makeStore();
		await createProfile(store, { id: 'lead', rules });
	});

	test('each mapped field is read from its path: scores, times, ids and dedupe as with any other mapping', async () => {
		const before = Date.now();
		const run = await runEngagementScore(store, pathParameters(), webhookItems.map((json) => ({ json })));

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.json.map((json) => [json.contactId, json.eventType, json.eventId, json.delta, json.score, json.duplicate])).toEqual([
			['c1', 'email_event', 'e1', 6, 6, false],
			['c1', 'order_placed', 'e2', 25, 31, false],
			['42', 'email_event', null, 1, 1, false],
			['c1', 'email_event', 'e1', 0, 31, true],
		]);
		expect(run.json[0].occurredAt).toBe('2026-03-01T09:00:00.000Z');
		expect(run.json[1].occurredAt).toBe('2026-03-01T09:00:00.000Z');
		// A field that is there but null means "not given": now, and no event id.
		expect(Date.parse(run.json[2].occurredAt as string)).toBeGreaterThanOrEqual(before - 1000);
		expect(await contactScore(store, 'lead', 'c1')).toBe(31);
	});

	test('scores exactly what Define Below with the same fields as expressions scores', async () => {
		const items = webhookItems.map((json) => ({ json }));
		const byPath = await runEngagementScore(store, pathParameters(), items);
		await createProfile(store, { id: 'lead-expressions', rules });
		const byExpression = await runEngagementScore(
			store,
			{
				resource: 'event',
				operation: 'score',
				profileId: profileLocator('lead-expressions'),
				mapping: 'defineBelow',
				contactId: '={{ $json.body.contact.id }}',
				eventType: 'custom',
				customEventType: '={{ $json.body.event }}',
				propertiesSource: 'json',
				propertiesJson: '={{ $json.body.data }}',
				occurredAt: '={{ $json.body.at }}',
				eventId: '={{ $json.body.id }}',
			},
			items,
		);
		expect(byExpression.error).toBeUndefined();
		// Another profile, so another place in the change log.
		const comparable = (json: IDataObject) => ({ ...json, profileId: undefined, occurredAt: undefined, changeSeq: undefined });
		expect(byPath.json.map(comparable)).toEqual(byExpression.json.map(comparable));
	});

	test('a path with no value in an item fails naming the item and the field by its label; nothing is written', async () => {
		const run = await runEngagementScore(store, pathParameters(), [
			{ json: webhookItems[0] },
			{ json: { body: { contact: {}, event: 'email_event', data: {}, at: null, id: null } } },
		]);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Item 1: Contact ID Field: no value at "body.contact.id"');
		expect(run.error?.context.itemIndex).toBe(1);
		expect(await contactScore(store, 'lead', 'c1')).toBe(0);
	});

	test('with continueOnFail each bad item carries its error, naming the field label, and the others are scored', async () => {
		const good = { contact: { id: 'c1' }, event: 'email_event', data: { event: 'opened' }, at: null, id: null };
		const run = await runEngagementScore(
			store,
			pathParameters(),
			[
				{ json: { body: good } },
				{ json: { body: { ...good, event: 'not a type!' } } },
				{ json: { body: { ...good, at: 'yesterday-ish' } } },
				{ json: { body: { contact: { id: 'c1' }, event: 'email_event', data: {}, id: null } } },
				{ json: { body: { ...good, data: [1, 2] } } },
				{ json: { body: { ...good, contact: { id: { nested: true } } } } },
				{ json: { body: good } },
			],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => json.error ?? json.score)).toEqual([
			6,
			expect.stringMatching(/^Item 1: Event Type Field: Event type "not a type!" is neither/),
			expect.stringMatching(/^Item 2: Occurred At Field: /),
			'Item 3: Occurred At Field: no value at "body.at"',
			'Item 4: Properties Field: The event properties must be an object of names and values',
			expect.stringMatching(/^Item 5: Contact ID Field: /),
			12,
		]);
		expect(await contactScore(store, 'lead', 'c1')).toBe(12);
	});

	test('optional fields left empty are not read; paths index into lists; a key the item lacks is no value, whatever Object has', async () => {
		const run = await runEngagementScore(
			store,
			pathParameters({ contactIdField: 'contacts[1]', eventTypeField: 'type', propertiesField: '', occurredAtField: '', eventIdField: '' }),
			[{ json: { contacts: ['c0', 'constructor'], type: 'email_event' } }],
		);
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ contactId: 'constructor', eventId: null, delta: 1 });

		const inherited = await runEngagementScore(store, pathParameters({ contactIdField: 'constructor' }), [{ json: webhookItems[0] }]);
		expect(inherited.error?.message).toBe('Item 0: Contact ID Field: no value at "constructor"');
		expect(await contactScore(store, 'lead', 'constructor')).toBe(1);
	});

	test('a path given as an expression is evaluated per item', async () => {
		const run = await runEngagementScore(store, pathParameters({ contactIdField: "={{ $json.source === 'crm' ? 'crm.contactId' : 'body.contact.id' }}" }), [
			{ json: webhookItems[0] },
			{ json: { ...webhookItems[2], source: 'crm', crm: { contactId: 'from-crm' } } },
		]);
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => json.contactId)).toEqual(['c1', 'from-crm']);
	});

	test('a required field path that an expression leaves empty is an error naming it (n8n itself refuses an empty one)', async () => {
		const run = await runEngagementScore(store, pathParameters({ eventTypeField: '={{ $json.typePath }}' }), [
			{ json: { ...webhookItems[0], typePath: 'body.event' } },
			{ json: webhookItems[0] },
		]);
		expect(run.error?.message).toBe('Item 1: Event Type Field: no field path given');
		expect(await contactScore(store, 'lead', 'c1')).toBe(0);
	});
});
