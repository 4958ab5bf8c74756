import type { JournalRecord } from '../../src/journal';
import { replayContact, withEvaluator } from '../../src/replay';
import { comparable, LiveJournal } from './live-journal';

/**
 * Replay of a journal equals what the live engine gave for the same inputs: for every operation
 * and rule kind, the contact's state (score, groups, ledger, times) and its list of changes.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9); // a Monday morning, UTC

async function expectReplayEqualsLive(live: LiveJournal, now: number): Promise<void> {
	const settings = withEvaluator(await live.settings());
	const profileWide = live.profileWide();
	for (const contactId of live.contactIds()) {
		const replayed = replayContact(contactId, live.contactRecords(contactId), profileWide, settings, now);
		const expected = await live.live(contactId, now);
		expect({ contactId, state: replayed.state && comparable(replayed.state), changes: replayed.changes }).toEqual({ contactId, ...expected });
	}
}

describe('replayContact gives what the live engine gave', () => {
	let live: LiveJournal;
	beforeEach(() => {
		live = new LiveJournal(T0);
	});

	it('for plain rules with conditions, events without ids and a duplicate id', async () => {
		await live.publish({
			rules: [
				{ id: 'opened', eventType: 'email_event', points: 2, conditions: [{ property: 'action', operator: 'equals', value: 'opened' }] },
				{ id: 'clicked', eventType: 'email_event', points: 3, conditions: [{ property: 'action', operator: 'equals', value: 'clicked' }] },
				{ id: 'unsubscribed', eventType: 'email_unsubscribed', points: -10 },
			],
		});
		await live.events([
			{ contactId: 'alice', type: 'email_event', properties: { action: 'opened' }, id: 'e1' },
			{ contactId: 'alice', type: 'email_event', properties: { action: 'clicked' }, occurredAt: T0 - HOUR },
			{ contactId: 'bob', type: 'email_unsubscribed' },
			{ contactId: 'bob', type: 'page_viewed' },
		]);
		live.clock += HOUR;
		await live.events([{ contactId: 'alice', type: 'email_event', properties: { action: 'opened' }, id: 'e1' }]);
		await expectReplayEqualsLive(live, live.clock + DAY);
		expect(live.contactRecords('alice')).toHaveLength(2); // the engine counted the second e1 as a duplicate
	});

	it('for a profile with score limits and no rule scored on its own', async () => {
		await live.publish({ rules: [{ id: 'demo', eventType: 'appointment_booked', points: 40 }, { id: 'noshow', eventType: 'appointment_noshow', points: -30 }], limits: { min: 0, max: 100 } });
		const booked = (contactId: string) => ({ contactId, type: 'appointment_booked' });
		await live.events([booked('alice'), booked('alice'), booked('alice'), { contactId: 'alice', type: 'appointment_noshow' }, { contactId: 'bob', type: 'appointment_noshow' }]);
		await live.modify('alice', 'add', 500);
		await live.modify('bob', 'subtract', 7);
		await expectReplayEqualsLive(live, live.clock);
	});

	it('for rules that count once, a few times a day in the profile zone, per week, per month and per rolling window', async () => {
		await live.publish({
			rules: [
				{ id: 'once', eventType: 'webinar_attended', points: 10, counts: 'once' },
				{ id: 'daily', eventType: 'email_event', points: 2, counts: { times: 2, per: 'day' } },
				{ id: 'weekly', eventType: 'page_viewed', points: 1, counts: { times: 1, per: 'week' } },
				{ id: 'monthly', eventType: 'form_submitted', points: 5, counts: { times: 1, per: 'month' } },
				{ id: 'rolling', eventType: 'call_answered', points: 4, counts: { times: 1, per: 'rollingDays', days: 3 } },
			],
			timeZone: 'Europe/Berlin',
		});
		for (let hour = 0; hour < 24 * 40; hour += 7) {
			live.clock = T0 + hour * HOUR;
			const occurredAt = live.clock - (hour % 3) * HOUR;
			await live.events(
				['webinar_attended', 'email_event', 'page_viewed', 'form_submitted', 'call_answered'].map((type, index) => ({
					contactId: index % 2 === 0 ? 'alice' : 'bob',
					type,
					occurredAt,
				})),
			);
		}
		await expectReplayEqualsLive(live, live.clock + DAY);
	});

	it('for expiring points: due between entries, at the end, and an event that arrived after its window', async () => {
		await live.publish({
			rules: [
				{ id: 'demo', eventType: 'appointment_booked', points: 40, expiresAfterDays: 7 },
				{ id: 'webinar', eventType: 'webinar_attended', points: 10, expiresAfterDays: 30, group: 'Events' },
				{ id: 'form', eventType: 'form_submitted', points: 5 },
			],
		});
		await live.events([{ contactId: 'alice', type: 'appointment_booked', id: 'demo-1' }, { contactId: 'alice', type: 'webinar_attended' }]);
		live.clock += 8 * DAY;
		await live.events([{ contactId: 'alice', type: 'form_submitted' }, { contactId: 'bob', type: 'appointment_booked', occurredAt: live.clock - 10 * DAY }]);
		live.clock += 3 * DAY;
		await live.events([{ contactId: 'bob', type: 'appointment_booked', occurredAt: live.clock - 6 * DAY }]);
		await expectReplayEqualsLive(live, live.clock + 40 * DAY);
	});

	it('for groups held to their maximum and a score held to its maximum', async () => {
		await live.publish({
			rules: [
				{ id: 'demo', eventType: 'appointment_booked', points: 40, group: 'Sales', expiresAfterDays: 10 },
				{ id: 'opened', eventType: 'email_event', points: 15, group: 'Email' },
				{ id: 'bounce', eventType: 'email_event', points: -4, group: 'Email', conditions: [{ property: 'bounced', operator: 'equals', value: true }] },
			],
			limits: { max: 100, min: -5, groupMax: { Sales: 50, Email: 40 } },
		});
		for (let step = 0; step < 6; step++) {
			live.clock += 2 * DAY;
			await live.events([
				{ contactId: 'alice', type: 'appointment_booked' },
				{ contactId: 'alice', type: 'email_event', properties: { bounced: step % 2 === 0 } },
				{ contactId: 'bob', type: 'email_event', properties: { bounced: true } },
			]);
		}
		await expectReplayEqualsLive(live, live.clock + 30 * DAY);
	});

	it('for decay runs that subtract and multiply, scaling groups and grants, and skip active and unknown contacts', async () => {
		await live.publish({
			rules: [
				{ id: 'demo', eventType: 'appointment_booked', points: 40, group: 'Sales', expiresAfterDays: 60 },
				{ id: 'form', eventType: 'form_submitted', points: 7 },
			],
			limits: { min: 5 },
		});
		await live.events([{ contactId: 'alice', type: 'appointment_booked' }, { contactId: 'alice', type: 'form_submitted' }, { contactId: 'bob', type: 'form_submitted' }]);
		live.clock += 20 * DAY;
		await live.events([{ contactId: 'bob', type: 'form_submitted' }]);
		await live.decay({ mode: 'multiply', inactiveDays: 14, factor: 0.5 });
		live.clock += 10 * DAY;
		await live.decay({ mode: 'subtract', inactiveDays: 7, points: 3, floor: 1 }, 'America/New_York');
		await live.events([{ contactId: 'carol', type: 'form_submitted' }]);
		live.clock += 40 * DAY;
		await live.decay({ mode: 'subtract', inactiveDays: 7, points: 100 });
		await expectReplayEqualsLive(live, live.clock + 10 * DAY);
	});

	it('for add, subtract and set, with and without activity, and resets (also of a contact never scored)', async () => {
		await live.publish({
			rules: [
				{ id: 'demo', eventType: 'appointment_booked', points: 40, group: 'Sales', expiresAfterDays: 5, counts: { times: 2, per: 'contact' } },
				{ id: 'form', eventType: 'form_submitted', points: 5 },
			],
			limits: { max: 60 },
		});
		await live.events([{ contactId: 'alice', type: 'appointment_booked' }, { contactId: 'alice', type: 'form_submitted' }]);
		live.clock += HOUR;
		await live.modify('alice', 'add', 30, { reason: 'call', countsAsActivity: false });
		await live.modify('alice', 'subtract', 12.5);
		await live.modify('alice', 'set', 20, { reason: 'manual review' });
		await live.events([{ contactId: 'alice', type: 'appointment_booked' }]);
		await live.events([{ contactId: 'alice', type: 'appointment_booked' }]);
		live.clock += DAY;
		await live.reset('alice', 'new quarter');
		await live.reset('nobody');
		await live.modify('bob', 'set', 80);
		live.clock += 10 * DAY;
		await live.events([{ contactId: 'bob', type: 'form_submitted' }]);
		await expectReplayEqualsLive(live, live.clock);
		expect(replayContact('nobody', live.contactRecords('nobody'), live.profileWide(), await live.settings(), live.clock)).toEqual({ changes: [] });
	});

	it('from the newest carried entry, leaving out what came before it, contact and profile-wide', async () => {
		await live.publish({
			rules: [
				{ id: 'demo', eventType: 'appointment_booked', points: 40, group: 'Sales', expiresAfterDays: 20 },
				{ id: 'daily', eventType: 'email_event', points: 2, counts: { times: 1, per: 'day' } },
			],
		});
		await live.events([{ contactId: 'alice', type: 'appointment_booked' }, { contactId: 'alice', type: 'email_event' }]);
		live.clock += 10 * DAY;
		await live.decay({ mode: 'multiply', inactiveDays: 5, factor: 0.5 });
		await live.carry('alice');
		await live.events([{ contactId: 'alice', type: 'email_event', occurredAt: T0 + HOUR }]);
		live.clock += DAY;
		await live.carry('alice');
		live.clock += 5 * DAY;
		await live.events([{ contactId: 'alice', type: 'email_event' }]);
		live.clock += 15 * DAY;
		await live.decay({ mode: 'subtract', inactiveDays: 10, points: 1 });
		// Live changes before the newest carried entry are not the replay's: compare from there on.
		const changesBefore = (await live.live('alice', live.clock)).changes.filter((change) => change.at < T0 + 11 * DAY).length;
		const replayed = replayContact('alice', live.contactRecords('alice'), live.profileWide(), await live.settings(), live.clock + DAY);
		const expected = await live.live('alice', live.clock + DAY);
		expect(replayed.state && comparable(replayed.state)).toEqual(expected.state);
		expect(replayed.changes).toEqual(expected.changes.slice(changesBefore));
		expect(replayed.changes.map((change) => change.cause.kind)).toEqual(['event', 'expired', 'decay']);
	});

	it('under other rules: the journal of one profile replayed under new rules equals a profile that always had them', async () => {
		const newRules = {
			rules: [
				{ id: 'opened', eventType: 'email_event', points: 3, counts: { times: 2, per: 'day' }, group: 'Email' },
				{ id: 'demo', eventType: 'appointment_booked', points: 25, expiresAfterDays: 3 },
			],
			limits: { max: 40 },
		};
		const always = new LiveJournal(T0);
		await live.publish({ rules: [{ id: 'opened', eventType: 'email_event', points: 1 }] });
		await always.publish(newRules);
		for (const journal of [live, always]) {
			for (let day = 0; day < 6; day++) {
				journal.clock = T0 + day * DAY;
				await journal.events([
					{ contactId: 'alice', type: 'email_event' },
					{ contactId: 'alice', type: 'email_event' },
					{ contactId: 'alice', type: 'email_event' },
					{ contactId: 'bob', type: 'appointment_booked' },
				]);
				if (day === 3) await journal.modify('bob', 'add', 4);
			}
		}
		const settings = withEvaluator(await always.settings());
		const now = T0 + 10 * DAY;
		for (const contactId of ['alice', 'bob']) {
			const replayed = replayContact(contactId, live.contactRecords(contactId), live.profileWide(), settings, now);
			const expected = await always.live(contactId, now);
			expect(replayed.state && comparable(replayed.state)).toEqual(expected.state);
			expect(replayed.changes).toEqual(expected.changes);
		}
	});
});

describe('replayContact', () => {
	const settings = withEvaluator({ version: 2, rules: [{ id: 'form', eventType: 'form_submitted', conditions: [], points: 5 }] });
	const event = (journalSeq: number, eventId?: string): JournalRecord => ({
		kind: 'event',
		contactId: 'alice',
		...(eventId === undefined ? {} : { eventId }),
		type: 'form_submitted',
		properties: {},
		occurredAt: T0 + journalSeq,
		receivedAt: T0 + journalSeq,
		journalSeq,
	});

	it('counts an event id once, however often the journal holds it', () => {
		const replayed = replayContact('alice', [event(1, 'e1'), event(2, 'e1'), event(3), event(4, 'e2')], [], settings, T0 + DAY);
		expect(replayed.state?.score).toBe(15);
		expect(replayed.changes.map((change) => change.cause)).toEqual([
			{ kind: 'event', eventType: 'form_submitted', ruleIds: ['form'], profileVersion: 2, eventId: 'e1' },
			{ kind: 'event', eventType: 'form_submitted', ruleIds: ['form'], profileVersion: 2 },
			{ kind: 'event', eventType: 'form_submitted', ruleIds: ['form'], profileVersion: 2, eventId: 'e2' },
		]);
	});

	it('gives the same twice and changes nothing it is given', () => {
		const records = Object.freeze([event(1), event(3, 'x'), Object.freeze({ kind: 'modify', contactId: 'alice', operation: 'set', points: 2, countsAsActivity: true, at: T0 + 4, journalSeq: 4 }) as JournalRecord]);
		const decay = Object.freeze([Object.freeze({ kind: 'decay', policy: { mode: 'subtract', inactiveDays: 1, points: 1, floor: 0 }, inactiveBefore: T0 + 10, at: T0 + 11, journalSeq: 2 }) as JournalRecord]);
		const first = replayContact('alice', records, decay, settings, T0 + DAY);
		expect(replayContact('alice', records, decay, settings, T0 + DAY)).toEqual(first);
		expect(first.state).toEqual({ contactId: 'alice', score: 2, lastActivityAt: T0 + 4, firstSeenAt: T0 + 1, updatedAt: T0 + 4 });
		expect(first.changes.map((change) => change.delta)).toEqual([5, -1, 5, -7]);
	});

	it('starts from the newest carried entry and leaves out the decay runs it already holds', () => {
		const decay = (journalSeq: number): JournalRecord => ({
			kind: 'decay',
			policy: { mode: 'subtract', inactiveDays: 1, points: 1, floor: 0 },
			inactiveBefore: T0 + DAY,
			at: T0 + DAY,
			journalSeq,
		});
		const carried = (journalSeq: number, score: number): JournalRecord => ({
			kind: 'carried',
			contactId: 'alice',
			score,
			ledger: { groups: { Sales: score } },
			lastActivityAt: T0,
			firstSeenAt: T0 - DAY,
			at: T0,
			journalSeq,
		});
		const replayed = replayContact('alice', [carried(2, 50), event(4), carried(7, 20)], [decay(3), decay(7), decay(9)], settings, T0 + 2 * DAY);
		expect(replayed.state).toEqual({
			contactId: 'alice',
			score: 19,
			lastActivityAt: T0,
			firstSeenAt: T0 - DAY,
			updatedAt: T0 + DAY,
			ledger: { groups: { Sales: 19 } },
		});
		expect(replayed.changes).toEqual([
			{ contactId: 'alice', previousScore: 20, score: 19, delta: -1, cause: { kind: 'decay', mode: 'subtract' }, at: T0 + DAY, groups: { Sales: 19 }, previousGroups: { Sales: 20 } },
		]);
	});

	it('compiles the rules itself when the settings come without an evaluator', () => {
		const { evaluator, ...plain } = settings;
		expect(evaluator).toBeDefined();
		expect(replayContact('alice', [event(1)], [], plain, T0 + DAY).state?.score).toBe(5);
	});
});
