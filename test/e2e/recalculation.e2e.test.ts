/**
 * Issue 11 in a real n8n 2.41.1 on the default (SQLite) store, driven only over HTTP: events sent
 * to a draft profile are recorded, Preview Draft shows what publishing would do, Publish with
 * recalculation scores what was recorded (and the trigger sees it only where Include
 * Recalculations is on), a changed rule rescores everyone at the next publish, and Explain Score
 * adds up to the score.
 */
import { bootDemo, sleep, type LiveDemo, type Notification } from './live-n8n';
import {
	CHANGED_RULE,
	DRAFT_RULES,
	installJournalWorkflows,
	JOURNAL_PROFILE_ID,
	WITH_RECALCULATIONS_PATH,
	WITHOUT_RECALCULATIONS_PATH,
	type JournalWorkflows,
} from './journal-workflows';

/** The demo workflows this scenario uses: the event webhook, the adjust webhook and the top-contacts webhook. */
const UNUSED_DEMO_WORKFLOWS = ['EngScoreProfile1', 'EngScoreHotLead1', 'EngScoreDecay001', 'EngScoreDataTbl1'];
/** How long to keep watching the sink to be sure no extra notification comes. */
const QUIET_PERIOD_MS = 4000;

const OPENED = { type: 'email_event', properties: { event: 'opened' } };
const BOOKED = { type: 'appointment_booked', properties: {} };
const DELIVERED = { type: 'email_event', properties: { event: 'delivered' } };
/** Sent while the profile is a draft. Under the first rules (open 5, booking 20): ann 30, bob 5, cid 20, dan 0. */
const DRAFT_EVENTS = [
	{ contactId: 'ann', ...OPENED },
	{ contactId: 'ann', ...OPENED },
	{ contactId: 'ann', ...BOOKED },
	{ contactId: 'bob', ...OPENED },
	{ contactId: 'cid', ...BOOKED },
	{ contactId: 'dan', ...DELIVERED },
];

let demo: LiveDemo;
let journal: JournalWorkflows;
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
	demo = await bootDemo({ log: (line) => process.stdout.write(`${line}\n`), skipWorkflows: UNUSED_DEMO_WORKFLOWS });
	journal = await installJournalWorkflows(demo);
});

afterAll(async () => {
	if (!demo) return;
	await demo.close();
	if (stepsPassed === stepsDeclared) demo.removeUserFolder();
	else process.stdout.write(`e2e user folder kept for inspection: ${demo.userFolder}\n`);
});

async function run(operation: Parameters<JournalWorkflows['run']>[0], body?: Record<string, unknown>) {
	const { status, items } = await journal.run(operation, body);
	expect({ operation, status }).toEqual({ operation, status: 200 });
	return items;
}

async function scores(): Promise<Record<string, number>> {
	const { status, body } = await demo.topContacts(100, JOURNAL_PROFILE_ID);
	expect(status).toBe(200);
	return Object.fromEntries((body.contacts as Array<{ contactId: string; score: number }>).map((c) => [c.contactId, c.score]));
}

const firingsAt = (path: string, received: Notification[] = demo.sink.received) =>
	received.filter((notification) => notification.path === path).map(({ body }) => body);

/** [contactId, previousScore, score, cause kind] of each firing, in the order they came. */
const firingSummary = (path: string) =>
	firingsAt(path).map((body) => [body.contactId, body.previousScore, body.score, (body.cause as { kind: string }).kind]);

async function waitForFirings(path: string, count: number): Promise<void> {
	await demo.sink.waitFor((received) => firingsAt(path, received).length >= count, 60_000);
}

const contactItems = (items: Array<Record<string, unknown>>) =>
	items.filter((item) => item.type === 'contact').map((item) => [item.contactId, item.liveScore, item.draftScore, item.difference]);

describe('recorded events, recalculation on publish, Preview Draft and Explain Score in a live n8n', () => {
	step('records the events sent by webhook while the profile is a draft, without scoring them', async () => {
		const [created] = await run('create');
		expect(created).toMatchObject({ id: JOURNAL_PROFILE_ID, status: 'draft', version: 0, publishedRules: null });

		for (const event of DRAFT_EVENTS) {
			const { status, body } = await demo.scoreEvent({ profileId: JOURNAL_PROFILE_ID, ...event });
			expect({ event, status, body }).toMatchObject({
				event,
				status: 200,
				body: { contactId: event.contactId, scored: false, recorded: true, score: 0, delta: 0, changeSeq: null },
			});
		}
		expect(await scores()).toEqual({});
	});

	step('starts both trigger workflows on the draft profile', async () => {
		await journal.activateTriggers();
	});

	step('previews the first publish: the contacts the draft would score, largest first', async () => {
		const items = await run('previewDraft', { thresholds: '25' });
		expect(contactItems(items)).toEqual([
			['ann', 0, 30, 30],
			['cid', 0, 20, 20],
			['bob', 0, 5, 5],
		]);
		expect(items[items.length - 1]).toEqual({
			type: 'summary',
			contacts: 4,
			contactsChanged: 3,
			totalDifference: 55,
			tiers: { high: { live: 0, draft: 0 }, medium: { live: 0, draft: 2 }, low: { live: 0, draft: 1 }, veryLow: { live: 4, draft: 1 } },
			thresholds: [{ threshold: 25, newlyAtOrAbove: 1, newlyBelow: 0 }],
			profileId: JOURNAL_PROFILE_ID,
		});
		expect(await scores()).toEqual({});
	});

	step('publishes with recalculation: the recorded events are scored and logged as a recalculation from version 0 to 1', async () => {
		const [published] = await run('publish');
		expect(published).toMatchObject({
			id: JOURNAL_PROFILE_ID,
			status: 'published',
			version: 1,
			pendingRecalculation: null,
			recalculation: { contactsRecalculated: 4, contactsChanged: 3, totalDelta: 55 },
		});
		expect(await scores()).toEqual({ ann: 30, cid: 20, bob: 5, dan: 0 });

		const history = await run('getHistory', { contactId: 'ann' });
		expect(history).toHaveLength(1);
		expect(history[0]).toMatchObject({ score: 30, delta: 30, cause: { kind: 'recalculation', fromVersion: 0, toVersion: 1 } });
		expect(await run('getHistory', { contactId: 'dan' })).toEqual([]);
	});

	step('fires the trigger with Include Recalculations on for each recalculated contact, and not the one with it off', async () => {
		await waitForFirings(WITH_RECALCULATIONS_PATH, 3);
		await sleep(QUIET_PERIOD_MS);
		expect(firingSummary(WITH_RECALCULATIONS_PATH).sort()).toEqual([
			['ann', 0, 30, 'recalculation'],
			['bob', 0, 5, 'recalculation'],
			['cid', 0, 20, 'recalculation'],
		]);
		expect(firingsAt(WITH_RECALCULATIONS_PATH).map((body) => body.cause)).toEqual(
			Array(3).fill({ kind: 'recalculation', fromVersion: 0, toVersion: 1 }),
		);
		expect(firingSummary(WITHOUT_RECALCULATIONS_PATH)).toEqual([]);

		// The second trigger is live: an event scored now and a change by hand reach both.
		const live = await demo.scoreEvent({ profileId: JOURNAL_PROFILE_ID, contactId: 'eve', ...OPENED });
		expect(live.body).toMatchObject({ scored: true, recorded: true, score: 5, delta: 5 });
		const adjusted = await demo.adjust({ profileId: JOURNAL_PROFILE_ID, contactId: 'ann', points: 3, reason: 'Called sales' });
		expect(adjusted.body).toMatchObject({ previousScore: 30, score: 33 });
		await waitForFirings(WITHOUT_RECALCULATIONS_PATH, 2);
		await waitForFirings(WITH_RECALCULATIONS_PATH, 5);
		expect(firingSummary(WITHOUT_RECALCULATIONS_PATH)).toEqual([
			['eve', 0, 5, 'event'],
			['ann', 30, 33, 'modify'],
		]);
		expect(firingSummary(WITH_RECALCULATIONS_PATH).slice(3)).toEqual(firingSummary(WITHOUT_RECALCULATIONS_PATH));
	});

	step('previews a changed rule in the draft: the differences against the live scores', async () => {
		const [draft] = await run('updateDraft');
		expect(draft).toMatchObject({ status: 'published', version: 1, draftRules: [CHANGED_RULE, DRAFT_RULES[1]] });

		const items = await run('previewDraft', { thresholds: '30' });
		// Two opens less 3 points each for ann, one for bob and eve; ties by contact id.
		expect(contactItems(items)).toEqual([
			['ann', 33, 27, -6],
			['bob', 5, 2, -3],
			['eve', 5, 2, -3],
		]);
		expect(items[items.length - 1]).toMatchObject({
			type: 'summary',
			contacts: 5,
			contactsChanged: 3,
			totalDifference: -12,
			thresholds: [{ threshold: 30, newlyAtOrAbove: 0, newlyBelow: 1 }],
		});
		// Preview writes nothing.
		expect(await scores()).toEqual({ ann: 33, cid: 20, bob: 5, eve: 5, dan: 0 });
	});

	step('publishes the changed rule: every score follows it, the trigger with recalculations sees each change', async () => {
		const [published] = await run('publish');
		expect(published).toMatchObject({
			version: 2,
			publishedRules: [CHANGED_RULE, DRAFT_RULES[1]],
			recalculation: { contactsRecalculated: 5, contactsChanged: 3, totalDelta: -12 },
		});
		expect(await scores()).toEqual({ ann: 27, cid: 20, bob: 2, eve: 2, dan: 0 });

		const [latest] = await run('getHistory', { contactId: 'ann' });
		expect(latest).toMatchObject({ score: 27, delta: -6, cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 } });

		await waitForFirings(WITH_RECALCULATIONS_PATH, 8);
		await sleep(QUIET_PERIOD_MS);
		expect(firingSummary(WITH_RECALCULATIONS_PATH).slice(5).sort()).toEqual([
			['ann', 33, 27, 'recalculation'],
			['bob', 5, 2, 'recalculation'],
			['eve', 5, 2, 'recalculation'],
		]);
		expect(firingsAt(WITHOUT_RECALCULATIONS_PATH)).toHaveLength(2);
	});

	step("explains ann's score: the rules' points and the change by hand add up to it", async () => {
		const [explanation] = await run('explainScore', { contactId: 'ann' });
		expect(explanation).toMatchObject({
			score: 27,
			carried: null,
			rules: [
				{ ruleId: 'opened', points: 4, events: 2 },
				{ ruleId: 'booked', points: 20, events: 1 },
			],
			manual: [{ operation: 'add', points: 3, effect: 3, reason: 'Called sales' }],
			resets: [],
			decay: [],
		});
		const parts = explanation as {
			rules: Array<{ points: number }>;
			manual: Array<{ effect: number }>;
			resets: Array<{ effect: number }>;
			decay: Array<{ effect: number }>;
		};
		const sum = (list: Array<{ points?: number; effect?: number }>) => list.reduce((total, part) => total + (part.points ?? part.effect ?? 0), 0);
		expect(sum(parts.rules) + sum(parts.manual) + sum(parts.resets) + sum(parts.decay)).toBe((await scores()).ann);
	});
});
