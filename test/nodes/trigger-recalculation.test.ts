/**
 * A change a recalculation logged (issue 11) reaches the Engagement Score Trigger like any other
 * (n8n-core's trigger machinery, a real SQLite file), its cause naming the versions it went from and to.
 */
import { join } from 'node:path';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { EngagementEngine } from '../../src/engine';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { PACKAGE, profileLocator, tempFolder } from '../harness/engagement-score-nodes';
import { activateTrigger, type ActiveTrigger } from '../harness/trigger-harness';

const folder = tempFolder('score-trigger-recalculation-');
afterAll(() => folder.cleanup());

let trigger: ActiveTrigger | undefined;
afterEach(async () => {
	await trigger?.deactivate();
	trigger = undefined;
});

test('fires on a recalculated score with the cause { kind: recalculation, fromVersion, toVersion }', async () => {
	const databasePath = join(folder.path, 'recalculation.sqlite');
	const store = SqliteStore.open(databasePath);
	const engine = new EngagementEngine(store);
	await engine.createProfile({ id: 'lead', name: 'Lead', rules: [{ id: 'form', eventType: 'form_submitted', points: 5 }] });
	await engine.publish('lead');
	trigger = await activateTrigger({
		type: `${PACKAGE}.engagementScoreChangeTrigger`,
		nodeType: new EngagementScoreTrigger(),
		parameters: {
			store: 'sqlite',
			databasePath,
			profileId: profileLocator('lead'),
			conditions: { condition: [{ operator: 'gte', value: 10 }] },
			combinator: 'and',
			mode: 'enter',
		},
		workflowId: 'wf-recalculation',
	});

	// As a recalculation commits it: the state recalculated to version 2 and its one change.
	const at = Date.now();
	await store.transact('lead', { contactIds: ['ann'] }, () => ({
		contacts: [{ contactId: 'ann', score: 12, lastActivityAt: at, firstSeenAt: at, updatedAt: at, version: 1, journaled: true, recalculatedVersion: 2 }],
		changes: [{ contactId: 'ann', previousScore: 0, score: 12, delta: 12, cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 }, at }],
		seenEventIds: [],
		result: null,
	}));

	const [fired] = await trigger.waitForItems(1, 10_000);
	expect(fired).toMatchObject({
		contactId: 'ann',
		previousScore: 0,
		score: 12,
		delta: 12,
		cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 },
	});
	await store.close();
});
