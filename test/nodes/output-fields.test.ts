/**
 * What users see in n8n's table view: the columns follow the keys of the output items, in order.
 * Score and delta come first, ids and times last, every item of an operation has the same keys,
 * and Include Other Input Fields passes the incoming item's own fields on (as n8n's Set node does).
 * Real workflows through n8n-core on a real SQLite file.
 */
import type { IDataObject } from 'n8n-workflow';

import { ENGAGEMENT_SCORE_TYPE, freshStore, MODIFY_TYPE, runOn, type AnyStore } from '../harness/any-store';
import { profileLocator, tempFolder } from '../harness/engagement-score-nodes';

const folder = tempFolder('output-fields-');
afterAll(() => folder.cleanup());

let store: AnyStore;
const profileId = profileLocator('lead');

const engagementScore = async (parameters: IDataObject, items = [{ json: {} }]) => {
	const run = await runOn(store, ENGAGEMENT_SCORE_TYPE, parameters, items, { typeVersion: 1.1 });
	if (run.error) throw run.error;
	return run;
};
const modify = async (parameters: IDataObject, items = [{ json: {} }]) => {
	const run = await runOn(store, MODIFY_TYPE, { profileId, operation: 'add', points: 5, ...parameters }, items, { typeVersion: 1.1 });
	if (run.error) throw run.error;
	return run;
};

beforeEach(async () => {
	store = freshStore('sqlite', folder.path);
	await engagementScore({
		resource: 'profile',
		operation: 'create',
		name: 'Lead',
		newProfileId: 'lead',
		rulesSource: 'json',
		rulesJson: JSON.stringify([
			{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5, description: 'Opened an email' },
			{ id: 'any-email', eventType: 'email_event', points: 1 },
		]),
		publish: true,
	});
});

const scoreParameters = (extra: IDataObject = {}) => ({ resource: 'event', operation: 'score', profileId, mapping: 'autoMap', ...extra });

describe('output fields in the order the table view shows them', () => {
	test('Event > Score: score and delta first, then the contact and why, ids and times last; the same keys on every item', async () => {
		const run = await engagementScore(scoreParameters(), [
			{ json: { contactId: 'ann', type: 'email_event', properties: { event: 'opened' }, id: 'e1' } },
			{ json: { contactId: 'bob', type: 'email_event' } },
		]);
		const keys = [
			'score',
			'delta',
			'contactId',
			'previousScore',
			'matchedRules',
			'limitedRuleIds',
			'duplicate',
			'scored',
			'recorded',
			'eventType',
			'matchedRuleIds',
			'eventId',
			'occurredAt',
			'changeSeq',
			'profileId',
		];
		expect(run.json.map((json) => Object.keys(json))).toEqual([keys, keys]);
		expect(run.json[0]).toMatchObject({ score: 6, delta: 6, contactId: 'ann', eventId: 'e1' });
		// An event without an id keeps the key, as null: the column and $json.eventId are always there.
		expect(run.json[1]).toMatchObject({ score: 1, delta: 1, contactId: 'bob', eventId: null });
	});

	test('Modify, Contact > Get, Get Many, Get History, Reset and Decay lead with the score (or what decay did)', async () => {
		const modified = await modify({ contactId: 'ann', reason: 'Webinar' });
		expect(Object.keys(modified.json[0])).toEqual(['score', 'delta', 'contactId', 'previousScore', 'operation', 'reason', 'at', 'changeSeq', 'profileId']);

		const contactKeys = ['score', 'tier', 'groups', 'topGroup', 'contactId', 'lastActivityAt', 'firstSeenAt', 'updatedAt', 'profileId'];
		const get = await engagementScore({ resource: 'contact', operation: 'get', profileId, contactId: 'ann' });
		const unknown = await engagementScore({ resource: 'contact', operation: 'get', profileId, contactId: 'nobody' });
		const withFound = ['score', 'tier', 'groups', 'topGroup', 'contactId', 'found', 'lastActivityAt', 'firstSeenAt', 'updatedAt', 'profileId'];
		expect(Object.keys(get.json[0])).toEqual(withFound);
		expect(Object.keys(unknown.json[0])).toEqual(withFound);
		expect(get.json[0]).toMatchObject({ score: 5, found: true, firstSeenAt: modified.json[0].at });
		expect(unknown.json[0]).toMatchObject({ score: 0, found: false, firstSeenAt: null, groups: {}, topGroup: null });

		const many = await engagementScore({ resource: 'contact', operation: 'getMany', profileId, returnAll: true });
		expect(Object.keys(many.json[0])).toEqual(contactKeys);

		const history = await engagementScore({ resource: 'contact', operation: 'getHistory', profileId, contactId: 'ann', returnAll: true });
		expect(Object.keys(history.json[0])).toEqual(['score', 'delta', 'cause', 'previousScore', 'at', 'changeSeq', 'contactId', 'profileId']);
		// One change, one number: what Modify reported is what the history says.
		expect(history.json[0].changeSeq).toBe(modified.json[0].changeSeq);

		const resetKeys = ['score', 'delta', 'contactId', 'previousScore', 'found', 'changed', 'at', 'changeSeq', 'profileId'];
		const reset = await engagementScore({ resource: 'contact', operation: 'reset', profileId, contactId: 'ann' });
		expect(Object.keys(reset.json[0])).toEqual(resetKeys);
		expect(reset.json[0]).toMatchObject({ score: 0, delta: -5, previousScore: 5, changed: true });
		const resetUnknown = await engagementScore({ resource: 'contact', operation: 'reset', profileId, contactId: 'nobody' });
		expect(Object.keys(resetUnknown.json[0])).toEqual(resetKeys);

		const decay = await engagementScore({ resource: 'decay', operation: 'apply', profileId, mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 });
		expect(Object.keys(decay.json[0])).toEqual(['contactsDecayed', 'totalDelta', 'contactsInactive', 'mode', 'profileId']);
	});
});

describe('Include Other Input Fields', () => {
	const incoming = { json: { contactId: 'ann', type: 'email_event', properties: { event: 'opened' }, email: 'ann@example.com', score: 'from the CRM' } };

	test('off by default: the output holds the node\'s fields only, as before', async () => {
		const run = await engagementScore(scoreParameters(), [incoming]);
		expect(run.json[0]).not.toHaveProperty('email');
		expect(run.json[0].score).toBe(6);
	});

	test('Event > Score keeps every input field after its own; a field of the same name keeps the node\'s value', async () => {
		const run = await engagementScore(scoreParameters({ includeOtherFields: true }), [incoming]);
		const keys = Object.keys(run.json[0]);
		expect(keys.slice(0, 2)).toEqual(['score', 'delta']);
		expect(keys.slice(-3)).toEqual(['type', 'properties', 'email']);
		expect(run.json[0]).toMatchObject({ score: 6, email: 'ann@example.com', properties: { event: 'opened' } });
		// A copy: changing the output in a later node cannot change the input item.
		(run.json[0].properties as Record<string, unknown>).event = 'changed';
		expect(incoming.json.properties.event).toBe('opened');
	});

	test('Selected and All Except pick the input fields by name', async () => {
		const selected = await engagementScore(scoreParameters({ includeOtherFields: true, include: 'selected', includeFields: 'email, nothing' }), [incoming]);
		expect(selected.json[0].email).toBe('ann@example.com');
		expect(selected.json[0]).not.toHaveProperty('properties');
		expect(selected.json[0]).not.toHaveProperty('nothing');

		const except = await engagementScore(scoreParameters({ includeOtherFields: true, include: 'except', excludeFields: 'properties,type' }), [incoming]);
		expect(except.json[0].email).toBe('ann@example.com');
		expect(except.json[0]).not.toHaveProperty('properties');
		expect(except.json[0]).not.toHaveProperty('type');
	});

	test('Modify keeps the incoming item\'s fields, each output with its own item\'s', async () => {
		const run = await modify({ contactId: '={{ $json.id }}', includeOtherFields: true }, [
			{ json: { id: 'ann', email: 'ann@example.com' } },
			{ json: { id: 'bob', email: 'bob@example.com' } },
		]);
		expect(run.json.map((json) => [json.contactId, json.score, json.email])).toEqual([
			['ann', 5, 'ann@example.com'],
			['bob', 5, 'bob@example.com'],
		]);
		expect(Object.keys(run.json[0]).slice(0, 2)).toEqual(['score', 'delta']);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
