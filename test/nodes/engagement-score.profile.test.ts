
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { EVENT_TYPES } from '../../src/index';

import { callNodeMethod } from '../harness/run-workflow';
import {
	createProfile,
	ENGAGEMENT_SCORE_TYPE,
	nodeTypes,
	profileLocator,
	runEngagementScore,
	sqliteStoreIn,
	staticDataStore,
	storeParameters,
	tempFolder,
	type TestStore,
} from '../harness/engagement-score-nodes';

const folder = tempFolder();
afterAll(() => folder.cleanup());

const stores: Array<[string, () => TestStore]> = [
	['SQLite file', () => sqliteStoreIn(folder.path, `profiles-${Math.random().toString(36).slice(2)}.sqlite`)],
	['workflow static data', staticDataStore],
];

describe.each(stores)('Engagement Score > Profile, on %s', (_, makeStore) => {
	let store: TestStore;
	beforeEach(() => {
		store = makeStore();
	});

	const getProfile = async (profileId: string) =>
		await runEngagementScore(store, { resource: 'profile', operation: 'get', profileId: profileLocator(profileId) });

	test('Create with rules from the editor keeps them as a draft until published', async () => {
		const run = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'create',
			name: 'Lead Score',
			description: 'Marketing engagement',
			rulesSource: 'fields',
			rules: {
				rule: [
					{
						eventType: 'email_event',
						points: 5,
						description: 'Opened an email',
						conditions: { condition: [{ property: 'event', operator: 'equals', value: 'opened' }] },
					},
					{ eventType: 'custom', customEventType: 'Webinar_Attended', points: 20, id: 'webinar' },
					{
						eventType: 'contact_tag',
						points: -10,
						conditions: { condition: [{ property: 'tag', operator: 'exists', value: 'ignored' }] },
					},
				],
			},
		});

		expect(run.error).toBeUndefined();
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		const profile = run.json[0];
		expect(profile).toMatchObject({
			id: 'lead-score',
			name: 'Lead Score',
			description: 'Marketing engagement',
			status: 'draft',
			version: 0,
			publishedRules: null,
			publishedAt: null,
		});
		expect(profile.draftRules).toEqual([
			{
				id: 'rule-1',
				eventType: 'email_event',
				conditions: [{ property: 'event', operator: 'equals', value: 'opened' }],
				points: 5,
				description: 'Opened an email',
			},
			{ id: 'webinar', eventType: 'webinar_attended', conditions: [], points: 20 },
			{ id: 'rule-3', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'exists' }], points: -10 },
		]);
		expect(profile.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	});

	test('Update Draft, Publish, Unpublish and Get follow the draft/published life cycle', async () => {
		await createProfile(store, {
			id: 'p1',
			rules: [{ eventType: 'form_submitted', points: 3 }],
			publish: true,
		});

		const updated = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('p1'),
			updateFields: { name: 'Renamed' },
			rulesSource: 'json',
			rulesJson: '[{ "id": "big", "eventType": "form_submitted", "points": 30 }]',
		});
		expect(updated.error).toBeUndefined();
		expect(updated.json[0]).toMatchObject({
			name: 'Renamed',
			status: 'published',
			version: 1,
			draftRules: [{ id: 'big', points: 30 }],
			publishedRules: [{ id: 'rule-1', points: 3 }],
		});

		const keepRules = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('p1'),
			updateFields: { description: 'Only the description changes' },
			rulesSource: 'keep',
		});
		expect(keepRules.json[0]).toMatchObject({
			description: 'Only the description changes',
			draftRules: [{ id: 'big', points: 30 }],
		});

		const published = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'publish',
			profileId: profileLocator('p1'),
		});
		expect(published.json[0]).toMatchObject({ status: 'published', version: 2, publishedRules: [{ id: 'big' }] });
		expect(published.json[0].publishedAt).toEqual(expect.any(String));

		const unpublished = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'unpublish',
			profileId: profileLocator('p1'),
		});
		expect(unpublished.json[0]).toMatchObject({ status: 'draft', version: 2 });

		expect((await getProfile('p1')).json[0]).toMatchObject({ id: 'p1', name: 'Renamed', status: 'draft' });
	});

	test('Update Draft adds, updates or removes single rules and leaves the others as they are', async () => {
		await createProfile(store, {
			id: 'edits',
			rules: [
				{ id: 'opened', eventType: 'email_event', points: 5, conditions: [{ property: 'event', operator: 'equals', value: 'opened' }] },
				{ eventType: 'form_submitted', points: 3 },
			],
			publish: true,
		});
		const edit = async (parameters: Record<string, unknown>) =>
			await runEngagementScore(store, {
				resource: 'profile',
				operation: 'updateDraft',
				profileId: profileLocator('edits'),
				rulesSource: 'fields',
				...parameters,
			});

		const added = await edit({
			rulesEditMode: 'add',
			rules: { rule: [{ eventType: 'contact_tag', points: 20, conditions: { condition: [{ property: 'tag', operator: 'equals', value: 'VIP' }] } }] },
		});
		expect(added.error).toBeUndefined();
		expect(added.json[0].draftRules).toEqual([
			{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
			{ id: 'rule-2', eventType: 'form_submitted', conditions: [], points: 3 },
			{ id: 'rule-3', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'equals', value: 'VIP' }], points: 20 },
		]);

		const updated = await edit({ rulesEditMode: 'update', rules: { rule: [{ id: 'rule-2', eventType: 'form_submitted', points: 8 }] } });
		expect(updated.error).toBeUndefined();
		expect((updated.json[0].draftRules as Array<{ id: string; points: number }>).map((rule) => [rule.id, rule.points])).toEqual([
			['opened', 5],
			['rule-2', 8],
			['rule-3', 20],
		]);

		const removed = await edit({ rulesEditMode: 'remove', ruleIds: 'opened, rule-3' });
		expect(removed.error).toBeUndefined();
		expect(removed.json[0]).toMatchObject({ draftRules: [{ id: 'rule-2', points: 8 }], publishedRules: [{ id: 'opened' }, { id: 'rule-2', points: 3 }] });

		// Replace All Rules, the default, is what a saved workflow without Rule Changes still does.
		const replaced = await edit({ rules: { rule: [{ eventType: 'survey_submitted', points: 1 }] } });
		expect(replaced.json[0].draftRules).toEqual([{ id: 'rule-1', eventType: 'survey_submitted', conditions: [], points: 1 }]);
	});

	test('updating or removing a rule the draft lacks names the rule ID and the field, and changes nothing', async () => {
		await createProfile(store, { id: 'missing', rules: [{ id: 'opened', eventType: 'email_event', points: 5 }], publish: false });
		const update = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('missing'),
			updateFields: { name: 'Not renamed' },
			rulesSource: 'fields',
			rulesEditMode: 'update',
			rules: { rule: [{ id: 'opend', eventType: 'email_event', points: 9 }] },
		});
		expect(update.error?.message).toBe(
			'Item 0: Rules › rules[0].id: The draft has no rule with the ID "opend" (its rules: "opened")',
		);

		const remove = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('missing'),
			rulesSource: 'fields',
			rulesEditMode: 'remove',
			ruleIds: 'opened, gone',
		});
		expect(remove.error?.message).toBe(
			'Item 0: Rule IDs › ruleIds[1]: The draft has no rule with the ID "gone" (its rules: "opened")',
		);

		const add = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId: profileLocator('missing'),
			rulesSource: 'json',
			rulesEditMode: 'add',
			rulesJson: '[{ "id": "opened", "eventType": "email_event", "points": 1 }]',
		});
		expect(add.error?.message).toBe(
			'Item 0: Rules › rules[0].id: The draft already has a rule with the ID "opened"; update it instead',
		);

		expect((await getProfile('missing')).json[0]).toMatchObject({
			name: 'missing',
			draftRules: [{ id: 'opened', points: 5 }],
		});
	});

	test('Get Many lists the profiles side by side, filtered by status and limited', async () => {
		await createProfile(store, { id: 'a', rules: [], publish: true });
		await createProfile(store, { id: 'b', rules: [], publish: false });
		await createProfile(store, { id: 'c', rules: [], publish: true });

		const all = await runEngagementScore(store, { resource: 'profile', operation: 'getMany', returnAll: true });
		expect(all.json.map((profile) => profile.id).sort()).toEqual(['a', 'b', 'c']);
		expect(all.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		const published = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'getMany',
			returnAll: true,
			filters: { status: 'published' },
		});
		expect(published.json.map((profile) => profile.id).sort()).toEqual(['a', 'c']);

		const limited = await runEngagementScore(store, { resource: 'profile', operation: 'getMany', limit: 2 });
		expect(limited.json).toHaveLength(2);
	});

	test('Delete removes the profile; Get then fails naming the item and the profile field', async () => {
		await createProfile(store, { id: 'gone', rules: [] });
		const deleted = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'delete',
			profileId: profileLocator('gone'),
		});
		expect(deleted.json).toEqual([{ profileId: 'gone', deleted: true }]);

		const get = await getProfile('gone');
		expect(get.error?.name).toBe('NodeOperationError');
		expect(get.error?.message).toBe('Item 0: Score Profile: Score profile "gone" does not exist');
		expect(get.error?.context.itemIndex).toBe(0);
	});

	test('creating a profile id that exists fails naming the Profile ID field and keeps the existing profile', async () => {
		await createProfile(store, { id: 'taken', name: 'Original', rules: [] });
		const run = await runEngagementScore(store, {
			resource: 'profile',
			operation: 'create',
			name: 'Impostor',
			newProfileId: 'taken',
			rulesSource: 'json',
			rulesJson: '[]',
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Item 0: Profile ID: Score profile "taken" already exists. Choose another ID, or set "If Profile Exists" to keep it or update its draft',
		);
		expect((await getProfile('taken')).json[0]).toMatchObject({ name: 'Original' });
	});

	test('Create run again: "If Profile Exists" keeps the profile, or updates its draft and publishes it', async () => {
		const createAgain = (ifExists: string, rules: unknown[], publish = false) =>
			runEngagementScore(store, {
				resource: 'profile',
				operation: 'create',
				name: 'Lead Score',
				newProfileId: 'again',
				rulesSource: 'json',
				rulesJson: JSON.stringify(rules),
				ifExists,
				publish,
			});
		const opened = { id: 'opened', eventType: 'email_event', points: 5 };
		const clicked = { id: 'clicked', eventType: 'email_event', points: 10 };
		await createProfile(store, { id: 'again', name: 'Original', rules: [opened] });

		const kept = await createAgain('keep', [clicked], true);
		expect(kept.error).toBeUndefined();
		expect(kept.json[0]).toMatchObject({ id: 'again', name: 'Original', version: 1, draftRules: [{ id: 'opened' }] });

		const updated = await createAgain('updateDraft', [clicked], true);
		expect(updated.error).toBeUndefined();
		expect(updated.json[0]).toMatchObject({ id: 'again', name: 'Lead Score', status: 'published', version: 2 });
		expect((await getProfile('again')).json[0]).toMatchObject({ publishedRules: [{ id: 'clicked', points: 10 }] });

		const failed = await createAgain('fail', [opened]);
		expect(failed.error?.message).toMatch(/^Item 0: Profile ID: Score profile "again" already exists/);
		expect((await getProfile('again')).json[0]).toMatchObject({ name: 'Lead Score', version: 2 });
	});

	test('malformed rule JSON fails naming the item and the field, and nothing is written', async () => {
		const run = await runEngagementScore(
			store,
			{
				resource: 'profile',
				operation: 'create',
				name: '={{ $json.name }}',
				rulesSource: 'json',
				rulesJson: '={{ $json.rules }}',
			},
			[
				{ json: { name: 'Good', rules: '[]' } },
				{ json: { name: 'Broken', rules: '[{ "eventType": "form_submitted", "points": 5 ' } },
			],
		);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/^Item 1: Rules: The rules are not valid JSON/);
		expect(run.error?.context.itemIndex).toBe(1);
		expect((await getProfile('broken')).error?.message).toBe(
			'Item 0: Score Profile: Score profile "broken" does not exist',
		);
	});

	test('an unknown condition operator fails naming the rule field; with continueOnFail the other items go on', async () => {
		const run = await runEngagementScore(
			store,
			{
				resource: 'profile',
				operation: 'create',
				name: '={{ $json.name }}',
				rulesSource: 'json',
				rulesJson: '={{ JSON.stringify($json.rules) }}',
			},
			[
				{
					json: {
						name: 'Bad Operator',
						rules: [
							{ eventType: 'email_event', points: 1 },
							{ eventType: 'email_event', points: 1, conditions: [{ property: 'event', operator: 'startsWith', value: 'o' }] },
						],
					},
				},
				{ json: { name: 'Fine', rules: [{ eventType: 'email_event', points: 1 }] } },
			],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2);
		// The item carries the error itself, which is what routes it to n8n's error output.
		expect(run.items[0]).toEqual({
			json: {
				error: expect.stringMatching(/^Item 0: Rules › rules\[1\]\.conditions\[0\]\.operator: Unknown condition operator "startsWith"/),
			},
			error: expect.objectContaining({ name: 'NodeOperationError' }),
			pairedItem: { item: 0 },
		});
		expect(run.json[1]).toMatchObject({ id: 'fine', status: 'draft' });
		expect((await getProfile('bad-operator')).error).toBeDefined();
	});
});

describe('the demo profile (examples/0-set-up-demo-profile.json), built with the rule form', () => {
	test('creates its rules as the form shows them: In List values as lists, the webinar as a custom type', async () => {
		const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', '0-set-up-demo-profile.json'), 'utf8'));
		const node = workflow.nodes.find((candidate: { type: string }) => candidate.type === ENGAGEMENT_SCORE_TYPE);
		expect(node.parameters).toMatchObject({ rulesSource: 'fields' });
		expect(node.parameters.rulesJson).toBeUndefined();

		const run = await runEngagementScore(staticDataStore(), node.parameters);
		expect(run.error).toBeUndefined();
		const rules = run.json[0].draftRules as Array<{ id: string; eventType: string; conditions: unknown[]; points: number }>;
		expect(run.json[0]).toMatchObject({ id: 'lead-score', status: 'published' });
		expect(rules).toHaveLength(18);
		expect(new Set(rules.map((rule) => rule.eventType))).toEqual(
			new Set([...EVENT_TYPES.map((type) => type.id), 'webinar_attended']),
		);
		expect(rules.find((rule) => rule.id === 'email-lost')).toEqual({
			id: 'email-lost',
			eventType: 'email_event',
			conditions: [{ property: 'event', operator: 'in', value: ['bounced', 'unsubscribed', 'complained'] }],
			points: -15,
			description: 'Bounced or unsubscribed',
		});
		expect(rules.find((rule) => rule.id === 'large-payment')?.conditions).toEqual([
			{ property: 'amount', operator: 'greaterThanOrEqual', value: 500 },
		]);
	});
});

describe('the Score Profile picker', () => {
	test('lists the profiles of the store the node is set to, filtered by name or id, for list and options', async () => {
		const store = sqliteStoreIn(folder.path, 'picker.sqlite');
		await createProfile(store, { id: 'lead', name: 'Lead Score', rules: [], publish: true });
		await createProfile(store, { id: 'churn', name: 'Churn Risk', rules: [], publish: false });
		const otherStore = sqliteStoreIn(folder.path, 'picker-other.sqlite');
		await createProfile(otherStore, { id: 'elsewhere', rules: [] });

		const node = {
			name: 'Engagement Score',
			type: ENGAGEMENT_SCORE_TYPE,
			typeVersion: 1,
			parameters: { ...storeParameters(store), resource: 'event', operation: 'score' },
		};
		const all = await callNodeMethod<INodeListSearchResult>({ nodeTypes, node, kind: 'listSearch', method: 'searchProfiles' });
		expect(all.results).toEqual([
			{ name: 'Churn Risk (draft)', value: 'churn', description: undefined },
			{ name: 'Lead Score (published v1)', value: 'lead', description: undefined },
		]);

		const filtered = await callNodeMethod<INodeListSearchResult>({
			nodeTypes,
			node,
			kind: 'listSearch',
			method: 'searchProfiles',
			args: ['LEAD'],
		});
		expect(filtered.results.map((result) => result.value)).toEqual(['lead']);

		const options = await callNodeMethod<INodePropertyOptions[]>({ nodeTypes, node, kind: 'loadOptions', method: 'getProfileOptions' });
		expect(options.map((option) => option.value)).toEqual(['churn', 'lead']);
	});

	test('reads workflow static data when the node keeps its scores there', async () => {
		const store = staticDataStore();
		await createProfile(store, { id: 'local', name: 'Local Profile', rules: [] });
		const result = await callNodeMethod<INodeListSearchResult>({
			nodeTypes,
			node: { name: 'Engagement Score', type: ENGAGEMENT_SCORE_TYPE, typeVersion: 1, parameters: { store: 'workflowStaticData' } },
			kind: 'listSearch',
			method: 'searchProfiles',
			staticData: store.kind === 'workflowStaticData' ? store.staticData : {},
		});
		expect(result.results.map((entry) => entry.value)).toEqual(['local']);
	});
});
