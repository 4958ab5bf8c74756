/**
 * What manual add / subtract / set, Reset and Decay do to groups, as README and
 * docs/scoring-rules.md say it, one test per sentence: real workflows (Modify Engagement Score,
 * Engagement Score's Contact and Decay operations) through n8n-core's engine on a real SQLite file.
 */
import type { IDataObject } from 'n8n-workflow';

import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import {
	PACKAGE,
	profileLocator,
	runEngagementScore,
	scoreEvents,
	sqliteStoreIn,
	storeParameters,
	tempFolder,
	type TestStore,
} from '../harness/engagement-score-nodes';
import { runWorkflow } from '../harness/run-workflow';

const MODIFY_TYPE = `${PACKAGE}.modifyEngagementScore`;
const DAY = 86_400_000;
const RULES = [
	{ id: 'email', eventType: 'email_event', points: 10, group: 'Email' },
	{ id: 'webinar', eventType: 'webinar_attended', points: 10, group: 'Events', counts: 'once' },
	{ id: 'demo', eventType: 'appointment_booked', points: 30, group: 'Sales', expiresAfterDays: 60 },
	{ id: 'form', eventType: 'form_submitted', points: 10 },
	{ id: 'penalty', eventType: 'email_bounced', points: -10 },
];

const folder = tempFolder('groups-manual-');
afterAll(() => folder.cleanup());
let store: TestStore;
let files = 0;

async function createProfile(scoringSettings: IDataObject) {
	const run = await runEngagementScore(store, {
		resource: 'profile',
		operation: 'create',
		name: 'Lead',
		newProfileId: 'lead',
		rulesSource: 'json',
		rulesJson: JSON.stringify(RULES),
		scoringSettings,
		publish: true,
	});
	expect(run.error).toBeUndefined();
}

const ZERO_TO_100 = { minScore: 0, maxScore: 100 };

beforeEach(() => {
	store = sqliteStoreIn(folder.path, `groups-${++files}.sqlite`);
});

async function score(contactId: string, type: string, occurredAt = Date.now()) {
	const run = await scoreEvents(store, 'lead', [{ contactId, type, occurredAt: new Date(occurredAt).toISOString() }]);
	expect(run.error).toBeUndefined();
	return run.json[0];
}

async function modify(contactId: string, operation: string, points: number) {
	const run = await runWorkflow({
		nodeTypes: { [MODIFY_TYPE]: new ModifyEngagementScore() },
		nodes: [
			{
				name: 'Modify',
				type: MODIFY_TYPE,
				typeVersion: 1,
				parameters: { ...storeParameters(store), profileId: profileLocator('lead'), contactId, operation, points },
			},
		],
		items: [{ json: {} }],
	});
	expect(run.error).toBeUndefined();
	return run.output('Modify')[0].json;
}

async function contact(contactId: string) {
	const run = await runEngagementScore(store, { resource: 'contact', operation: 'get', profileId: profileLocator('lead'), contactId });
	expect(run.error).toBeUndefined();
	const { score: total, groups, topGroup } = run.json[0];
	return { score: total, groups, topGroup };
}

async function decay(parameters: IDataObject) {
	const run = await runEngagementScore(store, { resource: 'decay', operation: 'apply', profileId: profileLocator('lead'), inactiveDays: 30, ...parameters });
	expect(run.error).toBeUndefined();
	return run.json[0];
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

test('Add and Subtract change the ungrouped points only, held to the profile limits', async () => {
	await createProfile(ZERO_TO_100);
	await score('ann', 'email_event');
	expect(await modify('ann', 'add', 5)).toMatchObject({ score: 15 });
	expect(await contact('ann')).toMatchObject({ score: 15, groups: { Email: 10 }, topGroup: 'Email' });
	expect(await modify('ann', 'add', 500)).toMatchObject({ score: 100, delta: 85 });
	expect(await modify('ann', 'subtract', 500)).toMatchObject({ score: 0, delta: -100 });
	expect(await contact('ann')).toMatchObject({ score: 0, groups: { Email: 10 } });
});

test('Set puts the score at its value within the limits and clears the groups and the points still to expire', async () => {
	await createProfile(ZERO_TO_100);
	const dueAt = Date.now() + 2000;
	await score('ann', 'email_event');
	await score('ann', 'appointment_booked', dueAt - 60 * DAY);
	expect(await contact('ann')).toMatchObject({ score: 40, groups: { Email: 10, Sales: 30 } });
	expect(await modify('ann', 'set', 150)).toMatchObject({ score: 100 });
	expect((await contact('ann')).groups ?? {}).toEqual({});
	await sleep(dueAt - Date.now() + 500);
	// The booking's 30 points were cleared by Set: its expiry takes nothing from the new score.
	expect(await contact('ann')).toMatchObject({ score: 100 });
});

test('Reset puts the score at 0, or the minimum, clears the groups, and keeps how often rules counted', async () => {
	await createProfile({ minScore: 5, maxScore: 100 });
	await score('bob', 'webinar_attended');
	await score('bob', 'email_event');
	const reset = await runEngagementScore(store, { resource: 'contact', operation: 'reset', profileId: profileLocator('lead'), contactId: 'bob' });
	expect(reset.error).toBeUndefined();
	expect(reset.json[0]).toMatchObject({ previousScore: 20, score: 5 });
	expect((await contact('bob')).groups ?? {}).toEqual({});
	// "Once per contact" stays used after the reset.
	expect(await score('bob', 'webinar_attended')).toMatchObject({ delta: 0, limitedRuleIds: ['webinar'] });
});

test('Decay of a positive score scales every group and every point still to expire by the same ratio', async () => {
	await createProfile(ZERO_TO_100);
	const longAgo = Date.now() - 40 * DAY;
	const dueAt = Date.now() + 3000;
	await score('cat', 'email_event', longAgo);
	await score('cat', 'form_submitted', longAgo);
	await score('cat', 'appointment_booked', dueAt - 60 * DAY);
	expect(await contact('cat')).toMatchObject({ score: 50, groups: { Email: 10, Sales: 30 } });
	expect(await decay({ mode: 'multiply', factor: 0.5, floor: 0 })).toMatchObject({ contactsDecayed: 1 });
	expect(await contact('cat')).toMatchObject({ score: 25, groups: { Email: 5, Sales: 15 }, topGroup: 'Sales' });
	await sleep(dueAt - Date.now() + 500);
	// The expiry takes back what decay left of the booking's points: 15, not 30.
	expect(await contact('cat')).toMatchObject({ score: 10, groups: { Email: 5, Sales: 0 } });
});

test('Decay goes no lower than the profile minimum', async () => {
	await createProfile(ZERO_TO_100);
	await score('dan', 'email_event', Date.now() - 40 * DAY);
	await decay({ mode: 'subtract', points: 100, floor: -50 });
	expect(await contact('dan')).toMatchObject({ score: 0 });
});

test('Decay of a score at or below 0 takes the points from the ungrouped points', async () => {
	await createProfile({});
	const longAgo = Date.now() - 40 * DAY;
	await score('eve', 'email_event', longAgo);
	await score('eve', 'email_bounced', longAgo);
	await score('eve', 'email_bounced', longAgo);
	expect(await contact('eve')).toMatchObject({ score: -10, groups: { Email: 10 } });
	await decay({ mode: 'subtract', points: 3, floor: -20 });
	expect(await contact('eve')).toMatchObject({ score: -13, groups: { Email: 10 } });
});
