/**
 * Points that expire while no workflow runs: the active Engagement Score Trigger applies due
 * expiries of its profile on its own (n8n-core's trigger machinery, a real SQLite file), and fires
 * on the drop with the expiry as the cause.
 */
import { join } from 'node:path';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { EngagementEngine } from '../../src/engine';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { PACKAGE, profileLocator, scoreEvents, tempFolder } from '../harness/engagement-score-nodes';
import { activateTrigger, type ActiveTrigger } from '../harness/trigger-harness';

const DAY = 24 * 60 * 60 * 1000;
const folder = tempFolder('score-trigger-expiry-');
afterAll(() => folder.cleanup());

let trigger: ActiveTrigger | undefined;
afterEach(async () => {
	await trigger?.deactivate();
	trigger = undefined;
});

test('fires "score < 20" when points run out, with nothing else running, within about a second', async () => {
	const databasePath = join(folder.path, 'expiry.sqlite');
	const engine = new EngagementEngine(SqliteStore.open(databasePath));
	await engine.createProfile({
		id: 'lead',
		name: 'Lead',
		rules: [
			{ id: 'demo', eventType: 'appointment_booked', points: 30, expiresAfterDays: 1 },
			{ id: 'form', eventType: 'form_submitted', points: 5 },
		],
	});
	await engine.publish('lead');
	trigger = await activateTrigger({
		type: `${PACKAGE}.engagementScoreChangeTrigger`,
		nodeType: new EngagementScoreTrigger(),
		parameters: {
			store: 'sqlite',
			databasePath,
			profileId: profileLocator('lead'),
			conditions: { condition: [{ operator: 'lt', value: 20 }] },
			combinator: 'and',
			mode: 'enter',
		},
		workflowId: 'wf-expiry',
	});

	// Booked a day ago, less 1.5 s: its 30 points leave the score 1.5 s from now.
	const dueAt = Date.now() + 1500;
	const run = await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', [
		{ contactId: 'ann', type: 'form_submitted' },
		{ contactId: 'ann', type: 'appointment_booked', id: 'booking-1', occurredAt: new Date(dueAt - DAY).toISOString() },
	]);
	expect(run.error).toBeUndefined();
	expect(run.json.map((item) => item.score)).toEqual([5, 35]);

	const [fired] = await trigger.waitForItems(1, 10_000);
	const firedAfterDue = Date.now() - dueAt;
	expect(fired).toMatchObject({
		contactId: 'ann',
		previousScore: 35,
		score: 5,
		delta: -30,
		cause: { kind: 'expired', ruleId: 'demo', eventId: 'booking-1' },
	});
	expect(firedAfterDue).toBeGreaterThanOrEqual(0);
	expect(firedAfterDue).toBeLessThan(1500);
	expect(await engine.getContact('lead', 'ann')).toMatchObject({ score: 5 });
});
