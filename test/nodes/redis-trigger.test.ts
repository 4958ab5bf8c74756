/**
 * Engagement Score Trigger on the Redis store, activated with n8n-core's ActiveWorkflowTriggers
 * (and "Listen for test event"), against a real redis-server. Score changes are written from
 * "another process": a RedisStore on its own connection whose writes wake nothing in this
 * process's memory. The poll interval is set far beyond the test's timeouts, so a firing that
 * arrives at all arrived through the profile's Redis Stream.
 */
import { Redis } from 'ioredis';
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections, openRedisStore, redisConnectionSettings } from '../../nodes/shared/redis';
import { changeNotifier } from '../../src/change-notifier';
import { RedisTestServer } from '../helpers/redis-server';
import type { HarnessCredential } from '../harness/run-workflow';
import { activateTrigger, listenForTestEvent, triggerOutput, type ActiveTrigger } from '../harness/trigger-harness';
import {
	createRedisProfile,
	credentialReference,
	credentialTypes,
	EngagementScoreTrigger,
	MODIFY_TYPE,
	otherProcessStore,
	profileLocator,
	redisCredential,
	runRedisNode,
	TRIGGER_TYPE,
} from '../harness/redis-nodes';
import { scoring } from '../helpers/scoring';
import { applyBatch } from '../../src/score-writes';

const NEVER_POLL_SECONDS = 600;
const PASSWORD = 'trigger-pass';
let server: RedisTestServer;
let credential: HarnessCredential;
let worker: ReturnType<typeof otherProcessStore>;
let prefixCounter = 0;
const activeTriggers: ActiveTrigger[] = [];

beforeAll(async () => {
	server = await RedisTestServer.start({ password: PASSWORD });
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});
beforeEach(async () => {
	credential = redisCredential(server, { password: PASSWORD, keyPrefix: `trigger-${++prefixCounter}:` });
	await createRedisProfile(credential, { id: 'lead', rules: [{ id: 'webinar', eventType: 'webinar_attended', points: 30 }] });
	worker = otherProcessStore(credential);
});
afterEach(async () => {
	await Promise.all(activeTriggers.splice(0).map(async (trigger) => await trigger.deactivate()));
	await worker.close();
});

function parameters(extra: IDataObject = {}): IDataObject {
	return {
		store: 'redis',
		profileId: profileLocator('lead'),
		conditions: { condition: [{ operator: 'gte', value: 50 }] },
		combinator: 'and',
		mode: 'enter',
		options: { pollIntervalSeconds: NEVER_POLL_SECONDS },
		...extra,
	};
}

function spec(workflowId: string, using: HarnessCredential = credential) {
	return {
		type: TRIGGER_TYPE,
		nodeType: new EngagementScoreTrigger(),
		parameters: parameters(),
		workflowId,
		nodeId: 'trigger-1',
		nodeCredentials: credentialReference(using),
		credentials: [using],
		credentialTypes,
	};
}

async function activate(workflowId = 'wf-1'): Promise<ActiveTrigger> {
	const trigger = await activateTrigger(spec(workflowId));
	activeTriggers.push(trigger);
	return trigger;
}

async function deactivate(trigger: ActiveTrigger): Promise<void> {
	activeTriggers.splice(activeTriggers.indexOf(trigger), 1);
	await trigger.deactivate();
}

/** Sets a score from the other process. */
async function setScore(contactId: string, points: number): Promise<void> {
	await scoring(worker).adjustScore('lead', { contactId, operation: 'set', points, at: Date.now() });
}

/** Time for a wake-up that should not come; afterwards no further item may show up. */
async function settle(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 300));
}

test('the other process writes wake nothing in this process by themselves (so the Stream is what the trigger hears)', async () => {
	let woken = 0;
	const unsubscribe = changeNotifier.subscribe(worker.key, 'lead', () => woken++);
	const nodesStore = openRedisStore(redisConnectionSettings(credential.data));
	const nodesStoreKeyListener = changeNotifier.subscribe(nodesStore.key, 'lead', () => (woken += 100));
	await nodesStore.close();
	try {
		await setScore('c1', 10);
		await settle();
		// The worker's own key is woken (its process), the nodes' store key is not.
		expect(woken).toBe(1);
	} finally {
		unsubscribe();
		nodesStoreKeyListener();
	}
});

test('fires once when a score written by another process crosses into ">= 50", again only after leaving and re-entering', async () => {
	const trigger = await activate();
	await setScore('c1', 40);
	await setScore('c1', 55);
	await trigger.waitForItems(1, 10_000);
	await setScore('c1', 70);
	await setScore('c1', 50);
	await settle();
	expect(trigger.items()).toHaveLength(1);

	await setScore('c1', 49);
	await setScore('c1', 80);
	await trigger.waitForItems(2, 10_000);
	await settle();
	expect(trigger.items().map((item) => [item.contactId, item.previousScore, item.score])).toEqual([
		['c1', 40, 55],
		['c1', 49, 80],
	]);
	expect(trigger.emits).toHaveLength(2);
});

test('crossings written while the trigger is stopped fire after it restarts, and nothing fired before fires again', async () => {
	const first = await activate();
	await setScore('a', 60);
	await first.waitForItems(1, 10_000);
	await deactivate(first);

	await setScore('b', 70);
	await setScore('a', 10);
	await setScore('a', 90);

	const second = await activate();
	await second.waitForItems(2, 10_000);
	await setScore('c', 55);
	await second.waitForItems(3, 10_000);
	await settle();
	expect(second.items().map((item) => [item.contactId, item.score])).toEqual([
		['b', 70],
		['a', 90],
		['c', 55],
	]);
	expect(first.items().map((item) => item.contactId)).toEqual(['a']);
});

test('with Max Changes per Execution a burst from another process arrives as ceil(count / N) executions, every change once, in order', async () => {
	const trigger = await activateTrigger({
		...spec('wf-batch'),
		parameters: parameters({ options: { pollIntervalSeconds: NEVER_POLL_SECONDS, maxChangesPerExecution: 30 } }),
	});
	activeTriggers.push(trigger);
	// One commit of 250 crossings (each contact set to 60), then 20 more in a second one.
	const crossings = async (contacts: string[]) =>
		await applyBatch(worker, 'lead', contacts.map((contactId) => ({ contactId, operation: setTo60() })));
	const first = Array.from({ length: 250 }, (_, index) => `b${index}`);
	const second = Array.from({ length: 20 }, (_, index) => `c${index}`);
	await crossings(first);
	await trigger.waitForItems(250, 10_000);
	await crossings(second);
	await trigger.waitForItems(270, 10_000);
	await settle();

	const sizes = trigger.emits.map((emit) => emit.length);
	expect(sizes).toEqual([...Array(8).fill(30), 10, 20]);
	const items = trigger.items();
	expect(items.map((item) => item.contactId)).toEqual([...first, ...second]);
	const seqs = items.map((item) => item.changeSeq as number);
	expect(new Set(seqs).size).toBe(270);
	expect(seqs).toEqual(seqs.slice().sort((x, y) => x - y));
	expect(items[0]).toMatchObject({ previousScore: 0, score: 60, cause: { kind: 'modify', operation: 'set', points: 60 } });
});

function setTo60() {
	return { kind: 'modify' as const, operation: 'set' as const, points: 60, countsAsActivity: true, at: Date.now() };
}

test('two workflows watching one profile each fire once per crossing', async () => {
	const one = await activate('wf-one');
	const two = await activate('wf-two');
	await setScore('x', 51);
	await one.waitForItems(1, 10_000);
	await two.waitForItems(1, 10_000);
	await settle();
	expect([one.items().length, two.items().length]).toEqual([1, 1]);
});

test('a crossing made by the Modify node in this process fires once too', async () => {
	const trigger = await activate();
	const run = await runRedisNode(MODIFY_TYPE, credential, {
		profileId: profileLocator('lead'),
		contactId: 'm1',
		operation: 'add',
		points: 75,
		reason: 'Demo booked',
	});
	expect(run.error).toBeUndefined();
	const [fired] = await trigger.waitForItems(1, 10_000);
	await settle();
	expect(trigger.items()).toHaveLength(1);
	expect(fired).toMatchObject({ contactId: 'm1', previousScore: 0, score: 75, cause: { kind: 'modify', operation: 'add', points: 75, reason: 'Demo booked' } });
});

test('"Listen for test event" completes with the next crossing written by another process', async () => {
	await setScore('old', 99);
	const listening = listenForTestEvent(spec('wf-listen'));
	// Let the listener save its "from now" cursor and start reading the Stream before the write.
	await new Promise((resolve) => setTimeout(resolve, 300));
	await setScore('new', 60);
	let timer: NodeJS.Timeout | undefined;
	const run = await Promise.race([
		listening.finished,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				listening.cancel();
				reject(new Error('no test event within 5 s'));
			}, 5000);
		}),
	]).finally(() => clearTimeout(timer));
	expect(triggerOutput(run).map((item) => [item.contactId, item.score])).toEqual([['new', 60]]);
});

test('each trigger node reads through a consumer group of its own, which stays in Redis with nothing pending after deactivation', async () => {
	const trigger = await activate('wf-groups');
	await setScore('g1', 60);
	await trigger.waitForItems(1, 10_000);
	await deactivate(trigger);

	const redis = new Redis({ host: server.host, port: server.port, password: PASSWORD });
	try {
		const groups = (await redis.call('XINFO', 'GROUPS', worker.changeLogKey('lead'))) as unknown[][];
		const summary = groups.map((fields) => [fields[fields.indexOf('name') + 1], fields[fields.indexOf('pending') + 1]]);
		expect(summary).toEqual([['trigger:wf-groups:trigger-1', 0]]);
	} finally {
		redis.disconnect();
	}
});

test('activation with a wrong password fails with a clear error and fires nothing', async () => {
	const wrong = redisCredential(server, { password: 'nope', keyPrefix: credential.data.keyPrefix as string }, 'redis-wrong');
	await expect(activateTrigger(spec('wf-wrong', wrong))).rejects.toThrow(/refused the credential's user or password/);
});

test('Redis restarting under an active trigger: it reconnects by itself and fires for the next crossing, nothing twice', async () => {
	const restartable = await RedisTestServer.start({ password: PASSWORD, persistent: true });
	const own = redisCredential(restartable, { password: PASSWORD, keyPrefix: 'restart:' }, 'redis-restartable');
	const writer = otherProcessStore(own);
	try {
		await createRedisProfile(own, { id: 'lead', rules: [] });
		const trigger = await activateTrigger(spec('wf-restart', own));
		activeTriggers.push(trigger);
		await scoring(writer).adjustScore('lead', { contactId: 'before', operation: 'set', points: 60, at: Date.now() });
		await trigger.waitForItems(1, 10_000);

		await restartable.stop();
		// Long enough for the connections' reconnect backoff to grow past a second.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		await restartable.launch();

		await scoring(writer).adjustScore('lead', { contactId: 'after', operation: 'set', points: 70, at: Date.now() });
		await trigger.waitForItems(2, 10_000);
		await settle();
		expect(trigger.items().map((item) => [item.contactId, item.score])).toEqual([
			['before', 60],
			['after', 70],
		]);
	} finally {
		await Promise.all(activeTriggers.splice(0).map(async (trigger) => await trigger.deactivate()));
		await writer.close();
		await closeRedisConnections();
		await restartable.destroy();
	}
});
