/**
 * Modify Engagement Score run in real workflows (Start -> Modify) through n8n-core's WorkflowExecute,
 * on a real SQLite file and on workflow static data; the stored scores are read back from the same
 * store to prove what was (or was not) written.
 */
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import { EngagementEngine } from '../../src/engine';
import type { ScoreStore } from '../../src/store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { PACKAGE, profileLocator, tempFolder } from '../harness/engagement-score-nodes';
import { runWorkflow } from '../harness/run-workflow';

const MODIFY_TYPE = `${PACKAGE}.modifyEngagementScore`;
const NODE_NAME = 'Modify Engagement Score';
const folder = tempFolder('modify-score-');
afterAll(() => folder.cleanup());

let fileCounter = 0;
function newDatabasePath(): string {
	return join(folder.path, `modify-${++fileCounter}.sqlite`);
}

interface ModifyRunOptions {
	databasePath?: string;
	staticData?: IDataObject;
	continueOnFail?: boolean;
}

async function runModify(parameters: IDataObject, items: INodeExecutionData[], options: ModifyRunOptions) {
	const storeParameters: IDataObject = options.staticData
		? { store: 'workflowStaticData' }
		: { store: 'sqlite', databasePath: options.databasePath };
	const run = await runWorkflow({
		nodeTypes: { [MODIFY_TYPE]: new ModifyEngagementScore() },
		nodes: [
			{
				name: NODE_NAME,
				type: MODIFY_TYPE,
				typeVersion: 1,
				continueOnFail: options.continueOnFail ?? false,
				parameters: { ...storeParameters, ...parameters },
			},
		],
		items,
		// Static data is saved by production executions only, so run those as n8n's trigger mode does.
		...(options.staticData ? { staticData: options.staticData, mode: 'trigger' as const } : {}),
	});
	return { ...run, items: run.output(NODE_NAME) };
}

/** Parameters mapping every value from the item, as a workflow fed by a webhook would. */
const mappedParameters = (profileId = 'lead'): IDataObject => ({
	profileId: profileLocator(profileId),
	contactId: '={{ $json.contactId }}',
	operation: 'add',
	points: '={{ $json.points }}',
	reason: '={{ $json.reason }}',
});

async function sqliteWithProfile(profile: { id: string; rules?: unknown[]; publish?: boolean }) {
	const databasePath = newDatabasePath();
	const store = SqliteStore.open(databasePath);
	const engine = new EngagementEngine(store);
	await engine.createProfile({ id: profile.id, name: profile.id, rules: profile.rules ?? [] });
	if (profile.publish) await engine.publish(profile.id);
	return { databasePath, store, engine };
}

async function scoreOf(store: ScoreStore, profileId: string, contactId: string): Promise<number | undefined> {
	return (await store.getContact(profileId, contactId))?.score;
}

describe('Modify Engagement Score on the SQLite store', () => {
	test('add, subtract and set change one contact, each output paired to its item with previous and new score', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead', publish: true });
		const before = Date.now();
		const add = await runModify(
			mappedParameters(),
			[
				{ json: { contactId: 'c1', points: 10, reason: 'Webinar' } },
				{ json: { contactId: 'c1', points: '2.5', reason: '' } },
			],
			{ databasePath },
		);
		const subtract = await runModify(
			{ ...mappedParameters(), operation: 'subtract' },
			[{ json: { contactId: 'c1', points: 3, reason: 'Bounced' } }],
			{ databasePath },
		);
		const set = await runModify(
			{ ...mappedParameters(), operation: 'set' },
			[
				{ json: { contactId: 'c1', points: 42.5, reason: 'Manual review' } },
				{ json: { contactId: 'c2', points: -4 } },
			],
			{ databasePath },
		);

		expect([add.error, subtract.error, set.error]).toEqual([undefined, undefined, undefined]);
		const run = { items: [...add.items, ...subtract.items, ...set.items] };
		expect(run.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ contactId: 'c1', profileId: 'lead', operation: 'add', previousScore: 0, score: 10, delta: 10, reason: 'Webinar' }),
			expect.objectContaining({ contactId: 'c1', operation: 'add', previousScore: 10, score: 12.5, delta: 2.5, reason: null }),
			expect.objectContaining({ contactId: 'c1', operation: 'subtract', previousScore: 12.5, score: 9.5, delta: -3, reason: 'Bounced' }),
			expect.objectContaining({ contactId: 'c1', operation: 'set', previousScore: 9.5, score: 42.5, delta: 33, reason: 'Manual review' }),
			expect.objectContaining({ contactId: 'c2', operation: 'set', previousScore: 0, score: -4, delta: -4 }),
		]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 0 }, { item: 0 }, { item: 1 }]);
		for (const item of run.items) {
			const at = Date.parse(item.json.at as string);
			expect(at).toBeGreaterThanOrEqual(before);
			expect(at).toBeLessThanOrEqual(Date.now());
			expect(item.json.at).toBe(new Date(at).toISOString());
		}

		expect(await scoreOf(store, 'lead', 'c1')).toBe(42.5);
		expect(await scoreOf(store, 'lead', 'c2')).toBe(-4);
		const history = await store.getHistory('lead', 'c1', 10);
		expect(history.map((change) => change.cause)).toEqual([
			{ kind: 'modify', operation: 'set', points: 42.5, reason: 'Manual review' },
			{ kind: 'modify', operation: 'subtract', points: 3, reason: 'Bounced' },
			{ kind: 'modify', operation: 'add', points: 2.5 },
			{ kind: 'modify', operation: 'add', points: 10, reason: 'Webinar' },
		]);
	});

	test('works on a draft profile that has no rules at all', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'empty-draft' });
		expect((await store.getProfile('empty-draft'))?.status).toBe('draft');

		const run = await runModify(
			{ ...mappedParameters('empty-draft') },
			[{ json: { contactId: 'c9', points: 5, reason: 'Met at a trade show' } }],
			{ databasePath },
		);

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ previousScore: 0, score: 5, delta: 5 });
		expect(await scoreOf(store, 'empty-draft', 'c9')).toBe(5);
	});

	test('"Counts as Activity" off leaves the decay clock alone; on (default) restarts it', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead' });
		const run = await runModify(
			{ ...mappedParameters(), options: { countsAsActivity: '={{ $json.activity }}' } },
			[
				{ json: { contactId: 'quiet', points: 5, activity: false } },
				{ json: { contactId: 'active', points: 5, activity: true } },
			],
			{ databasePath },
		);
		expect(run.error).toBeUndefined();
		expect((await store.getContact('lead', 'quiet'))?.lastActivityAt).toBeNull();
		expect((await store.getContact('lead', 'active'))?.lastActivityAt).toBe(Date.parse(run.items[1].json.at as string));

		const defaults = await runModify(
			{ profileId: profileLocator('lead'), contactId: 'quiet', operation: 'add', points: 1 },
			[{ json: {} }],
			{ databasePath },
		);
		expect(defaults.error).toBeUndefined();
		expect((await store.getContact('lead', 'quiet'))?.lastActivityAt).toBe(Date.parse(defaults.items[0].json.at as string));
	});

	test('contact ids such as __proto__ and constructor are ordinary contacts', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead' });
		const run = await runModify(
			mappedParameters(),
			[
				{ json: { contactId: '__proto__', points: 3 } },
				{ json: { contactId: 'constructor', points: 4 } },
				{ json: { contactId: '__proto__', points: 3 } },
			],
			{ databasePath },
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.score)).toEqual([3, 4, 6]);
		expect(await scoreOf(store, 'lead', '__proto__')).toBe(6);
		expect(await scoreOf(store, 'lead', 'constructor')).toBe(4);
	});

	test('100 executions adding at the same time lose no update', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead' });
		const runs = await Promise.all(
			Array.from({ length: 100 }, (_, index) =>
				runModify(mappedParameters(), [{ json: { contactId: 'busy', points: index % 2 === 0 ? 2 : 1 } }], { databasePath }),
			),
		);
		expect(runs.filter((run) => run.error)).toEqual([]);
		expect(await scoreOf(store, 'lead', 'busy')).toBe(150);
		expect(new Set(runs.map((run) => run.items[0].json.score)).size).toBe(100);
	});
});

describe('Modify Engagement Score: bad input', () => {
	const badItems: Array<[string, IDataObject, string, string, RegExp]> = [
		['a missing contact id', { contactId: '', points: 5 }, 'contactId', 'Contact ID', /contact id is required/i],
		['non-numeric points', { contactId: 'c1', points: 'lots' }, 'points', 'Points', /points must be a number/i],
		['an unknown profile', { contactId: 'c1', points: 5, profile: 'no-such-profile' }, 'profileId', 'Score Profile', /does not exist/i],
	];

	test.each(badItems)('%s fails the node with an error naming the item and the field, and writes nothing', async (_, bad, field, label, message) => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead' });
		const parameters = { ...mappedParameters(), profileId: profileLocator('={{ $json.profile ?? "lead" }}') };
		const run = await runModify(parameters, [{ json: { contactId: 'ok', points: 1 } }, { json: bad }], { databasePath });

		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(new RegExp(`^Item 1: ${label}: `));
		expect(run.error?.message).toMatch(message);
		expect(run.error?.context).toMatchObject({ itemIndex: 1, field });
		// The failing item wrote nothing; the contact of a valid item before it keeps its change.
		expect(await scoreOf(store, 'lead', 'c1')).toBeUndefined();
		expect(await store.latestChangeSeq('lead')).toBe(1);
	});

	test('continueOnFail: the bad items become error items naming their field, the good ones are applied', async () => {
		const { databasePath, store } = await sqliteWithProfile({ id: 'lead' });
		const parameters = { ...mappedParameters(), profileId: profileLocator('={{ $json.profile ?? "lead" }}') };
		const run = await runModify(
			parameters,
			[
				{ json: { contactId: 'c1', points: 5 } },
				{ json: { contactId: 'c1', points: 'NaN' } },
				{ json: { points: 5 } },
				{ json: { contactId: 'c1', points: 5, profile: 'missing' } },
				{ json: { contactId: 'c1', points: 2 } },
			],
			{ databasePath, continueOnFail: true },
		);

		expect(run.error).toBeUndefined();
		const fieldNamedBy = (error: unknown) => /^Item \d+: ([\w ]+): /.exec(String(error))?.[1];
		expect(run.items.map((item) => (item.error ? fieldNamedBy(item.json.error) : item.json.score))).toEqual([
			5,
			'Points',
			'Contact ID',
			'Score Profile',
			7,
		]);
		expect(run.items[1].json.error).toMatch(/^Item 1: Points: /);
		expect(run.items[3].json.error).toMatch(/^Item 3: Score Profile: .*"missing" does not exist/);
		expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(await scoreOf(store, 'lead', 'c1')).toBe(7);
		expect(await store.latestChangeSeq('lead')).toBe(2);
	});

	test('an unknown operation is refused naming the operation field', async () => {
		const { databasePath } = await sqliteWithProfile({ id: 'lead' });
		const run = await runModify({ ...mappedParameters(), operation: 'multiply' }, [{ json: { contactId: 'c1', points: 2 } }], {
			databasePath,
		});
		expect(run.error?.message).toMatch(/^Item 0: Operation: /);
	});
});

describe('Modify Engagement Score on workflow static data', () => {
	test('production executions keep the score in the workflow across runs', async () => {
		// n8n keeps a workflow's own static data under "global" (getWorkflowStaticData('global')).
		const staticData: IDataObject = { global: {} };
		const engine = new EngagementEngine(new StaticDataStore(staticData.global as IDataObject));
		await engine.createProfile({ id: 'lead', name: 'Lead' });

		const first = await runModify(mappedParameters(), [{ json: { contactId: 'c1', points: 7, reason: 'Call' } }], { staticData });
		const second = await runModify(
			{ ...mappedParameters(), operation: 'subtract' },
			[{ json: { contactId: 'c1', points: 2 } }],
			{ staticData },
		);

		expect(first.error).toBeUndefined();
		expect(second.items[0].json).toMatchObject({ previousScore: 7, score: 5, delta: -2 });
		expect(await scoreOf(new StaticDataStore(staticData.global as IDataObject), 'lead', 'c1')).toBe(5);
	});
});
