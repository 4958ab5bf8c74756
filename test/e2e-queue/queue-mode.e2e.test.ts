/**
 * Queue-mode end-to-end: a real n8n 2.41.1 main plus two `n8n worker` processes on PostgreSQL, one
 * redis-server as n8n's Bull queue and as the Engagement Score store, the demo workflows of
 * examples/ switched to the Redis store, n8n otherwise at its defaults. 20,000 events (800
 * contacts x 25) are posted by 40 parallel clients: 10,000 with both workers, 10,000 while worker-1
 * is killed with SIGKILL by its pid part way. After each half: every final score equals the exact
 * expected sum (read through the top-contacts webhook and through the package's RedisStore), each
 * event id is in the change log once, whatever was delivered twice, and each crossing of score 50
 * started exactly one execution of the trigger workflow (counted over n8n's REST API) and posted
 * one notification to the loopback sink.
 *
 * Events are posted in batches of 10 (one event of each of a client's 10 contacts per request) to a
 * batch variant of the score webhook workflow (examples/1 plus a Split Out step), because of time:
 * measured on this 2-vCPU machine, queue mode runs ~14 webhook executions/s with n8n's default
 * `vm` expression engine, so 20,000 single-event requests would take ~24 minutes of the 90 CI has
 * (the legacy engine runs ~43/s, but it is deprecated and insecure, and the test should run n8n as
 * users do). Batching keeps 20,000 events, parallel executions on both workers, and one store call
 * per execution scoring many contacts; the shipped single-event workflow still takes part: events
 * delivered twice at the same time as one request of a batch and a single-event request, and
 * earlier events replayed later, go to it.
 *
 * A request that fails (its execution died with the killed worker: 5xx, or no answer in time) is
 * sent again with the same body and event ids, as an event source does; the dedupe makes that
 * safe, and the log says how many were resent. A trigger execution that was running on the killed
 * worker dies with it (n8n does not re-run a stalled job); its firing was still exactly one
 * execution, and its notification may or may not have been posted, never twice.
 */
import { EngagementEngine } from '../../src/engine';
import type { ScoreChange } from '../../src/types';
import { sendStreams, randomStreams, type ContactStream, type Crossing, type SendReport } from './event-stream';
import {
	BATCH_WEBHOOK_PATH,
	bootQueueDemo,
	webhookPaths,
	TRIGGER_NODE_NAME,
	TRIGGER_WORKFLOW_ID,
	type Notification,
	type QueueDemo,
} from './queue-demo';

const PROFILE_ID = 'lead-score';
/** A profile of its own for the rule limited to 3 a day, set up through the package's engine on the score database. */
const LIMITED_PROFILE_ID = 'queue-limited';
const EVENTS_PER_CONTACT = 25;
const CONTACTS_PER_HALF = 400;
/** Contacts per request; one client per group of contacts, all groups of a half in flight at once. */
const BATCH_SIZE = 10;
const CLIENTS = CONTACTS_PER_HALF / BATCH_SIZE;
/** The second half kills worker-1 once this many of its events are answered. */
const KILL_AFTER_EVENTS = 3000;
/** A request of a killed execution gets a 500 once its job is declared stalled (~20 s); a client waits longer than that. */
const REQUEST_TIMEOUT_MS = 90_000;
/** How long to keep watching for an extra execution or notification after the expected ones arrived. */
const QUIET_PERIOD_MS = 5000;
const SEND_OPTIONS = {
	batchPath: BATCH_WEBHOOK_PATH,
	singlePath: webhookPaths.scoreEvent,
	clients: CLIENTS,
	batchSize: BATCH_SIZE,
	duplicateRoundRate: 0.04,
	duplicateSingleRate: 0.1,
	replayRate: 0.1,
	requestTimeoutMs: REQUEST_TIMEOUT_MS,
};

const log = (line: string) => process.stdout.write(`${line}\n`);

let demo: QueueDemo;
let stepsDeclared = 0;
let stepsPassed = 0;
const testStarted = Date.now();

/** A test whose success is counted, so the scratch folder (n8n logs) is kept unless all passed. */
function step(name: string, body: () => Promise<void>): void {
	stepsDeclared++;
	it(name, async () => {
		await body();
		stepsPassed++;
	});
}

beforeAll(async () => {
	const started = Date.now();
	demo = await bootQueueDemo(log);
	log(`queue-mode setup ready in ${seconds(Date.now() - started)} s`);
});

afterAll(async () => {
	if (!demo) return;
	const keep = stepsPassed !== stepsDeclared;
	await demo.close(keep);
	if (keep) log(`queue-mode e2e folder kept for inspection (n8n logs): ${demo.folder}`);
	log(`queue-mode e2e took ${seconds(Date.now() - testStarted)} s in all`);
});

// Contact ids that are special words in JavaScript are ordinary ids, here too.
const contactIds = Array.from({ length: 2 * CONTACTS_PER_HALF }, (_, index) =>
	index === 0 ? '__proto__' : index === 1 ? 'constructor' : `contact-${String(index).padStart(4, '0')}`,
);
const firstHalf = randomStreams(20261122, contactIds.slice(0, CONTACTS_PER_HALF), EVENTS_PER_CONTACT, 'q1');
const secondHalf = randomStreams(20261123, contactIds.slice(CONTACTS_PER_HALF), EVENTS_PER_CONTACT, 'q2');

describe('n8n in queue mode (main + 2 workers) with the Redis store', () => {
	step('the generated streams exercise what is checked: 10,000 events per half, crossings, re-entries', async () => {
		for (const half of [firstHalf, secondHalf]) {
			expect(half.reduce((sum, stream) => sum + stream.events.length, 0)).toBe(10_000);
			expect(half.filter((stream) => stream.crossings.length > 0).length).toBeGreaterThan(CONTACTS_PER_HALF / 2);
			expect(half.some((stream) => stream.crossings.length > 1)).toBe(true);
			expect(half.some((stream) => stream.events.some((event) => event.kind.points === 0))).toBe(true);
		}
		expect(demo.cluster.workers.map((worker) => worker.isRunning())).toEqual([true, true]);
	});

	step('10,000 events from 40 parallel clients: exact scores, each event id counted once, one firing per crossing', async () => {
		const report = await sendStreams(firstHalf, { ...SEND_OPTIONS, baseUrl: demo.baseUrl, seed: 1 });
		log(`first half (2 workers): ${summary(report)}`);
		expect(report.violations).toEqual([]);
		expect(report.events).toBe(10_000);
		expect(report.resent).toBe(0);

		await expectScores(firstHalf);
		const changes = await expectChangeLog(firstHalf);
		const crossings = firstHalf.flatMap((stream) => stream.crossings);
		const executions = await settledTriggerExecutions(firstHalf, 0, crossings.length);
		expectOneExecutionPerCrossing(executions, crossings, changes);
		expect(executions.filter((execution) => execution.status !== 'success').map(({ id, status }) => ({ id, status }))).toEqual([]);
		const notifications = await settledNotifications(firstHalf, crossings.length);
		expectOneNotificationPerCrossing(notifications, crossings, []);
		log(`  ${crossings.length} crossings: ${executions.length} trigger executions, ${notifications.length} notifications`);
	});

	step('50 parallel executions on the two workers hitting one contact\'s "at most 3 per day" rule award it exactly 3 times', async () => {
		const engine = new EngagementEngine(demo.store);
		await engine.createProfile({
			id: LIMITED_PROFILE_ID,
			name: 'Limited',
			rules: [{ id: 'opened', eventType: 'email_event', points: 5, counts: { times: 3, per: 'day' } }],
		});
		await engine.publish(LIMITED_PROFILE_ID);
		const event = { profileId: LIMITED_PROFILE_ID, contactId: 'limited', type: 'email_event', properties: { event: 'opened' } };
		const responses = await Promise.all(
			Array.from({ length: 50 }, async (_, index) => {
				const response = await fetch(`${demo.baseUrl}/webhook/${webhookPaths.scoreEvent}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ ...event, id: `limited-${index}` }),
				});
				return { status: response.status, body: (await response.json()) as { delta: number; limitedRuleIds: string[] } };
			}),
		);
		expect(responses.filter((response) => response.status !== 200)).toEqual([]);
		expect(responses.filter((response) => response.body.delta === 5)).toHaveLength(3);
		expect(responses.filter((response) => response.body.delta === 0 && response.body.limitedRuleIds[0] === 'opened')).toHaveLength(47);
		expect(await demo.store.getContact(LIMITED_PROFILE_ID, 'limited')).toMatchObject({ score: 15 });
		expect((await demo.store.readChanges(LIMITED_PROFILE_ID, 0, 100)).map((change) => change.delta)).toEqual([5, 5, 5]);
	});

	step('10,000 more events while worker-1 is killed by pid part way: still exact, once per event and per crossing', async () => {
		const [victim, survivor] = demo.cluster.workers;
		let killing: Promise<void> | undefined;
		const report = await sendStreams(secondHalf, {
			...SEND_OPTIONS,
			baseUrl: demo.baseUrl,
			seed: 2,
			onProgress: (done) => {
				if (done >= KILL_AFTER_EVENTS && !killing) {
					log(`  ${done} events answered: killing ${victim.name} (pid ${victim.pid}) with SIGKILL`);
					killing = victim.kill();
				}
			},
		});
		await killing;
		log(`second half (${victim.name} killed after ${KILL_AFTER_EVENTS} events): ${summary(report)}`);
		expect(killing).toBeDefined();
		expect(victim.isRunning()).toBe(false);
		expect(isAlive(victim.pid)).toBe(false);
		expect(survivor.isRunning()).toBe(true);
		expect(report.violations).toEqual([]);
		expect(report.events).toBe(10_000);

		const all = [...firstHalf, ...secondHalf];
		await expectScores(all);
		const changes = await expectChangeLog(all);
		const crossings = secondHalf.flatMap((stream) => stream.crossings);
		const earlier = firstHalf.reduce((sum, stream) => sum + stream.crossings.length, 0);
		const executions = await settledTriggerExecutions(secondHalf, earlier, crossings.length);
		// The trigger runs on the main, which lives on: one execution per crossing, whatever the workers do.
		expectOneExecutionPerCrossing(executions, crossings, changes);
		const died = executions.filter((execution) => execution.status !== 'success');
		log(`  trigger executions that did not succeed: ${JSON.stringify(died.map(({ id, status, item }) => ({ id, status, eventId: item.cause.eventId })))}`);
		// Only a worker's death may end one unsuccessfully: as many as the killed worker could hold.
		expect(died.every((execution) => execution.status === 'crashed' || execution.status === 'error')).toBe(true);
		expect(died.length).toBeLessThanOrEqual(10);
		const notifications = await settledNotifications(secondHalf, crossings.length - died.length);
		expectOneNotificationPerCrossing(notifications, crossings, died.map((execution) => execution.item.cause.eventId));
		log(`  ${crossings.length} crossings: ${executions.length} trigger executions, ${notifications.length} notifications`);
	});
});

// ---------------------------------------------------------------------------------------------

function seconds(ms: number): string {
	return (ms / 1000).toFixed(1);
}

function summary(report: SendReport): string {
	return (
		`${report.events} events in ${seconds(report.elapsedMs)} s (${Math.round(report.events / (report.elapsedMs / 1000))} events/s) ` +
		`over ${report.requests} requests (${report.batchRequests} batches, ${report.singleRequests} single events): ` +
		`${report.concurrentDuplicates} deliveries were a concurrent duplicate, ${report.replays} events replayed later, ` +
		`${report.resent} requests resent ${JSON.stringify(report.resendCauses)}`
	);
}

/**
 * Every contact's score equals the exact sum of its events' points, read back twice: through the
 * demo's top-contacts webhook (a worker runs it) and through the package's RedisStore.
 */
async function expectScores(streams: readonly ContactStream[]): Promise<void> {
	const expected = Object.fromEntries(streams.map((stream) => [stream.contactId, stream.finalScore]));

	const response = await fetch(`${demo.baseUrl}/webhook/${webhookPaths.topContacts}?limit=${streams.length + 10}`);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { profileId: string; contacts: Array<{ contactId: string; score: number }> };
	expect(body.profileId).toBe(PROFILE_ID);
	expect(body.contacts).toHaveLength(streams.length);
	expect(Object.fromEntries(body.contacts.map((contact) => [contact.contactId, contact.score]))).toEqual(expected);

	const stored = await demo.store.listContacts(PROFILE_ID, { order: 'desc', limit: streams.length + 10 });
	expect(stored).toHaveLength(streams.length);
	expect(Object.fromEntries(stored.map((contact) => [contact.contactId, contact.score]))).toEqual(expected);
}

/**
 * The profile's change log, read through RedisStore.readChanges: exactly one change per event id
 * that scores points, none for events that match no rule, nothing else; per contact the changes in
 * seq order walk the expected score path. Returns the changes.
 */
async function expectChangeLog(streams: readonly ContactStream[]): Promise<ScoreChange[]> {
	const changes: ScoreChange[] = [];
	for (let afterSeq = 0; ; ) {
		const page = await demo.store.readChanges(PROFILE_ID, afterSeq, 5000);
		changes.push(...page);
		if (page.length === 0) break;
		afterSeq = page[page.length - 1].seq;
	}
	const perEventId = new Map<string, number>();
	for (const change of changes) {
		const eventId = change.cause.kind === 'event' ? change.cause.eventId : undefined;
		perEventId.set(eventId ?? `(${change.cause.kind} without event id)`, (perEventId.get(eventId ?? `(${change.cause.kind} without event id)`) ?? 0) + 1);
	}
	expect([...perEventId].filter(([, count]) => count > 1)).toEqual([]);
	// 'delivered' events match no rule: they change nothing and leave no change.
	const scoringIds = streams.flatMap((stream) => stream.events.filter((event) => event.kind.points !== 0).map((event) => event.id));
	expect(scoringIds.filter((id) => !perEventId.has(id))).toEqual([]);
	expect(changes).toHaveLength(scoringIds.length);

	const pathOf = new Map<string, Array<[number, number]>>();
	for (const change of changes) {
		const path = pathOf.get(change.contactId) ?? [];
		path.push([change.previousScore, change.score]);
		pathOf.set(change.contactId, path);
	}
	// Object.fromEntries, not assignment: '__proto__' is a contact id here, so an own property.
	const expectedPaths = Object.fromEntries(
		streams.map((stream) => {
			const expected: Array<[number, number]> = [];
			let previous = 0;
			for (const event of stream.events) {
				if (event.kind.points !== 0) expected.push([previous, event.scoreAfter]);
				previous = event.scoreAfter;
			}
			return [stream.contactId, expected];
		}),
	);
	const actualPaths = Object.fromEntries(streams.map((stream) => [stream.contactId, pathOf.get(stream.contactId) ?? []]));
	expect(actualPaths).toEqual(expectedPaths);
	return changes;
}

interface Firing {
	readonly contactId: string;
	readonly previousScore: number;
	readonly score: number;
	readonly changeSeq: number;
	readonly cause: { readonly eventId?: string };
}

interface TriggerExecution {
	readonly id: string;
	readonly status: string;
	readonly item: Firing;
}

const UNFINISHED = ['new', 'running', 'waiting'];

/**
 * The trigger workflow's executions for these contacts, once n8n recorded `earlier + expected` in
 * all and every one is finished, and still after a quiet period (an extra firing would show then).
 */
async function settledTriggerExecutions(streams: readonly ContactStream[], earlier: number, expected: number): Promise<TriggerExecution[]> {
	const deadline = Date.now() + 240_000;
	for (;;) {
		const recorded = await demo.client.countExecutions(TRIGGER_WORKFLOW_ID);
		const unfinished = await demo.client.countExecutions(TRIGGER_WORKFLOW_ID, UNFINISHED);
		if (unfinished === 0 && recorded >= earlier + expected) break;
		if (Date.now() > deadline) {
			throw new Error(`trigger executions did not settle: ${recorded} of ${earlier + expected} recorded, ${unfinished} not finished`);
		}
		await sleep(2000);
	}
	await sleep(QUIET_PERIOD_MS);
	const contacts = new Set(streams.map((stream) => stream.contactId));
	return (await triggerExecutions()).filter((execution) => contacts.has(execution.item.contactId));
}

/** The executions n8n recorded for the trigger workflow, each with the firing that started it. */
async function triggerExecutions(): Promise<TriggerExecution[]> {
	const summaries = await demo.client.listExecutions(TRIGGER_WORKFLOW_ID);
	const executions: TriggerExecution[] = [];
	const queue = [...summaries];
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			for (let summary = queue.shift(); summary; summary = queue.shift()) {
				const execution = await demo.client.getExecution(summary.id);
				executions.push({ id: summary.id, status: summary.status, item: firingOf(demo.parseExecutionData(execution.data)) });
			}
		}),
	);
	return executions;
}

/** The trigger's item: in its run data once a worker ran it, else in the stack the main queued. */
function firingOf(data: Record<string, unknown>): Firing {
	type Items = { main: Array<Array<{ json: Firing }>> };
	const resultData = data.resultData as { runData?: Record<string, Array<{ data?: Items }>> };
	const fromRun = resultData.runData?.[TRIGGER_NODE_NAME]?.[0]?.data?.main[0][0]?.json;
	if (fromRun) return fromRun;
	const stack = (data.executionData as { nodeExecutionStack?: Array<{ node: { name: string }; data: Items }> })?.nodeExecutionStack;
	const queued = stack?.find((entry) => entry.node.name === TRIGGER_NODE_NAME)?.data.main[0][0]?.json;
	if (!queued) throw new Error(`no trigger item in execution data: ${JSON.stringify(data).slice(0, 500)}`);
	return queued;
}

/** The sink's notifications about these contacts, once `atLeast` arrived and a quiet period passed. */
async function settledNotifications(streams: readonly ContactStream[], atLeast: number): Promise<Notification[]> {
	const contacts = new Set(streams.map((stream) => stream.contactId));
	const mine = (received: readonly Notification[]) => received.filter((notification) => contacts.has(notification.body.contactId as string));
	await demo.sink.waitFor((received) => mine(received).length >= atLeast, 180_000);
	await sleep(QUIET_PERIOD_MS);
	return mine(demo.sink.received);
}

/**
 * One execution per expected crossing, told apart by the event id that crossed: none missing, none
 * twice, nothing else; each carries the seq of that event's change in the log and its scores.
 */
function expectOneExecutionPerCrossing(executions: readonly TriggerExecution[], crossings: readonly Crossing[], changes: readonly ScoreChange[]): void {
	const seqOf = new Map(changes.map((change) => [change.cause.kind === 'event' ? change.cause.eventId : undefined, change.seq]));
	const fired = executions.map(({ item }) => ({
		eventId: item.cause.eventId,
		contactId: item.contactId,
		previousScore: item.previousScore,
		score: item.score,
		changeSeq: item.changeSeq,
	}));
	const expected = crossings.map((crossing) => ({ ...crossing, changeSeq: seqOf.get(crossing.eventId) }));
	expect(sortByEventId(fired)).toEqual(sortByEventId(expected));
}

/**
 * Exactly one notification per crossing at the sink, none for anything else. `unknownOutcome`:
 * event ids whose trigger execution died with the killed worker; such a firing may or may not have
 * posted before the worker died, but never twice.
 */
function expectOneNotificationPerCrossing(received: readonly Notification[], crossings: readonly Crossing[], unknownOutcome: ReadonlyArray<string | undefined>): void {
	const items = received.map((notification) => notification.body as unknown as Firing);
	const eventIds = items.map((item) => item.cause.eventId);
	expect(eventIds.filter((id, index) => eventIds.indexOf(id) !== index)).toEqual([]);
	const known = items.filter((item) => !unknownOutcome.includes(item.cause.eventId));
	const expected = crossings.filter((crossing) => !unknownOutcome.includes(crossing.eventId));
	expect(
		sortByEventId(known.map((item) => ({ eventId: item.cause.eventId, contactId: item.contactId, previousScore: item.previousScore, score: item.score }))),
	).toEqual(sortByEventId(expected.map(({ eventId, contactId, previousScore, score }) => ({ eventId, contactId, previousScore, score }))));
	const crossingIds = new Set(crossings.map((crossing) => crossing.eventId));
	expect(items.filter((item) => !crossingIds.has(item.cause.eventId as string))).toEqual([]);
}

function sortByEventId<T extends { eventId?: string }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => ((a.eventId ?? '') < (b.eventId ?? '') ? -1 : (a.eventId ?? '') > (b.eventId ?? '') ? 1 : 0));
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
