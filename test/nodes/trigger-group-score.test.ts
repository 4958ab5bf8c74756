/**
 * The trigger's "score of group" conditions ("Sales group >= 30"), activated with n8n-core's
 * trigger machinery on a real SQLite file and a real redis-server, scores changed by real
 * workflows running Event > Score. The group subtotals it tests are those the change logged.
 */
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { closeRedisConnections } from '../../nodes/shared/redis';
import { EngagementEngine } from '../../src/engine';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { PACKAGE, profileLocator, scoreEvents, tempFolder } from '../harness/engagement-score-nodes';
import { createRedisProfile, credentialReference, credentialTypes, redisCredential, scoreOnRedis } from '../harness/redis-nodes';
import type { HarnessCredential } from '../harness/run-workflow';
import { activateTrigger, type ActiveTrigger } from '../harness/trigger-harness';
import { RedisTestServer } from '../helpers/redis-server';

const TRIGGER_TYPE = `${PACKAGE}.engagementScoreChangeTrigger`;
const RULES = [
	{ id: 'demo', eventType: 'demo_requested', points: 20, group: 'Sales' },
	{ id: 'opened', eventType: 'email_opened', points: 5, group: 'Email' },
	{ id: 'visit', eventType: 'page_visited', points: 40 },
];
const salesAtLeast30 = { condition: [{ scoreOf: 'group', group: 'Sales', operator: 'gte', value: 30 }] };

const folder = tempFolder('score-trigger-group-');
let server: RedisTestServer;
let triggers: ActiveTrigger[] = [];
let fileCounter = 0;

beforeAll(async () => {
	server = await RedisTestServer.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
	folder.cleanup();
});
afterEach(async () => {
	await Promise.all(triggers.map(async (trigger) => await trigger.deactivate()));
	triggers = [];
});

/** Time for a firing that should not come. */
const settle = async () => await new Promise((resolve) => setTimeout(resolve, 400));

interface Backend {
	name: string;
	/** Creates and publishes the profile; returns the trigger's store parameters and a way to score events. */
	setUp(): Promise<{ store: IDataObject; credential?: HarnessCredential; score(events: IDataObject[]): Promise<unknown[]> }>;
}

const backends: Backend[] = [
	{
		name: 'SQLite',
		async setUp() {
			const databasePath = join(folder.path, `group-${++fileCounter}.sqlite`);
			const engine = new EngagementEngine(SqliteStore.open(databasePath));
			await engine.createProfile({ id: 'lead', name: 'Lead', rules: RULES });
			await engine.publish('lead');
			return {
				store: { store: 'sqlite', databasePath },
				async score(events) {
					const run = await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', events);
					if (run.error) throw run.error;
					return run.json.map((item) => item.score);
				},
			};
		},
	},
	{
		name: 'Redis',
		async setUp() {
			const credential = redisCredential(server, { keyPrefix: `group-${++fileCounter}:` });
			await createRedisProfile(credential, { id: 'lead', rules: RULES });
			return {
				store: { store: 'redis' },
				credential,
				async score(events) {
					const run = await scoreOnRedis(credential, 'lead', events);
					if (run.error) throw run.error;
					return run.json.map((item) => item.score);
				},
			};
		},
	},
];

describe.each(backends)('the trigger on a group score ($name)', (backend) => {
	async function activate(store: IDataObject, credential: HarnessCredential | undefined, parameters: IDataObject) {
		const trigger = await activateTrigger({
			type: TRIGGER_TYPE,
			nodeType: new EngagementScoreTrigger(),
			parameters: { ...store, profileId: profileLocator('lead'), combinator: 'and', mode: 'enter', ...parameters },
			workflowId: `wf-group-${fileCounter}`,
			...(credential === undefined ? {} : { nodeCredentials: credentialReference(credential), credentials: [credential], credentialTypes }),
		});
		triggers.push(trigger);
		return trigger;
	}

	it('fires when the Sales group reaches 30, not when the total does through other points, and says which group', async () => {
		const { store, credential, score } = await backend.setUp();
		const trigger = await activate(store, credential, { conditions: salesAtLeast30 });
		// 40 ungrouped points and an Email open: the total is far above 30, Sales is not.
		expect(await score([
			{ contactId: 'ann', type: 'page_visited' },
			{ contactId: 'ann', type: 'email_opened' },
			{ contactId: 'ann', type: 'demo_requested' },
		])).toEqual([40, 45, 65]);
		await settle();
		expect(trigger.items()).toEqual([]);
		expect(await score([{ contactId: 'ann', type: 'demo_requested' }])).toEqual([85]);
		const [fired] = await trigger.waitForItems(1, 10_000);
		expect(fired).toMatchObject({ contactId: 'ann', previousScore: 65, score: 85, groupsMet: ['Sales'], groups: { Sales: 40, Email: 5 } });
		// Entered once: a third demo keeps Sales above 30 and fires nothing in "enter" mode.
		await score([{ contactId: 'ann', type: 'demo_requested' }]);
		await settle();
		expect(trigger.items()).toHaveLength(1);
	});

	it('tests the group and the total together, and fires on every change while both hold', async () => {
		const { store, credential, score } = await backend.setUp();
		const conditions = { condition: [...salesAtLeast30.condition, { scoreOf: 'total', operator: 'lt', value: 100 }] };
		const trigger = await activate(store, credential, { conditions, mode: 'everyChange' });
		await score([
			{ contactId: 'bob', type: 'demo_requested' },
			{ contactId: 'bob', type: 'demo_requested' },
			{ contactId: 'bob', type: 'email_opened' },
			{ contactId: 'bob', type: 'page_visited' },
			{ contactId: 'bob', type: 'page_visited' },
		]);
		await trigger.waitForItems(3, 10_000);
		await settle();
		// 20 (Sales 20: no), 40, 45, 85 (all hold), 125 (total too high: no).
		expect(trigger.items().map((item) => [item.score, (item.groups as IDataObject).Sales])).toEqual([
			[40, 40],
			[45, 40],
			[85, 40],
		]);
	});
});

test('a group condition without a group name fails activation naming the field', async () => {
	const databasePath = join(folder.path, 'unnamed.sqlite');
	const engine = new EngagementEngine(SqliteStore.open(databasePath));
	await engine.createProfile({ id: 'lead', name: 'Lead', rules: RULES });
	await expect(
		activateTrigger({
			type: TRIGGER_TYPE,
			nodeType: new EngagementScoreTrigger(),
			parameters: {
				store: 'sqlite',
				databasePath,
				profileId: profileLocator('lead'),
				conditions: { condition: [{ scoreOf: 'group', group: ' ', operator: 'gte', value: 30 }] },
			},
			workflowId: 'wf-unnamed',
		}),
	).rejects.toThrow(/"Conditions › conditions\[0\]\.group: Name the group/);
});
