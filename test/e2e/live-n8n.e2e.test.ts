/**
 * The package inside a real n8n 2.41.1, driven only over HTTP from outside: the demo workflows of
 * examples/ receive events on their webhooks, the trigger workflow's HTTP Request step posts to a
 * sink this test runs on loopback, and the top-contacts webhook reads scores back.
 */
import { KINDS, THRESHOLD, eventBody, planContact, random, randomKinds, type ContactPlan } from './demo-events';
import { bootDemo, isAlive, SCORES_DATA_TABLE, sleep, type LiveDemo, type Notification } from './live-n8n';
import {
	BOOKING_EXPIRES_AFTER_SECONDS,
	DROP_NOTIFICATION_PATH,
	DROP_THRESHOLD,
	RULES_PROFILE_ID,
	SALES_MAX,
	setUpRulesProfile,
} from './rules-profile';

const PROFILE_ID = 'lead-score';
const DATA_TABLE_WORKFLOW_ID = 'EngScoreDataTbl1';
/** How long to keep watching the sink to be sure no extra notification comes. */
const QUIET_PERIOD_MS = 4000;

let demo: LiveDemo;
let stepsDeclared = 0;
let stepsPassed = 0;

/** A test whose success is counted, so the user folder is kept for inspection unless all passed. */
function step(name: string, body: () => Promise<void>): void {
	stepsDeclared++;
	it(name, async () => {
		await body();
		stepsPassed++;
	});
}

beforeAll(async () => {
	demo = await bootDemo({ log: (line) => process.stdout.write(`${line}\n`) });
});

afterAll(async () => {
	if (!demo) return;
	await demo.close();
	if (stepsPassed === stepsDeclared) demo.removeUserFolder();
	else process.stdout.write(`e2e user folder kept for inspection: ${demo.userFolder}\n`);
});

const sortedEntries = (record: Record<string, number>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

async function scoresByContact(): Promise<Map<string, number>> {
	const { status, body } = await demo.topContacts(1000);
	expect(status).toBe(200);
	expect(body.profileId).toBe(PROFILE_ID);
	return new Map((body.contacts as Array<{ contactId: string; score: number }>).map((c) => [c.contactId, c.score]));
}

function notificationsFor(contactId: string, received: Notification[] = demo.sink.received): Notification[] {
	return received.filter((notification) => notification.body.contactId === contactId);
}

/** Sends each contact's events in order (one request at a time per contact, contacts in parallel). */
async function sendPlans(plans: readonly ContactPlan[]): Promise<void> {
	await Promise.all(
		plans.map(async (plan) => {
			for (const event of plan.events) {
				const { status, body } = await demo.scoreEvent(eventBody(event));
				expect({ contactId: plan.contactId, event: event.kind.name, status, score: body.score, delta: body.delta }).toEqual({
					contactId: plan.contactId,
					event: event.kind.name,
					status: 200,
					score: event.scoreAfter,
					delta: event.kind.points,
				});
			}
		}),
	);
}

const expectedScores = new Map<string, number>();

describe('the package in a live n8n', () => {
	const next = random(20261122);
	const streamPlans: ContactPlan[] = [
		// Contact ids that are special words in JavaScript are ordinary ids.
		...['__proto__', 'constructor', 'toString'].map((id) => planContact(id, randomKinds(next, 10))),
		...Array.from({ length: 13 }, (_, index) => planContact(`contact-${index + 1}`, randomKinds(next, 12))),
		// Enters ">= 50" three times: 30 -> 55, falls to 35, 55 again, falls to 40, then exactly 50.
		planContact('re-entering', [KINDS.vipAdded, KINDS.clicked, KINDS.order, KINDS.vipRemoved, KINDS.booked, KINDS.bounced, KINDS.survey]),
	];

	step('scores a stream of events through the webhook workflow and reads every score back', async () => {
		expect(streamPlans.find((plan) => plan.contactId === 're-entering')?.crossings).toBe(3);
		expect(streamPlans.filter((plan) => plan.crossings > 0).length).toBeGreaterThan(5);

		await sendPlans(streamPlans);

		for (const plan of streamPlans) expectedScores.set(plan.contactId, plan.finalScore);
		const scores = await scoresByContact();
		expect(Object.fromEntries(scores)).toEqual(Object.fromEntries(expectedScores));
		const ordered = [...scores.values()];
		expect(ordered).toEqual([...ordered].sort((a, b) => b - a));
	});

	step('runs the trigger workflow once per contact entering score >= 50, and again on re-entry', async () => {
		const expectedTotal = streamPlans.reduce((sum, plan) => sum + plan.crossings, 0);
		await demo.sink.waitFor((received) => received.length >= expectedTotal, 60_000);
		await sleep(QUIET_PERIOD_MS);

		expect(demo.sink.received).toHaveLength(expectedTotal);
		for (const plan of streamPlans) {
			const mine = notificationsFor(plan.contactId);
			expect({ contactId: plan.contactId, firings: mine.length }).toEqual({ contactId: plan.contactId, firings: plan.crossings });
			for (const { body } of mine) {
				expect(body.profileId).toBe(PROFILE_ID);
				expect(body.score).toBeGreaterThanOrEqual(THRESHOLD);
				expect(body.previousScore).toBeLessThan(THRESHOLD);
				expect(body.text).toBe(`Contact ${plan.contactId} reached ${body.score} points on ${PROFILE_ID}`);
			}
		}
		const reentering = notificationsFor('re-entering').map(({ body }) => [body.previousScore, body.score]);
		expect(reentering).toEqual([
			[30, 55],
			[35, 55],
			[40, 50],
		]);
	});

	step('counts an event id once, even when the same event is delivered twice or concurrently', async () => {
		const event = { contactId: 'retried-webhook', type: 'email_event', properties: { event: 'clicked' }, id: 'esp-evt-1001' };
		const first = await demo.scoreEvent(event);
		const second = await demo.scoreEvent(event);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ duplicate: false, previousScore: 0, score: 10, delta: 10, eventId: 'esp-evt-1001' });
		expect(second.status).toBe(200);
		expect(second.body).toMatchObject({ duplicate: true, score: 10, delta: 0 });

		const burst = await Promise.all(
			Array.from({ length: 6 }, () => demo.scoreEvent({ ...event, contactId: 'burst', id: 'esp-evt-2002' })),
		);
		expect(burst.map((result) => result.status)).toEqual(Array(6).fill(200));
		expect(burst.filter((result) => result.body.duplicate === false)).toHaveLength(1);

		expectedScores.set('retried-webhook', 10);
		expectedScores.set('burst', 10);
		const scores = await scoresByContact();
		expect(scores.get('retried-webhook')).toBe(10);
		expect(scores.get('burst')).toBe(10);
	});

	step('adds points by hand through the Modify Engagement Score workflow', async () => {
		const before = expectedScores.get('contact-1') ?? 0;
		const { status, body } = await demo.adjust({ contactId: 'contact-1', points: 3, reason: 'Called sales' });
		expect(status).toBe(200);
		expect(body).toMatchObject({ contactId: 'contact-1', previousScore: before, score: before + 3 });
		expectedScores.set('contact-1', before + 3);
		expect((await scoresByContact()).get('contact-1')).toBe(before + 3);
	});

	step('answers malformed events with a clear error naming the field, and changes no score', async () => {
		const before = await scoresByContact();
		const notificationsBefore = demo.sink.received.length;

		const noContact = await demo.scoreEvent({ type: 'email_event', properties: { event: 'clicked' } });
		expect(noContact.status).toBe(400);
		expect(noContact.body.error).toMatch(/^Item 0: Contact ID: /);

		const textPoints = await demo.adjust({ contactId: 'contact-2', points: 'ten', reason: 'typo' });
		expect(textPoints.status).toBe(400);
		expect(textPoints.body.error).toMatch(/^Item 0: Points: .*"ten"/);

		const unknownProfile = await demo.scoreEvent({
			profileId: 'no-such-profile',
			contactId: 'contact-3',
			type: 'email_event',
			properties: { event: 'clicked' },
		});
		expect(unknownProfile.status).toBe(400);
		expect(unknownProfile.body.error).toMatch(/^Item 0: Score Profile: .*"no-such-profile"/);

		const textProperties = await demo.scoreEvent({ contactId: 'contact-4', type: 'email_event', properties: 'clicked' });
		expect(textProperties.status).toBe(400);
		expect(textProperties.body.error).toMatch(/^Item 0: Properties: /);

		expect(Object.fromEntries(await scoresByContact())).toEqual(Object.fromEntries(before));
		await sleep(1000);
		expect(demo.sink.received).toHaveLength(notificationsBefore);
	});

	step('keeps an n8n Data Table of contacts and scores in step: one row per contact with its score, read over the REST API', async () => {
		const table = await demo.client.findDataTable(SCORES_DATA_TABLE.name);
		expect(table).toBeDefined();
		expect(table?.columns.map((column) => [column.name, column.type]).sort()).toEqual(
			SCORES_DATA_TABLE.columns.map((column) => [column.name, column.type]).sort(),
		);
		const projectId = await demo.client.personalProjectId();
		const expected = Object.fromEntries(expectedScores);
		const tableScores = async () => {
			const rows = await demo.client.dataTableRows(projectId, table!.id);
			return { rows, scores: Object.fromEntries(rows.map((row) => [row.contactId as string, row.score as number])) };
		};
		const deadline = Date.now() + 60_000;
		let current = await tableScores();
		while (JSON.stringify(sortedEntries(current.scores)) !== JSON.stringify(sortedEntries(expected)) && Date.now() < deadline) {
			await sleep(500);
			current = await tableScores();
		}
		expect(current.scores).toEqual(expected);
		// Upserted by contact id: one row each, holding the contact's latest change.
		expect(current.rows).toHaveLength(expectedScores.size);
		const contact1 = current.rows.find((row) => row.contactId === 'contact-1');
		expect(contact1).toMatchObject({ delta: 3, cause: 'add 3: Called sales', previousScore: (expectedScores.get('contact-1') ?? 0) - 3 });

		const executions = await demo.client.listExecutions(DATA_TABLE_WORKFLOW_ID);
		expect(executions.length).toBeGreaterThan(0);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
	});

	step('keeps scores over a restart; the trigger neither repeats old firings nor misses a new crossing', async () => {
		const before = await scoresByContact();
		expect(Object.fromEntries(before)).toEqual(Object.fromEntries(expectedScores));
		const notificationsBefore = demo.sink.received.length;
		const oldPid = demo.n8n.pid;

		await demo.restart();
		expect(isAlive(oldPid)).toBe(false);
		expect(demo.n8n.pid).not.toBe(oldPid);

		expect(Object.fromEntries(await scoresByContact())).toEqual(Object.fromEntries(before));
		await sleep(QUIET_PERIOD_MS);
		expect(demo.sink.received).toHaveLength(notificationsBefore);

		// A contact already at or above 50 stays there: no new firing.
		const [hotContact, hotScore] = [...before.entries()].find(([, score]) => score >= THRESHOLD + 5) ?? [];
		expect(hotContact).toBeDefined();
		const stillHot = await demo.scoreEvent({ contactId: hotContact, type: 'email_event', properties: { event: 'opened' } });
		expect(stillHot.body).toMatchObject({ previousScore: hotScore, score: (hotScore as number) + 5 });

		// A new contact crosses after the restart: exactly one firing.
		const late = planContact('after-restart', [KINDS.customer, KINDS.link, KINDS.opened, KINDS.clicked]);
		expect(late.crossings).toBe(1);
		await sendPlans([late]);
		await demo.sink.waitFor((received) => notificationsFor('after-restart', received).length >= 1, 30_000);
		await sleep(QUIET_PERIOD_MS);
		expect(notificationsFor('after-restart').map(({ body }) => [body.previousScore, body.score])).toEqual([[40, 50]]);
		expect(demo.sink.received).toHaveLength(notificationsBefore + 1);
	});

	// Runs last: its trigger workflow posts to a path of its own, after every count of the sink above.
	step('scores rules that count once a day, expire with nothing running (the trigger fires on the drop) and a capped group', async () => {
		const profile = await setUpRulesProfile(demo);
		expect(profile).toMatchObject({ id: RULES_PROFILE_ID, status: 'published', publishedSettings: { limits: { groupMax: { Sales: SALES_MAX } } } });
		const drops = () => demo.sink.received.filter((notification) => notification.path === DROP_NOTIFICATION_PATH);
		const score = async (event: Record<string, unknown>) => {
			const { status, body } = await demo.scoreEvent({ profileId: RULES_PROFILE_ID, ...event });
			expect(status).toBe(200);
			return body;
		};

		// Once per calendar day: yesterday's open counts, today's first counts, today's second does not.
		const opened = { contactId: 'daily', type: 'email_event', properties: { event: 'opened' } };
		const yesterday = new Date(Date.now() - 86_400_000).toISOString();
		expect(await score({ ...opened, occurredAt: yesterday })).toMatchObject({ score: 5, delta: 5 });
		expect(await score(opened)).toMatchObject({ score: 10, delta: 5, limitedRuleIds: [] });
		expect(await score(opened)).toMatchObject({ score: 10, delta: 0, matchedRuleIds: ['daily-open'], limitedRuleIds: ['daily-open'] });

		// The Sales group holds at most 30: the second call adds 10 of its 20.
		const call = { contactId: 'capped', type: 'call_logged' };
		expect(await score(call)).toMatchObject({ score: 20, delta: 20 });
		expect(await score(call)).toMatchObject({ score: 30, delta: 10 });
		expect(await score(call)).toMatchObject({ score: 30, delta: 0 });

		// A booking's 30 points leave the score seconds after it; nothing is sent in between, so
		// only the trigger's own expiry timer can apply them, and it fires on the drop below 20.
		const bookedAt = Date.now();
		expect(await score({ contactId: 'expiring', type: 'appointment_booked', occurredAt: new Date(bookedAt).toISOString() })).toMatchObject({
			score: 30,
		});
		await demo.sink.waitFor(() => drops().length >= 1, 60_000);
		const [drop] = drops();
		expect(drop.at - bookedAt).toBeGreaterThanOrEqual(BOOKING_EXPIRES_AFTER_SECONDS * 1000 - 1000);
		expect(drop.body).toMatchObject({
			contactId: 'expiring',
			profileId: RULES_PROFILE_ID,
			previousScore: 30,
			score: 0,
			delta: -30,
			cause: { kind: 'expired', ruleId: 'booking' },
		});
		expect(drop.body.score).toBeLessThan(DROP_THRESHOLD);

		const { status, body } = await demo.topContacts(10, RULES_PROFILE_ID);
		expect(status).toBe(200);
		const contacts = Object.fromEntries((body.contacts as Array<Record<string, unknown>>).map((contact) => [contact.contactId, contact]));
		expect(contacts.daily).toMatchObject({ score: 10 });
		expect(contacts.capped).toMatchObject({ score: 30, groups: { Sales: 30 }, topGroup: 'Sales' });
		expect(contacts.expiring).toMatchObject({ score: 0 });
		await sleep(QUIET_PERIOD_MS);
		expect(drops()).toHaveLength(1);
	});
});
