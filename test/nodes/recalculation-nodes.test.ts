/**
 * Recalculation on publish, Preview Draft and Explain Score through n8n-core's execution engine,
 * on every store; the trigger's Include Recalculations through n8n-core's trigger machinery.
 */
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { EngagementEngine } from '../../src/engine';
import { publishedForRecalculation } from '../../src/recalculation';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { type AnyStore, createProfileOn, ENGAGEMENT_SCORE_TYPE, freshStore, MODIFY_TYPE, runOn, type StoreName } from '../harness/any-store';
import { PACKAGE, profileLocator, tempFolder } from '../harness/engagement-score-nodes';
import { activateTrigger, type ActiveTrigger } from '../harness/trigger-harness';
import { RedisTestServer } from '../helpers/redis-server';

const folder = tempFolder('recalculation-nodes-');
let redis: RedisTestServer | undefined;
afterAll(async () => {
	await redis?.destroy();
	folder.cleanup();
});

const opened = (points: number, extra: IDataObject = {}) => ({
	id: 'opened',
	eventType: 'email_event',
	conditions: [{ property: 'event', operator: 'equals', value: 'opened' }],
	points,
	...extra,
});
const clicked = { id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 };
const profileId = profileLocator('lead');

const STORES: StoreName[] = ['sqlite', 'workflowStaticData', 'redis'];

describe.each(STORES)('Recalculation through the nodes, on %s', (name) => {
	let store: AnyStore;

	beforeEach(async () => {
		if (name === 'redis') redis ??= await RedisTestServer.start();
		store = freshStore(name, folder.path, redis);
	});

	const engagementScore = async (parameters: IDataObject, items = [{ json: {} }]) => {
		const run = await runOn(store, ENGAGEMENT_SCORE_TYPE, parameters, items);
		if (run.error) throw run.error;
		return run.json;
	};
	const scoreEvents = (events: IDataObject[]) =>
		engagementScore({ resource: 'event', operation: 'score', profileId, mapping: 'autoMap' }, events.map((json) => ({ json })));
	const updateRules = (rules: unknown[]) =>
		engagementScore({ resource: 'profile', operation: 'updateDraft', profileId, rulesSource: 'json', rulesJson: JSON.stringify(rules) });
	const ann = (event: string) => ({ contactId: 'ann', type: 'email_event', properties: { event } });
	const bob = (event: string) => ({ contactId: 'bob', type: 'email_event', properties: { event } });

	test('Publish recalculates every contact from its recorded events by default and says what it changed', async () => {
		await createProfileOn(store, 'lead', [opened(5)]);
		await scoreEvents([ann('opened'), ann('clicked'), bob('opened')]);
		await updateRules([opened(1), clicked]);

		const [published] = await engagementScore({ resource: 'profile', operation: 'publish', profileId });

		expect(published).toMatchObject({ version: 2, recalculation: { contactsRecalculated: 2, contactsChanged: 2, totalDelta: 11 - 5 + 1 - 5 }, pendingRecalculation: null });
		const [contact] = await engagementScore({ resource: 'contact', operation: 'get', profileId, contactId: 'ann' });
		expect(contact.score).toBe(11);
		const [latest] = await engagementScore({ resource: 'contact', operation: 'getHistory', profileId, contactId: 'ann' });
		expect(latest).toMatchObject({ delta: 6, cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 } });
	});

	test('Publish with Recalculate Scores From Recorded Events off leaves every score as it is', async () => {
		await createProfileOn(store, 'lead', [opened(5)]);
		await scoreEvents([ann('opened')]);
		await updateRules([opened(1)]);

		const [published] = await engagementScore({ resource: 'profile', operation: 'publish', profileId, recalculate: false });

		expect(published).toMatchObject({ version: 2, recalculation: null });
		const [contact] = await engagementScore({ resource: 'contact', operation: 'get', profileId, contactId: 'ann' });
		expect(contact.score).toBe(5);
	});

	test('Profile Get shows a recalculation still to finish, and the first publish scores what a draft recorded', async () => {
		await createProfileOn(store, 'lead', [opened(5)], false);
		const [recorded] = await scoreEvents([ann('opened')]);
		expect(recorded).toMatchObject({ scored: false, recorded: true });
		await store.read(async (direct) => {
			await direct.updateProfile('lead', (profile) => publishedForRecalculation(profile, Date.now(), true));
		});

		const [profile] = await engagementScore({ resource: 'profile', operation: 'get', profileId });

		expect(profile.pendingRecalculation).toEqual({
			fromVersion: 0,
			toVersion: 1,
			startedAt: expect.any(String),
			lastProgressAt: expect.any(String),
			doneThroughContactId: null,
		});
		// A write that touches the contact recalculates it first: its recorded event is scored, then the new one.
		const [scored] = await scoreEvents([ann('opened')]);
		expect(scored).toMatchObject({ previousScore: 5, score: 10 });
	});

	test('Preview Draft lists the contacts the draft would change, largest change first, then a summary, and writes nothing', async () => {
		await createProfileOn(store, 'lead', [opened(5)]);
		const events = [ann('opened'), ann('clicked'), bob('opened'), { contactId: 'cem', type: 'email_event', properties: { event: 'clicked' } }];
		for (let index = 0; index < 10; index++) events.push(bob('opened'));
		await scoreEvents(events);
		await updateRules([opened(5), { ...clicked, points: 50 }]);
		const before = await engagementScore({ resource: 'contact', operation: 'getMany', profileId, returnAll: true });

		const items = await engagementScore({ resource: 'profile', operation: 'previewDraft', profileId, limit: 1, thresholds: '50, 80' });

		expect(items).toEqual([
			{ type: 'contact', contactId: 'ann', liveScore: 5, draftScore: 55, difference: 50, liveTier: 'low', draftTier: 'high', profileId: 'lead' },
			{
				type: 'summary',
				contacts: 3,
				contactsChanged: 2,
				totalDifference: 100,
				tiers: { high: { live: 1, draft: 3 }, medium: { live: 0, draft: 0 }, low: { live: 1, draft: 0 }, veryLow: { live: 1, draft: 0 } },
				thresholds: [
					{ threshold: 50, newlyAtOrAbove: 2, newlyBelow: 0 },
					{ threshold: 80, newlyAtOrAbove: 0, newlyBelow: 0 },
				],
				profileId: 'lead',
			},
		]);
		expect(await engagementScore({ resource: 'contact', operation: 'getMany', profileId, returnAll: true })).toEqual(before);
	});

	test('Preview Draft names the Thresholds field when one is not a number', async () => {
		await createProfileOn(store, 'lead', [opened(5)]);
		const run = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'previewDraft', profileId, thresholds: '50, lots' });
		expect(run.error?.message).toContain('Thresholds');
		expect(run.error?.message).toContain('lots');
	});

	test('Preview Draft names the Limit field when it is not a whole number, and a threshold beyond the score range', async () => {
		await createProfileOn(store, 'lead', [opened(5)]);
		const negative = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'previewDraft', profileId, limit: -1 });
		expect(negative.error?.message).toMatch(/^Item 0: Limit: /);
		const fraction = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'previewDraft', profileId, limit: 2.5 });
		expect(fraction.error?.message).toMatch(/^Item 0: Limit: /);
		const beyond = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'previewDraft', profileId, thresholds: '50, 2000000000' });
		expect(beyond.error?.message).toMatch(/^Item 0: Thresholds: .*2000000000/);
	});

	test('Explain Score says what makes up a score, adding up to it exactly', async () => {
		await createProfileOn(store, 'lead', [opened(5, { group: 'marketing', counts: 'once' }), clicked]);
		await scoreEvents([ann('opened'), ann('opened'), ann('clicked')]);
		await engagementScore({ resource: 'contact', operation: 'reset', profileId, contactId: 'ann' });
		await scoreEvents([ann('clicked')]);
		const modify = await runOn(store, MODIFY_TYPE, { profileId, contactId: 'ann', operation: 'add', points: 3, reason: 'call' });
		expect(modify.error).toBeUndefined();

		const [explained] = await engagementScore({ resource: 'contact', operation: 'explainScore', profileId, contactId: 'ann' });

		expect(explained).toMatchObject({
			score: 13,
			contactId: 'ann',
			carried: null,
			manual: [{ operation: 'add', points: 3, effect: 3, reason: 'call' }],
			resets: [{ effect: -15 }],
			heldBack: { limitedEvents: 1 },
			profileId: 'lead',
		});
		const rules = explained.rules as IDataObject[];
		expect(rules.map(({ ruleId, events, points, limitedEvents }) => ({ ruleId, events, points, limitedEvents }))).toEqual([
			{ ruleId: 'opened', events: 1, points: 5, limitedEvents: 1 },
			{ ruleId: 'clicked', events: 2, points: 20, limitedEvents: 0 },
		]);
		const parts = [...rules.map((rule) => rule.points), ...(explained.manual as IDataObject[]).map((step) => step.effect), ...(explained.resets as IDataObject[]).map((step) => step.effect)];
		expect((parts as number[]).reduce((sum, part) => sum + part, 0)).toBe(13);
	});
});

describe('Engagement Score Trigger: Include Recalculations', () => {
	let trigger: ActiveTrigger | undefined;
	afterEach(async () => {
		await trigger?.deactivate();
		trigger = undefined;
	});

	test.each([
		[true, ['event', 'recalculation']],
		[false, ['event']],
	])('with Include Recalculations %s, fires on the changes of those causes', async (includeRecalculations, causes) => {
		const databasePath = join(folder.path, `trigger-${String(includeRecalculations)}.sqlite`);
		const engine = new EngagementEngine(SqliteStore.open(databasePath));
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [opened(5)] });
		await engine.publish('lead');
		trigger = await activateTrigger({
			type: `${PACKAGE}.engagementScoreChangeTrigger`,
			nodeType: new EngagementScoreTrigger(),
			parameters: {
				store: 'sqlite',
				databasePath,
				profileId,
				conditions: { condition: [{ operator: 'gte', value: 0 }] },
				combinator: 'and',
				mode: 'everyChange',
				options: { includeRecalculations },
			},
			workflowId: `wf-recalculations-${String(includeRecalculations)}`,
		});

		await engine.scoreEvents('lead', [{ contactId: 'ann', type: 'email_event', properties: { event: 'opened' } }]);
		await engine.updateDraft('lead', { rules: [opened(7)] });
		await engine.publish('lead');
		// A last change that fires either way, so that waiting for it shows everything before it.
		await engine.modifyScore('lead', { contactId: 'ann', operation: 'add', points: 1 });

		const items = await trigger.waitForItems(causes.length + 1, 10_000);
		expect(items.map((item) => (item.cause as IDataObject).kind)).toEqual([...causes, 'modify']);
	});
});
