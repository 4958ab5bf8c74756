/**
 * Engagement Score Trigger activated with n8n-core's own trigger machinery (ActiveWorkflowTriggers
 * for published workflows, WorkflowExecute for "Listen for test event"), watching a real SQLite
 * file whose scores change through real workflows running the Modify and Engagement Score nodes.
 */
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { LegacyEngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/LegacyEngagementScoreTrigger.node';
import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import { changeNotifier } from '../../src/change-notifier';
import { EngagementEngine } from '../../src/engine';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { PACKAGE, profileLocator, runEngagementScore, scoreEvents, tempFolder } from '../harness/engagement-score-nodes';
import { runWorkflow } from '../harness/run-workflow';
import { activateTrigger, listenForTestEvent, triggerOutput, type ActiveTrigger } from '../harness/trigger-harness';

const TRIGGER_TYPE = `${PACKAGE}.engagementScoreChangeTrigger`;
const MODIFY_TYPE = `${PACKAGE}.modifyEngagementScore`;
const folder = tempFolder('score-trigger-');
afterAll(() => folder.cleanup());

let databasePath: string;
let fileCounter = 0;
const activeTriggers: ActiveTrigger[] = [];

beforeEach(async () => {
	databasePath = join(folder.path, `trigger-${++fileCounter}.sqlite`);
	const engine = new EngagementEngine(SqliteStore.open(databasePath));
	await engine.createProfile({
		id: 'lead',
		name: 'Lead',
		rules: [{ id: 'webinar', eventType: 'webinar_attended', points: 30, description: 'Attended a webinar' }],
	});
	await engine.publish('lead');
});

afterEach(async () => {
	await Promise.all(activeTriggers.splice(0).map(async (trigger) => await trigger.deactivate()));
});

type Condition = { operator: string; value: number; valueTo?: number };

function triggerParameters(conditions: Condition[], extra: IDataObject = {}): IDataObject {
	return {
		store: 'sqlite',
		databasePath,
		profileId: profileLocator('lead'),
		conditions: { condition: conditions },
		combinator: 'and',
		mode: 'enter',
		...extra,
	};
}

async function activate(parameters: IDataObject, workflowId = 'wf-1', nodeId = 'trigger-1'): Promise<ActiveTrigger> {
	const trigger = await activateTrigger({
		type: TRIGGER_TYPE,
		nodeType: new EngagementScoreTrigger(),
		parameters,
		workflowId,
		nodeId,
	});
	activeTriggers.push(trigger);
	return trigger;
}

/** Runs Start -> Modify Engagement Score: sets (or adds to) one contact's score on the same file. */
async function modify(contactId: string, operation: 'add' | 'subtract' | 'set', points: number, reason?: string) {
	const run = await runWorkflow({
		nodeTypes: { [MODIFY_TYPE]: new ModifyEngagementScore() },
		nodes: [
			{
				name: 'Modify',
				type: MODIFY_TYPE,
				typeVersion: 1,
				parameters: { store: 'sqlite', databasePath, profileId: profileLocator('lead'), contactId, operation, points, reason: reason ?? '' },
			},
		],
	});
	if (run.error) throw run.error;
	return run.output('Modify')[0].json;
}

const setScore = async (contactId: string, score: number) => await modify(contactId, 'set', score);

/** Lets in-process wake-ups (microtasks + a read) run; then no further item may show up. */
async function settle(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 150));
}

describe('Engagement Score Trigger: when the score enters the condition', () => {
	test('fires once when a contact crosses into ">= 50", not while it stays, again after leaving and re-entering', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'gte', value: 50 }]));

		await setScore('c1', 40);
		await setScore('c1', 55);
		await trigger.waitForItems(1);
		await modify('c1', 'add', 10);
		await setScore('c1', 50);
		await settle();
		expect(trigger.items()).toHaveLength(1);

		await setScore('c1', 49);
		await setScore('c1', 70);
		const items = await trigger.waitForItems(2);
		await settle();

		expect(trigger.items()).toHaveLength(2);
		expect(items.map((item) => [item.previousScore, item.score])).toEqual([
			[40, 55],
			[49, 70],
		]);
		expect(items[0]).toEqual({
			contactId: 'c1',
			profileId: 'lead',
			score: 55,
			previousScore: 40,
			delta: 15,
			cause: { kind: 'modify', operation: 'set', points: 55 },
			matchedRules: [],
			at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			changeSeq: 2,
		});
	});

	test('scoring events through the Engagement Score node fires with the matched rules as the cause', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'gte', value: 50 }]));

		const run = await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', [
			{ contactId: 'ann', type: 'webinar_attended', id: 'w1' },
			{ contactId: 'ann', type: 'webinar_attended', id: 'w2' },
			{ contactId: 'ann', type: 'webinar_attended', id: 'w3' },
			{ contactId: 'bob', type: 'webinar_attended', id: 'w4' },
		]);
		expect(run.error).toBeUndefined();

		const [fired] = await trigger.waitForItems(1);
		await settle();
		expect(trigger.items()).toHaveLength(1);
		expect(fired).toMatchObject({
			contactId: 'ann',
			previousScore: 30,
			score: 60,
			delta: 30,
			cause: { kind: 'event', eventType: 'webinar_attended', ruleIds: ['webinar'], profileVersion: 1, eventId: 'w2' },
			matchedRules: [{ id: 'webinar', eventType: 'webinar_attended', points: 30, description: 'Attended a webinar' }],
		});
		// Who, the score and why first, as the table view shows them; times and ids after.
		expect(Object.keys(fired)).toEqual(['contactId', 'score', 'delta', 'cause', 'matchedRules', 'previousScore', 'at', 'changeSeq', 'profileId']);
	});

	test('decay that takes inactive contacts below "< 30" fires with the decay as the cause', async () => {
		await setScore('idle', 40);
		await setScore('cold', 10);
		const trigger = await activate(triggerParameters([{ operator: 'lt', value: 30 }]));

		const tenDaysLater = () => Date.now() + 10 * 24 * 60 * 60 * 1000;
		const engine = new EngagementEngine(SqliteStore.open(databasePath), { now: tenDaysLater });
		const result = await engine.applyDecay('lead', { mode: 'subtract', inactiveDays: 7, points: 15, floor: 0 });
		expect(result.contactsDecayed).toBe(2);

		const [fired] = await trigger.waitForItems(1);
		await settle();
		// "cold" went from 10 to 0: it was below 30 already, so it did not enter.
		expect(trigger.items()).toHaveLength(1);
		expect(fired).toMatchObject({ contactId: 'idle', previousScore: 40, score: 25, delta: -15, cause: { kind: 'decay', mode: 'subtract' } });
	});

	test('each contact enters on its own', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'gt', value: 10 }]));
		await setScore('a', 11);
		await setScore('b', 5);
		await setScore('b', 20);
		await setScore('a', 30);
		await trigger.waitForItems(2);
		await settle();
		expect(trigger.items().map((item) => item.contactId)).toEqual(['a', 'b']);
	});

	test('contacts crossing in one scoring execution each start their own workflow execution', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'gte', value: 30 }]));
		await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', [
			{ contactId: 'x', type: 'webinar_attended' },
			{ contactId: 'y', type: 'webinar_attended' },
			{ contactId: 'z', type: 'webinar_attended' },
		]);
		await trigger.waitForItems(3);
		await settle();
		expect(trigger.emits.map((emit) => emit.map((item) => item.contactId))).toEqual([['x'], ['y'], ['z']]);
	});
});

describe('Engagement Score Trigger: on every change while the condition holds', () => {
	test('fires for each change that leaves the score meeting the condition, and for none that does not', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'gte', value: 50 }], { mode: 'everyChange' }));

		await setScore('c1', 60);
		await modify('c1', 'add', 5, 'Replied');
		await modify('c1', 'subtract', 30);
		await modify('c1', 'add', 20);
		const items = await trigger.waitForItems(3);
		await settle();

		expect(trigger.items()).toHaveLength(3);
		expect(items.map((item) => item.score)).toEqual([60, 65, 55]);
		expect(items[1].cause).toEqual({ kind: 'modify', operation: 'add', points: 5, reason: 'Replied' });
	});

	test('a reset of a contact already at 0 is no change: it does not fire again', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'lte', value: 10 }], { mode: 'everyChange' }));
		const reset = async (contactId: string) => {
			const run = await runEngagementScore({ kind: 'sqlite', databasePath }, { resource: 'contact', operation: 'reset', profileId: profileLocator('lead'), contactId });
			if (run.error) throw run.error;
			return run.json[0];
		};

		await setScore('c1', 40);
		expect(await reset('c1')).toMatchObject({ changed: true, previousScore: 40, score: 0 });
		const [fired] = await trigger.waitForItems(1);
		expect(fired).toMatchObject({ contactId: 'c1', previousScore: 40, score: 0, delta: -40, cause: { kind: 'reset' } });

		expect(await reset('c1')).toMatchObject({ found: true, changed: false, previousScore: 0, score: 0 });
		await setScore('c1', 5);
		await trigger.waitForItems(2);
		await settle();
		expect(trigger.items().map((item) => [item.previousScore, item.score, (item.cause as IDataObject).kind])).toEqual([
			[40, 0, 'reset'],
			[0, 5, 'modify'],
		]);
	});
});

describe('Engagement Score Trigger: conditions', () => {
	test('"between" is inclusive at both ends', async () => {
		const trigger = await activate(triggerParameters([{ operator: 'between', value: 20, valueTo: 40 }]));
		for (const score of [19, 20, 41, 40, 45, 30]) await setScore('c1', score);
		const items = await trigger.waitForItems(3);
		await settle();
		expect(trigger.items()).toHaveLength(3);
		expect(items.map((item) => item.score)).toEqual([20, 40, 30]);
	});

	test('AND needs every condition, OR any one', async () => {
		const conditions = [
			{ operator: 'gte', value: 10 },
			{ operator: 'ne', value: 15 },
		];
		const and = await activate(triggerParameters(conditions, { combinator: 'and' }), 'wf-and');
		const outside = [
			{ operator: 'lt', value: 0 },
			{ operator: 'gt', value: 100 },
		];
		const or = await activate(triggerParameters(outside, { combinator: 'or' }), 'wf-or');

		for (const score of [15, 16, -5, 50, 150]) await setScore('c1', score);
		await and.waitForItems(2);
		await or.waitForItems(2);
		await settle();

		// AND: 15 is excluded by "!= 15"; 16 enters; -5 leaves; 50 re-enters; 150 stays.
		expect(and.items().map((item) => item.score)).toEqual([16, 50]);
		// OR: -5 enters through "< 0"; 50 leaves; 150 re-enters through "> 100".
		expect(or.items().map((item) => item.score)).toEqual([-5, 150]);
	});

	test('an unknown condition operator or profile refuses activation, naming the field by its label', async () => {
		await expect(activate(triggerParameters([{ operator: 'atLeast', value: 5 }]))).rejects.toThrow(
			/"Conditions › conditions\[0\]\.operator: Unknown score operator "atLeast"/,
		);
		await expect(
			activate({ ...triggerParameters([{ operator: 'gte', value: 5 }]), profileId: profileLocator('nope') }, 'wf-2'),
		).rejects.toThrow(/"Score Profile: Score profile "nope" does not exist/);
	});
});

describe('Engagement Score Trigger: several watchers and restarts', () => {
	test('two workflows watching one profile both fire for the same change', async () => {
		const first = await activate(triggerParameters([{ operator: 'gte', value: 50 }]), 'wf-sales');
		const second = await activate(triggerParameters([{ operator: 'gte', value: 50 }]), 'wf-slack');

		await setScore('c1', 80);
		const [a] = await first.waitForItems(1);
		const [b] = await second.waitForItems(1);
		expect(a).toEqual(b);
		expect(a.score).toBe(80);
	});

	test('changes made while the workflow was unpublished fire after it is published again, none twice', async () => {
		const parameters = triggerParameters([{ operator: 'gte', value: 50 }]);
		const before = await activate(parameters, 'wf-restart');
		await setScore('c1', 60);
		await before.waitForItems(1);
		await before.deactivate();
		// Deactivation ran the node's closeFunction: nothing listens to the profile any more.
		expect(changeNotifier.listenerCount(SqliteStore.open(databasePath).key, 'lead')).toBe(0);

		await setScore('c2', 70);
		await setScore('c1', 0);
		await setScore('c1', 90);

		const after = await activate(parameters, 'wf-restart');
		const items = await after.waitForItems(2);
		await settle();
		expect(after.items()).toHaveLength(2);
		expect(items.map((item) => [item.contactId, item.score])).toEqual([
			['c2', 70],
			['c1', 90],
		]);
		expect(before.items()).toHaveLength(1);

		await setScore('c3', 55);
		await after.waitForItems(3);
		await settle();
		expect(after.items().map((item) => item.contactId)).toEqual(['c2', 'c1', 'c3']);
	});

	test('matched rules carry the descriptions of the published version that scored the change, never another version\'s', async () => {
		const engine = new EngagementEngine(SqliteStore.open(databasePath));
		const republish = async (description: string) => {
			await engine.updateDraft('lead', { rules: [{ id: 'webinar', eventType: 'webinar_attended', points: 30, description }] });
			await engine.publish('lead');
		};
		const webinar = (contactId: string, id: string) => scoreEvents({ kind: 'sqlite', databasePath }, 'lead', [{ contactId, type: 'webinar_attended', id }]);
		const parameters = triggerParameters([{ operator: 'gte', value: 30 }]);

		const trigger = await activate(parameters, 'wf-versions');
		await webinar('ann', 'w1');
		await republish('Attended the spring webinar');
		await webinar('bob', 'w2');
		const [ann, bob] = await trigger.waitForItems(2);
		expect([ann.contactId, ann.cause, ann.matchedRules]).toEqual([
			'ann',
			expect.objectContaining({ profileVersion: 1 }),
			[{ id: 'webinar', eventType: 'webinar_attended', points: 30, description: 'Attended a webinar' }],
		]);
		expect([bob.contactId, bob.cause, bob.matchedRules]).toEqual([
			'bob',
			expect.objectContaining({ profileVersion: 2 }),
			[{ id: 'webinar', eventType: 'webinar_attended', points: 30, description: 'Attended the spring webinar' }],
		]);

		// Scored by version 2, then version 3 published while the workflow was off: version 2's
		// descriptions are no longer in the store, so the rule is listed by its id, not with version 3's.
		await trigger.deactivate();
		await webinar('cat', 'w3');
		await republish('Attended the autumn webinar');
		await webinar('dan', 'w4');
		const after = await activate(parameters, 'wf-versions');
		const [cat, dan] = await after.waitForItems(2);
		expect([cat.contactId, cat.matchedRules]).toEqual(['cat', [{ id: 'webinar' }]]);
		expect([dan.contactId, dan.matchedRules]).toEqual([
			'dan',
			[{ id: 'webinar', eventType: 'webinar_attended', points: 30, description: 'Attended the autumn webinar' }],
		]);
	});

	test('a trigger activated for the first time starts from now: earlier changes do not fire', async () => {
		await setScore('old', 99);
		const trigger = await activate(triggerParameters([{ operator: 'gte', value: 50 }]), 'wf-new');
		await settle();
		expect(trigger.items()).toEqual([]);
		await setScore('new', 51);
		expect((await trigger.waitForItems(1))[0].contactId).toBe('new');
	});

	test('a change written by another process (no in-process wake-up) is found by polling', async () => {
		const trigger = await activate(
			triggerParameters([{ operator: 'gte', value: 50 }], { options: { pollIntervalSeconds: 0.2 } }),
			'wf-poll',
		);
		// The store is told not to wake anyone: as if another n8n process wrote to the same file.
		const notify = jest.spyOn(changeNotifier, 'notify').mockImplementation(() => undefined);
		try {
			await setScore('remote', 75);
			expect(notify).toHaveBeenCalled();
		} finally {
			notify.mockRestore();
		}
		const [item] = await trigger.waitForItems(1, 3000);
		expect(item).toMatchObject({ contactId: 'remote', score: 75 });
	});
});

describe('Engagement Score Trigger: listening for a test event in the editor', () => {
	test('waits for the next firing change, emits it, and leaves the production cursor alone', async () => {
		await setScore('earlier', 80);
		const listen = listenForTestEvent({
			type: TRIGGER_TYPE,
			nodeType: new EngagementScoreTrigger(),
			parameters: triggerParameters([{ operator: 'gte', value: 50 }]),
			workflowId: 'wf-manual',
		});
		await settle();
		await setScore('c1', 10);
		await setScore('c1', 65);

		const run = await listen.finished;
		expect(run.data.resultData.error).toBeUndefined();
		expect(triggerOutput(run)).toEqual([expect.objectContaining({ contactId: 'c1', previousScore: 10, score: 65 })]);

		// The published workflow's own cursor was never created by the test run, and the run's end
		// closed the trigger (n8n calls its closeFunction).
		const store = SqliteStore.open(databasePath);
		expect(await store.getCursor('trigger:wf-manual:trigger-node')).toBeUndefined();
		expect(changeNotifier.listenerCount(store.key, 'lead')).toBe(0);
	});
});

describe('Engagement Score Trigger: workflows saved with its first type name', () => {
	test('a trigger of type engagementScoreTrigger still fires, and the node creator does not offer it', async () => {
		const legacy = new LegacyEngagementScoreTrigger();
		expect(legacy.description.hidden).toBe(true);
		expect(new EngagementScoreTrigger().description.hidden).toBeUndefined();

		const trigger = await activateTrigger({
			type: `${PACKAGE}.engagementScoreTrigger`,
			nodeType: legacy,
			parameters: triggerParameters([{ operator: 'gte', value: 50 }]),
			workflowId: 'wf-saved-before',
			nodeId: 'trigger-1',
		});
		activeTriggers.push(trigger);
		await setScore('c-legacy', 60);
		const [item] = await trigger.waitForItems(1);
		expect(item).toMatchObject({ contactId: 'c-legacy', previousScore: 0, score: 60 });
	});
});

describe('Engagement Score Trigger: Max Changes per Execution', () => {
	/** One webinar (+30) for each of `count` new contacts, in one scoring execution: one commit. */
	async function burst(count: number, prefix: string) {
		const events = Array.from({ length: count }, (_, index) => ({ contactId: `${prefix}${index}`, type: 'webinar_attended' }));
		const run = await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', events);
		expect(run.error).toBeUndefined();
		return events.map((event) => event.contactId);
	}

	const everyChange = (options: IDataObject) => triggerParameters([{ operator: 'gte', value: 0 }], { mode: 'everyChange', options });

	test.each([
		[250, 30],
		[250, 120],
		[7, 100],
	])('a burst of %i changes with at most %i per execution arrives as ceil(count / N) executions, every change once, in order', async (count, perExecution) => {
		const trigger = await activate(everyChange({ maxChangesPerExecution: perExecution }), `wf-batch-${perExecution}`);
		const contacts = await burst(count, 'b');
		await trigger.waitForItems(count);
		await settle();

		const sizes = trigger.emits.map((emit) => emit.length);
		expect(sizes).toHaveLength(Math.ceil(count / perExecution));
		expect(sizes.every((size) => size <= perExecution)).toBe(true);
		const items = trigger.items();
		expect(items.map((item) => item.contactId)).toEqual(contacts);
		const seqs = items.map((item) => item.changeSeq as number);
		expect(seqs).toEqual(seqs.map((_, index) => seqs[0] + index));
		expect(items[0]).toMatchObject({ previousScore: 0, score: 30, delta: 30, cause: { kind: 'event', ruleIds: ['webinar'] } });
	});

	test('changes made by several executions while unpublished arrive batched on publishing, none twice', async () => {
		const parameters = everyChange({ maxChangesPerExecution: 20 });
		const before = await activate(parameters, 'wf-batch-restart');
		await before.deactivate();
		const contacts = [...(await burst(10, 'p')), ...(await burst(15, 'q')), ...(await burst(20, 'r'))];

		const after = await activate(parameters, 'wf-batch-restart');
		await after.waitForItems(45);
		await settle();
		expect(after.emits.map((emit) => emit.length)).toEqual([20, 20, 5]);
		expect(after.items().map((item) => item.contactId)).toEqual(contacts);
	});

	test('only the changes that fire are emitted, batched', async () => {
		const trigger = await activate(
			triggerParameters([{ operator: 'gte', value: 60 }], { options: { maxChangesPerExecution: 2 } }),
			'wf-batch-enter',
		);
		// Each contact's second webinar takes it to 60: 3 of the 6 changes enter the condition.
		const events = ['u', 'v', 'w'].flatMap((contactId) => [0, 1].map(() => ({ contactId, type: 'webinar_attended' })));
		await scoreEvents({ kind: 'sqlite', databasePath }, 'lead', events);
		await trigger.waitForItems(3);
		await settle();
		expect(trigger.emits.map((emit) => emit.map((item) => [item.contactId, item.score]))).toEqual([
			[
				['u', 60],
				['v', 60],
			],
			[['w', 60]],
		]);
	});

	test('a value that is no whole number from 1 to 10,000 refuses activation, naming the option by its label', async () => {
		for (const [index, value] of [0, 1.5, 10_001].entries()) {
			await expect(activate(everyChange({ maxChangesPerExecution: value }), `wf-bad-${index}`)).rejects.toThrow(
				/"Max Changes per Execution: must be a whole number from 1 to 10000/,
			);
		}
	});

	test('a poll interval that is no positive number refuses activation, naming the option by its label', async () => {
		for (const [index, value] of [0, -1, 'soon'].entries()) {
			await expect(
				activate(triggerParameters([{ operator: 'gte', value: 5 }], { options: { pollIntervalSeconds: value } }), `wf-poll-${index}`),
			).rejects.toThrow(/"Poll Interval \(Seconds\): must be a positive number/);
		}
	});

	test('listening for a test event emits the first firing changes together, up to the maximum', async () => {
		const listen = listenForTestEvent({
			type: TRIGGER_TYPE,
			nodeType: new EngagementScoreTrigger(),
			parameters: everyChange({ maxChangesPerExecution: 5 }),
			workflowId: 'wf-batch-manual',
		});
		await settle();
		const contacts = await burst(8, 'm');
		const run = await listen.finished;
		expect(run.data.resultData.error).toBeUndefined();
		expect(triggerOutput(run).map((item) => item.contactId)).toEqual(contacts.slice(0, 5));
	});
});
