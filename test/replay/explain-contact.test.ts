import type { JournalEntry, JournalRecord } from '../../src/journal';
import { explainContact, replayContact, type ScoreExplanation, withEvaluator } from '../../src/replay';
import { parseRules } from '../../src/rule';
import { normalizeScore } from '../../src/scoring';
import { LiveJournal } from './live-journal';
import { RANDOM_LIMITS, RANDOM_RULES, RANDOM_START, randomHistory } from './random-journal';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9);

const sum = (values: readonly number[]): number => values.reduce((total, value) => normalizeScore(total + value), 0);

/** The score as its explanation adds it up. */
function explainedScore(explanation: ScoreExplanation): number {
	return sum([
		explanation.carried?.score ?? 0,
		...explanation.rules.map((rule) => rule.points),
		...explanation.manual.map((change) => change.effect),
		...explanation.resets.map((reset) => reset.effect),
		...explanation.decay.map((run) => run.effect),
	]);
}

function explainedGroups(explanation: ScoreExplanation): Record<string, number> {
	return Object.fromEntries(
		explanation.groupContributions.map((group) => [
			group.group,
			sum([group.carried, ...group.rules.map((rule) => rule.points), group.manual, group.resets, group.decay]),
		]),
	);
}

function journal(entries: JournalEntry[]): JournalRecord[] {
	return entries.map((entry, index) => ({ ...entry, journalSeq: index + 1 }));
}

describe('explainContact', () => {
	const settings = withEvaluator({
		version: 3,
		rules: parseRules([
			{ id: 'demo', eventType: 'appointment_booked', points: 40, group: 'Sales', expiresAfterDays: 7 },
			{ id: 'opened', eventType: 'email_event', points: 2, group: 'Email', counts: { times: 1, per: 'day' } },
			{ id: 'form', eventType: 'form_submitted', points: 5 },
		]),
		limits: { max: 60, groupMax: { Sales: 50 } },
	});
	const event = (type: string, occurredAt: number, receivedAt = occurredAt): JournalEntry => ({ kind: 'event', contactId: 'alice', type, properties: {}, occurredAt, receivedAt });
	const records = journal([
		{ kind: 'carried', contactId: 'alice', score: 10, ledger: { groups: { Email: 4 } }, lastActivityAt: T0 - DAY, firstSeenAt: T0 - 30 * DAY, at: T0 - DAY },
		event('appointment_booked', T0),
		event('appointment_booked', T0 + HOUR), // Sales capped at 50, then the score at 60
		event('email_event', T0 + 2 * HOUR), // the score is at its maximum
		event('email_event', T0 + 3 * HOUR), // once a day
		event('appointment_booked', T0 - 10 * DAY, T0 + 4 * HOUR), // already past its 7 days
		{ kind: 'modify', contactId: 'alice', operation: 'add', points: 5, countsAsActivity: true, at: T0 + 5 * HOUR },
		{ kind: 'modify', contactId: 'alice', operation: 'subtract', points: 3, countsAsActivity: true, at: T0 + 8 * DAY }, // after both demos expired
		{ kind: 'decay', policy: { mode: 'multiply', inactiveDays: 10, factor: 0.5, floor: 0 }, inactiveBefore: T0 + 10 * DAY, at: T0 + 20 * DAY },
		{ kind: 'modify', contactId: 'alice', operation: 'set', points: 20, reason: 'review', countsAsActivity: true, at: T0 + 21 * DAY },
		event('form_submitted', T0 + 22 * DAY),
		{ kind: 'reset', contactId: 'alice', at: T0 + 23 * DAY },
		event('form_submitted', T0 + 24 * DAY),
	]);
	const own = records.filter((record) => record.kind !== 'decay');
	const wide = records.filter((record) => record.kind === 'decay');

	it('says what each rule, manual change, reset and decay run contributed, and what the limits held back', () => {
		const explanation = explainContact('alice', own, wide, settings, T0 + 30 * DAY);
		expect(explanation).toEqual({
			contactId: 'alice',
			score: 5,
			groups: {},
			carried: { score: 10, groups: { Email: 4 }, at: T0 - DAY },
			rules: [
				{ ruleId: 'demo', group: 'Sales', events: 2, added: 50, expired: -50, points: 0, limitedEvents: 0, lapsedEvents: 1, heldBackByGroupLimit: 30, heldBackByScoreLimit: 0 },
				{ ruleId: 'opened', group: 'Email', events: 1, added: 0, expired: 0, points: 0, limitedEvents: 1, lapsedEvents: 0, heldBackByGroupLimit: 0, heldBackByScoreLimit: 2 },
				{ ruleId: 'form', events: 2, added: 10, expired: 0, points: 10, limitedEvents: 0, lapsedEvents: 0, heldBackByGroupLimit: 0, heldBackByScoreLimit: 0 },
			],
			groupContributions: [
				{ group: 'Email', subtotal: 0, carried: 4, rules: [{ ruleId: 'opened', points: 0 }], manual: -1.714286, resets: 0, decay: -2.285714 },
				{ group: 'Sales', subtotal: 0, carried: 0, rules: [{ ruleId: 'demo', points: 0 }], manual: 0, resets: 0, decay: 0 },
			],
			manual: [
				{ operation: 'add', points: 5, at: T0 + 5 * HOUR, effect: 0, heldBackByScoreLimit: 5 },
				{ operation: 'subtract', points: 3, at: T0 + 8 * DAY, effect: -3, heldBackByScoreLimit: 0 },
				{ operation: 'set', points: 20, reason: 'review', at: T0 + 21 * DAY, effect: 17, heldBackByScoreLimit: 0 },
			],
			resets: [{ at: T0 + 23 * DAY, effect: -25 }],
			decay: [{ mode: 'multiply', at: T0 + 20 * DAY, effect: -4 }],
			heldBack: { limitedEvents: 1, lapsedEvents: 1, byGroupLimit: 30, byScoreLimit: 7 },
		});
		expect(explainedScore(explanation)).toBe(replayContact('alice', own, wide, settings, T0 + 30 * DAY).state?.score);
	});

	it('splits what the score limits held back of an event whose rules are scored together among its last rules', () => {
		const plain = withEvaluator({
			version: 1,
			rules: parseRules([
				{ id: 'a', eventType: 'deal_won', points: 10 },
				{ id: 'b', eventType: 'deal_won', points: 10 },
				{ id: 'c', eventType: 'deal_won', points: -2 },
			]),
			limits: { max: 15 },
		});
		const entries = journal([event('deal_won', T0), event('deal_won', T0 + 1)]);
		const explanation = explainContact('alice', entries, [], plain, T0 + DAY);
		expect(explanation.score).toBe(15);
		expect(explanation.rules.map(({ ruleId, events, added, heldBackByScoreLimit }) => ({ ruleId, events, added, heldBackByScoreLimit }))).toEqual([
			// 18 held to 15: b gives up 3; then 18 held to 0: b gives up its 10, a 8.
			{ ruleId: 'a', events: 2, added: 12, heldBackByScoreLimit: 8 },
			{ ruleId: 'b', events: 2, added: 7, heldBackByScoreLimit: 13 },
			{ ruleId: 'c', events: 2, added: -4, heldBackByScoreLimit: 0 },
		]);
		expect(explainedScore(explanation)).toBe(15);
	});

	it('explains nothing for a contact without entries, and the same twice', () => {
		expect(explainContact('nobody', [], wide, settings, T0)).toEqual({
			contactId: 'nobody',
			score: 0,
			groups: {},
			rules: [],
			groupContributions: [],
			manual: [],
			resets: [],
			decay: [],
			heldBack: { limitedEvents: 0, lapsedEvents: 0, byGroupLimit: 0, byScoreLimit: 0 },
		});
		expect(explainContact('alice', own, wide, settings, T0 + 30 * DAY)).toEqual(explainContact('alice', own, wide, settings, T0 + 30 * DAY));
	});
});

describe.each(Array.from({ length: 25 }, (_, index) => 2000 + index))('the explanation of a random history (seed %i)', (seed) => {
	it('adds up exactly to the replayed score and each group to its subtotal', async () => {
		const live = new LiveJournal(RANDOM_START);
		await live.publish({ rules: RANDOM_RULES, limits: RANDOM_LIMITS, timeZone: 'Europe/Berlin' });
		await randomHistory(live, seed, 60);
		const settings = withEvaluator(await live.settings());
		const now = live.clock + DAY;
		for (const contactId of live.contactIds()) {
			const records = live.contactRecords(contactId);
			const explanation = explainContact(contactId, records, live.profileWide(), settings, now);
			const replayed = replayContact(contactId, records, live.profileWide(), settings, now).state;
			expect({ contactId, score: explanation.score, groups: explanation.groups }).toEqual({ contactId, score: replayed?.score ?? 0, groups: { ...replayed?.ledger?.groups } });
			expect({ contactId, score: explainedScore(explanation), groups: explainedGroups(explanation) }).toEqual({
				contactId,
				score: explanation.score,
				groups: Object.fromEntries(explanation.groupContributions.map((group) => [group.group, explanation.groups[group.group] ?? 0])),
			});
			for (const group of Object.keys(explanation.groups)) expect(explanation.groupContributions.map((contribution) => contribution.group)).toContain(group);
		}
	});
});
