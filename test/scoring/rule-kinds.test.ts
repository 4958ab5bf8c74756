import { DateTime } from 'luxon';

import {
	type ContactState,
	type EventOperation,
	type ScoreOperation,
	type ScoringRule,
	dueExpiries,
	expireGrants,
	planBatch,
	topGroup,
	transition,
	ungroupedPoints,
} from '../../src/scoring';
import { calendarPeriod } from '../../src/scoring/rule-counts';
import type { DecayPolicy, ScoreLimits } from '../../src/types';

/** Rules that count limited times, expire or belong to a group, and profile limits: src/scoring/ledger.ts. */

const T0 = Date.UTC(2026, 0, 5, 12); // a Monday, noon UTC
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface EventOptions {
	at?: number;
	eventId?: string;
	limits?: ScoreLimits;
	timeZone?: string;
	receivedAt?: number;
}

function event(rules: ScoringRule[], options: EventOptions = {}): EventOperation {
	const { at = T0, ...rest } = options;
	return {
		kind: 'event',
		eventType: 'email_event',
		delta: rules.reduce((sum, rule) => sum + rule.points, 0),
		matchedRuleIds: rules.map((rule) => rule.id),
		at,
		rules,
		...rest,
	};
}

/** Applies the operations one after the other to one contact, as a batch does. */
function run(operations: ScoreOperation[], start?: ContactState) {
	const view = { contact: () => start, isSeen: () => false };
	const plan = planBatch(
		view,
		operations.map((operation) => ({ contactId: 'alice', operation })),
	);
	return { ...plan, state: plan.contacts[0] };
}

const once: ScoringRule = { id: 'webinar', points: 10, counts: { times: 1, per: 'contact' } };
const threePerDay: ScoringRule = { id: 'opened', points: 2, counts: { times: 3, per: 'day' } };

describe('how often a rule counts', () => {
	it('counts every time by default', () => {
		const { state } = run([event([{ id: 'open', points: 2 }]), event([{ id: 'open', points: 2 }])]);
		expect(state.score).toBe(4);
	});

	it('counts a "once" rule once per contact: later events score 0 for it and say so', () => {
		const plan = run([event([once]), event([once], { at: T0 + 30 * DAY })]);
		expect(plan.state.score).toBe(10);
		expect(plan.outcomes.map((outcome) => [outcome.delta, outcome.limitedRuleIds])).toEqual([
			[10, undefined],
			[0, ['webinar']],
		]);
		expect(plan.changes).toHaveLength(1);
	});

	it('scores the other matched rules of an event whose limited rule is used up, and logs which one was limited', () => {
		const plus = { id: 'clicked', points: 5 };
		const plan = run([event([once]), event([once, plus])]);
		expect(plan.state.score).toBe(15);
		expect(plan.outcomes[1]).toMatchObject({ delta: 5, limitedRuleIds: ['webinar'] });
		expect(plan.changes[1].cause).toEqual({
			kind: 'event',
			eventType: 'email_event',
			ruleIds: ['webinar', 'clicked'],
			limitedRuleIds: ['webinar'],
		});
	});

	it('counts at most N per calendar day in UTC by default, again from the next midnight', () => {
		const sameDay = [0, 1, 2, 3, 4].map((hour) => event([threePerDay], { at: T0 + hour * HOUR }));
		const plan = run([...sameDay, event([threePerDay], { at: Date.UTC(2026, 0, 6, 0, 0, 0) })]);
		expect(plan.outcomes.map((outcome) => outcome.delta)).toEqual([2, 2, 2, 0, 0, 2]);
		expect(plan.state.score).toBe(8);
	});

	it("counts calendar days in the profile's time zone", () => {
		// 23:30 and 00:30 UTC fall on the same day in New York (18:30 and 19:30).
		const onePerDay: ScoringRule = { id: 'visit', points: 1, counts: { times: 1, per: 'day' } };
		const late = Date.UTC(2026, 0, 5, 23, 30);
		const early = Date.UTC(2026, 0, 6, 0, 30);
		expect(run([event([onePerDay], { at: late }), event([onePerDay], { at: early })]).state.score).toBe(2);
		const zoned = { timeZone: 'America/New_York' };
		expect(run([event([onePerDay], { at: late, ...zoned }), event([onePerDay], { at: early, ...zoned })]).state.score).toBe(1);
	});

	it('counts calendar weeks from Monday and calendar months', () => {
		const weekly: ScoringRule = { id: 'w', points: 1, counts: { times: 1, per: 'week' } };
		const sunday = Date.UTC(2026, 0, 11, 20);
		const nextMonday = Date.UTC(2026, 0, 12, 1);
		expect(run([event([weekly]), event([weekly], { at: sunday }), event([weekly], { at: nextMonday })]).state.score).toBe(2);
		const monthly: ScoringRule = { id: 'm', points: 1, counts: { times: 2, per: 'month' } };
		const january = [T0, T0 + DAY, T0 + 2 * DAY].map((at) => event([monthly], { at }));
		expect(run([...january, event([monthly], { at: Date.UTC(2026, 1, 1) })]).state.score).toBe(3);
	});

	it('counts at most N within a rolling window of D days', () => {
		const twicePer30: ScoringRule = { id: 'demo', points: 5, counts: { times: 2, per: 'rollingDays', days: 30 } };
		const plan = run([0, 10, 20, 31, 41].map((day) => event([twicePer30], { at: T0 + day * DAY })));
		// Day 20 would be the third within 30 days (of days 0 and 10); day 31 has only day 10 within 30 days, day 41 only day 31.
		expect(plan.outcomes.map((outcome) => outcome.delta)).toEqual([5, 5, 0, 5, 5]);
	});

	it('keeps no more award times per rule than its limit', () => {
		const { state } = run([0, 1, 2, 3, 4, 5].map((day) => event([threePerDay], { at: T0 + day * DAY })));
		expect(state.ledger?.awards?.opened).toEqual([T0 + 3 * DAY, T0 + 4 * DAY, T0 + 5 * DAY]);
	});

	it('a rule limited by its count still records the activity', () => {
		const { state } = run([event([once]), event([once], { at: T0 + 5 * DAY })]);
		expect(state.lastActivityAt).toBe(T0 + 5 * DAY);
	});
});

describe('points that expire', () => {
	const expiring: ScoringRule = { id: 'opened', points: 5, expiresAfterDays: 30 };

	it('keeps the grant with its due time, and an expiry takes exactly it back, logged as expired with rule and event', () => {
		const scored = run([event([expiring], { eventId: 'e1' })]).state;
		expect(scored.score).toBe(5);
		expect(scored.nextExpiryAt).toBe(T0 + 30 * DAY);
		expect(scored.ledger?.expiring).toEqual([{ ruleId: 'opened', eventId: 'e1', points: 5, dueAt: T0 + 30 * DAY }]);

		expect(transition('alice', scored, { kind: 'expiry', at: T0 + 30 * DAY - 1 })).toEqual({});
		const { state, change } = transition('alice', scored, { kind: 'expiry', at: T0 + 40 * DAY });
		expect(state).toMatchObject({ score: 0, lastActivityAt: T0, updatedAt: T0 + 40 * DAY, version: scored.version + 1 });
		expect(state?.ledger).toBeUndefined();
		expect(state?.nextExpiryAt).toBeUndefined();
		expect(change).toEqual({
			contactId: 'alice',
			previousScore: 5,
			score: 0,
			delta: -5,
			cause: { kind: 'expired', ruleId: 'opened', eventId: 'e1' },
			at: T0 + 30 * DAY,
		});
	});

	it('expires grants earliest first, one per operation, whatever order the events came in', () => {
		const long: ScoringRule = { id: 'long', points: 1, expiresAfterDays: 60 };
		const short: ScoringRule = { id: 'short', points: 3, expiresAfterDays: 7 };
		const scored = run([event([long]), event([short], { at: T0 + DAY })]).state;
		expect(scored.ledger?.expiring?.map((grant) => grant.ruleId)).toEqual(['short', 'long']);
		expect(scored.nextExpiryAt).toBe(T0 + 8 * DAY);
		expect(dueExpiries(scored, T0 + 100 * DAY)).toBe(2);
		expect(dueExpiries(scored, T0 + 10 * DAY)).toBe(1);
		const plan = run(
			[
				{ kind: 'expiry', at: T0 + 100 * DAY },
				{ kind: 'expiry', at: T0 + 100 * DAY },
				{ kind: 'expiry', at: T0 + 100 * DAY },
			],
			scored,
		);
		expect(plan.changes.map((change) => [change.cause, change.delta])).toEqual([
			[{ kind: 'expired', ruleId: 'short' }, -3],
			[{ kind: 'expired', ruleId: 'long' }, -1],
		]);
		expect(plan.state.score).toBe(0);
	});

	it('an event already past its expiry window when it arrives adds nothing for that rule', () => {
		const late = run([event([expiring, { id: 'plain', points: 1 }], { at: T0, receivedAt: T0 + 31 * DAY })]);
		expect(late.state.score).toBe(1);
		expect(late.state.ledger).toBeUndefined();
		const inTime = run([event([expiring], { at: T0, receivedAt: T0 + 29 * DAY })]);
		expect(inTime.state.score).toBe(5);
		expect(transition('alice', undefined, event([expiring], { receivedAt: T0 + 31 * DAY })).lapsedRuleIds).toEqual(['opened']);
	});

	it('takes back only what the rule really added when a limit held it back', () => {
		const plan = run([event([{ id: 'base', points: 95 }]), event([expiring], { eventId: 'e2' })].map((operation) => ({ ...operation, limits: { max: 100 } })));
		expect(plan.state.score).toBe(100);
		expect(plan.state.ledger?.expiring?.[0].points).toBe(5);
		const capped = run([event([{ id: 'base', points: 100 }], { limits: { max: 100 } }), event([expiring], { limits: { max: 100 } })]).state;
		expect(capped.ledger?.expiring).toBeUndefined();
	});

	it('an expiry is held to the minimum as well', () => {
		const scored = run([event([expiring]), { kind: 'modify', operation: 'subtract', points: 3, countsAsActivity: true, at: T0 + DAY }]).state;
		expect(scored.score).toBe(2);
		const { state, change } = transition('alice', scored, { kind: 'expiry', at: T0 + 31 * DAY, limits: { min: 0 } });
		expect(state?.score).toBe(0);
		expect(change?.delta).toBe(-2);
		expect(state?.ledger?.expiring).toBeUndefined();
	});

	it('a negative rule that expires gives its points back', () => {
		const penalty: ScoringRule = { id: 'bounced', points: -4, expiresAfterDays: 14 };
		const scored = run([event([{ id: 'base', points: 10 }, penalty])]).state;
		expect(scored.score).toBe(6);
		expect(transition('alice', scored, { kind: 'expiry', at: T0 + 14 * DAY }).state?.score).toBe(10);
	});

	it('expires nothing on a contact the store does not hold', () => {
		expect(transition('ghost', undefined, { kind: 'expiry', at: T0 })).toEqual({});
	});
});

describe('score limits', () => {
	it('holds the total to min and max, logging the delta that really happened', () => {
		const limits = { min: 0, max: 100 };
		const plan = run([
			event([{ id: 'big', points: 80 }], { limits }),
			event([{ id: 'big', points: 80 }], { limits }),
			event([{ id: 'bad', points: -500 }], { limits }),
		]);
		expect(plan.changes.map((change) => [change.previousScore, change.score, change.delta])).toEqual([
			[0, 80, 80],
			[80, 100, 20],
			[100, 0, -100],
		]);
	});

	it('logs no change for an event held back entirely, and never pushes a score already beyond a limit', () => {
		const full = run([event([{ id: 'a', points: 100 }], { limits: { max: 100 } }), event([{ id: 'a', points: 1 }], { limits: { max: 100 } })]);
		expect(full.changes).toHaveLength(1);
		const above = { contactId: 'alice', score: 150, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 2 };
		expect(transition('alice', above, event([{ id: 'a', points: 5 }], { limits: { max: 100 } })).state?.score).toBe(150);
		expect(transition('alice', above, event([{ id: 'a', points: -5 }], { limits: { max: 100 } })).state?.score).toBe(145);
	});

	it('holds a whole event to the limits when no rule of the profile needs scoring on its own', () => {
		const plain: ScoreOperation = { kind: 'event', eventType: 'x', delta: 30, matchedRuleIds: ['a'], at: T0, limits: { max: 20 } };
		expect(transition('alice', undefined, plain).state?.score).toBe(20);
	});

	it('holds manual add and subtract to the limits, and puts set and reset within them', () => {
		const limits = { min: 10, max: 50 };
		const modify = (operation: 'add' | 'subtract' | 'set', points: number): ScoreOperation => ({ kind: 'modify', operation, points, countsAsActivity: true, at: T0, limits });
		const start = { contactId: 'alice', score: 40, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 1 };
		expect(transition('alice', start, modify('add', 30)).change?.delta).toBe(10);
		expect(transition('alice', start, modify('subtract', 100)).state?.score).toBe(10);
		expect(transition('alice', start, modify('set', 500)).state?.score).toBe(50);
		expect(transition('alice', start, { kind: 'reset', at: T0, limits }).state?.score).toBe(10);
	});

	it('decays no lower than the minimum', () => {
		const policy: DecayPolicy = { mode: 'subtract', inactiveDays: 30, points: 10, floor: -100 };
		const start = { contactId: 'alice', score: 4, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 1 };
		const decay: ScoreOperation = { kind: 'decay', policy, inactiveBefore: T0 + DAY, at: T0 + 40 * DAY, limits: { min: 0 } };
		expect(transition('alice', start, decay).change).toMatchObject({ score: 0, delta: -4 });
	});
});

describe('groups', () => {
	const email = (points: number, extra: Partial<ScoringRule> = {}): ScoringRule => ({ id: `email-${points}`, points, group: 'Email', ...extra });
	const sales = (points: number): ScoringRule => ({ id: `sales-${points}`, points, group: 'Sales' });

	it('keeps each group subtotal; the total is the groups plus the ungrouped points', () => {
		const { state } = run([event([email(5), sales(20), { id: 'plain', points: 3 }]), event([email(2)])]);
		expect(state.score).toBe(30);
		expect(state.ledger?.groups).toEqual({ Email: 7, Sales: 20 });
		expect(ungroupedPoints(state)).toBe(3);
		expect(topGroup(state)).toBe('Sales');
	});

	it("holds a group to its maximum; the rest of the event still scores", () => {
		const limits = { groupMax: { Email: 10 } };
		const plan = run([event([email(8)], { limits }), event([email(8), sales(4)], { limits })]);
		expect(plan.state.ledger?.groups).toEqual({ Email: 10, Sales: 4 });
		expect(plan.changes[1].delta).toBe(6);
	});

	it('holds a group to its maximum and the total to the profile maximum together', () => {
		const limits = { max: 12, groupMax: { Email: 10 } };
		const plan = run([event([email(15), sales(5)], { limits })]);
		expect(plan.state.ledger?.groups).toEqual({ Email: 10, Sales: 2 });
		expect(plan.state.score).toBe(12);
	});

	it('names "__proto__" and other odd group names as plain groups', () => {
		const { state } = run([event([{ id: 'x', points: 4, group: '__proto__' }, { id: 'y', points: 1, group: 'constructor' }])]);
		expect(Object.keys(state.ledger?.groups ?? {})).toEqual(['__proto__', 'constructor']);
		expect(state.ledger?.groups?.['__proto__']).toBe(4);
		expect(JSON.parse(JSON.stringify(state)).ledger.groups).toEqual(state.ledger?.groups);
		expect(ungroupedPoints(state)).toBe(0);
	});

	it('has no top group when no group is above 0; ties go to the first by name', () => {
		expect(topGroup(run([event([email(-2)])]).state)).toBeUndefined();
		expect(topGroup(run([event([sales(3), { id: 'e', points: 3, group: 'Email' }])]).state)).toBe('Email');
	});

	it('puts manual add and subtract points outside the groups', () => {
		const { state } = run([event([email(5)]), { kind: 'modify', operation: 'add', points: 10, countsAsActivity: true, at: T0 }]);
		expect(state.ledger?.groups).toEqual({ Email: 5 });
		expect(ungroupedPoints(state)).toBe(10);
	});

	it('clears the groups and the points still to expire on set and reset, keeping how often rules counted', () => {
		const scored = run([event([email(5, { expiresAfterDays: 10 }), { ...once, group: 'Sales' }])]).state;
		const set = transition('alice', scored, { kind: 'modify', operation: 'set', points: 50, countsAsActivity: false, at: T0 + DAY }).state;
		expect(set).toMatchObject({ score: 50, ledger: { awards: { webinar: [T0] } } });
		expect(set?.nextExpiryAt).toBeUndefined();
		expect(set?.ledger?.groups).toBeUndefined();
		const reset = transition('alice', scored, { kind: 'reset', at: T0 + DAY });
		expect(reset.state).toMatchObject({ score: 0, ledger: { awards: { webinar: [T0] } } });
		expect(reset.change?.delta).toBe(-15);
		// Once per contact stays used after a reset.
		expect(transition('alice', reset.state, event([once], { at: T0 + 2 * DAY })).limitedRuleIds).toEqual(['webinar']);
	});

	it('a reset of a score at 0 still clears the points waiting to expire', () => {
		const scored = run([event([email(5, { expiresAfterDays: 10 }), { id: 'minus', points: -5 }])]).state;
		expect(scored.score).toBe(0);
		const { state, change } = transition('alice', scored, { kind: 'reset', at: T0 + DAY });
		expect(change).toBeUndefined();
		expect(state?.ledger).toBeUndefined();
		expect(transition('alice', state, { kind: 'expiry', at: T0 + 20 * DAY })).toEqual({});
	});

	it('decay scales every group and every grant still to expire by the same ratio', () => {
		const scored = run([event([email(30, { expiresAfterDays: 60 }), sales(10), { id: 'plain', points: 10 }])]).state;
		const half: DecayPolicy = { mode: 'multiply', inactiveDays: 30, factor: 0.5, floor: 0 };
		const { state } = transition('alice', scored, { kind: 'decay', policy: half, inactiveBefore: T0 + DAY, at: T0 + 40 * DAY });
		expect(state?.score).toBe(25);
		expect(state?.ledger?.groups).toEqual({ Email: 15, Sales: 5 });
		expect(ungroupedPoints(state as ContactState)).toBe(5);
		expect(state?.ledger?.expiring?.[0].points).toBe(15);
		const expired = transition('alice', state, { kind: 'expiry', at: T0 + 60 * DAY }).state;
		expect(expired?.score).toBe(10);
		expect(expired?.ledger?.groups).toEqual({ Email: 0, Sales: 5 });
	});

	it('logs every change of a contact holding groups with the subtotals before and after it, and none without groups', () => {
		const { changes, state } = run([
			event([{ id: 'plain', points: 3 }]),
			event([email(5, { expiresAfterDays: 1 }), sales(20)]),
			{ kind: 'modify', operation: 'add', points: 10, countsAsActivity: true, at: T0 },
		]);
		expect(changes[0].groups).toBeUndefined();
		expect(changes[0].previousGroups).toBeUndefined();
		expect(changes[1]).toMatchObject({ previousGroups: {}, groups: { Email: 5, Sales: 20 } });
		expect(changes[2]).toMatchObject({ previousGroups: { Email: 5, Sales: 20 }, groups: { Email: 5, Sales: 20 } });
		const expired = run([{ kind: 'expiry', at: T0 + 2 * DAY }], state).changes[0];
		expect(expired).toMatchObject({ cause: { kind: 'expired' }, previousGroups: { Email: 5, Sales: 20 }, groups: { Email: 0, Sales: 20 } });
		expect(expireGrants(state, { kind: 'expiry', at: T0 + 2 * DAY }).changes).toEqual([expired]);
		const reset = transition('alice', state, { kind: 'reset', at: T0 + DAY }).change;
		expect(reset).toMatchObject({ previousGroups: { Email: 5, Sales: 20 }, groups: {} });
	});

	it('decay of a score at or below 0 takes it from the ungrouped points', () => {
		const scored = run([event([email(5), { id: 'penalty', points: -10 }])]).state;
		const policy: DecayPolicy = { mode: 'subtract', inactiveDays: 30, points: 3, floor: -20 };
		const { state } = transition('alice', scored, { kind: 'decay', policy, inactiveBefore: T0 + DAY, at: T0 + 40 * DAY });
		expect(state?.score).toBe(-8);
		expect(state?.ledger?.groups).toEqual({ Email: 5 });
		expect(ungroupedPoints(state as ContactState)).toBe(-13);
	});
});

describe('the rule kinds together', () => {
	it('limit + expiry + group + cap: "at most 2 a day, Email group up to 8, points for 7 days, total up to 20"', () => {
		const rule: ScoringRule = { id: 'opened', points: 3, group: 'Email', expiresAfterDays: 7, counts: { times: 2, per: 'day' } };
		const other: ScoringRule = { id: 'demo', points: 15 };
		const limits = { max: 20, groupMax: { Email: 8 } };
		const at = (day: number, hour = 0) => T0 + day * DAY + hour * HOUR;
		const plan = run([
			event([rule], { at: at(0), limits, eventId: 'a' }),
			event([rule], { at: at(0, 1), limits, eventId: 'b' }),
			event([rule], { at: at(0, 2), limits, eventId: 'c' }), // third that day: limited
			event([rule], { at: at(1), limits, eventId: 'd' }), // Email 6 + 3 > 8: held to 2
			event([other], { at: at(1, 1), limits }), // total 8 + 15 > 20: held to 12
		]);
		expect(plan.outcomes.map((outcome) => [outcome.delta, outcome.limitedRuleIds])).toEqual([
			[3, undefined],
			[3, undefined],
			[0, ['opened']],
			[2, undefined],
			[12, undefined],
		]);
		const state = plan.state;
		expect(state.score).toBe(20);
		expect(state.ledger?.groups).toEqual({ Email: 8 });
		expect(state.ledger?.expiring?.map((grant) => [grant.eventId, grant.points])).toEqual([
			['a', 3],
			['b', 3],
			['d', 2],
		]);
		// A week on, the three grants expire one by one and the Email group empties; the demo points stay.
		const expiries = Array.from({ length: dueExpiries(state, at(9)) }, (): ScoreOperation => ({ kind: 'expiry', at: at(9), limits }));
		const expired = run(expiries, state);
		expect(expired.changes.map((change) => change.delta)).toEqual([-3, -3, -2]);
		expect(expired.state.score).toBe(12);
		expect(expired.state.ledger?.groups).toEqual({ Email: 0 });
		expect(expired.state.nextExpiryAt).toBeUndefined();
		// Every logged delta adds up to the score.
		const logged = [...plan.changes, ...expired.changes].reduce((sum, change) => sum + change.delta, 0);
		expect(logged).toBe(expired.state.score);
	});

	it('an operation that uses no ledger keeps the contact\'s ledger as it was', () => {
		const scored = run([event([{ id: 'g', points: 5, group: 'Email', expiresAfterDays: 3 }])]).state;
		const plain: ScoreOperation = { kind: 'event', eventType: 'x', delta: 2, matchedRuleIds: ['p'], at: T0 + HOUR };
		const { state } = transition('alice', scored, plain);
		expect(state).toMatchObject({ score: 7, ledger: scored.ledger, nextExpiryAt: scored.nextExpiryAt });
		expect(ungroupedPoints(state as ContactState)).toBe(2);
	});

	it('is pure: nothing it is given changes', () => {
		const scored = Object.freeze(run([event([{ ...threePerDay, group: 'Email', expiresAfterDays: 3 }])]).state);
		const snapshot = JSON.stringify(scored);
		transition('alice', scored, event([{ ...threePerDay, group: 'Email', expiresAfterDays: 3 }], { at: T0 + HOUR }));
		transition('alice', scored, { kind: 'expiry', at: T0 + 10 * DAY });
		transition('alice', scored, { kind: 'reset', at: T0 + 10 * DAY });
		expect(JSON.stringify(scored)).toBe(snapshot);
	});
});

describe('applying a backlog of expiries at once', () => {
	it('gives the same score, ledger and changes as one expiry operation per due grant', () => {
		const rules: ScoringRule[] = [
			{ id: 'a', points: 4, group: 'Email', expiresAfterDays: 1 },
			{ id: 'b', points: -3, expiresAfterDays: 2 },
			{ id: 'c', points: 6, group: 'Sales', expiresAfterDays: 3 },
			{ id: 'd', points: 2, expiresAfterDays: 50 },
		];
		const limits = { min: 0, max: 8, groupMax: { Sales: 5 } };
		const scored = run(rules.map((rule, index) => event([rule], { at: T0 + index * HOUR, eventId: `e${index}`, limits }))).state;
		const at = T0 + 10 * DAY;
		const oneByOne = run(Array.from({ length: dueExpiries(scored, at) }, (): ScoreOperation => ({ kind: 'expiry', at, limits })), scored);
		const atOnce = expireGrants(scored, { kind: 'expiry', at, limits });
		expect(atOnce.changes).toEqual(oneByOne.changes);
		expect({ ...atOnce.state, version: 0 }).toEqual({ ...oneByOne.state, version: 0 });
		expect(atOnce.state?.nextExpiryAt).toBe(T0 + 3 * HOUR + 50 * DAY);
		expect(expireGrants(scored, { kind: 'expiry', at: T0 })).toEqual({ changes: [] });
	});
});

describe('calendar periods', () => {
	it('computes UTC days, Monday weeks and months as luxon does', () => {
		const luxonPeriod = (unit: 'day' | 'week' | 'month', at: number) => {
			const start = DateTime.fromMillis(at, { zone: 'utc' }).startOf(unit);
			return [start.toMillis(), start.plus({ [unit]: 1 }).toMillis()];
		};
		for (let at = Date.UTC(2023, 11, 25); at < Date.UTC(2025, 2, 10); at += 13 * HOUR + 7 * 60_000) {
			for (const unit of ['day', 'week', 'month'] as const) expect(calendarPeriod(unit, at, undefined)).toEqual(luxonPeriod(unit, at));
		}
		expect(calendarPeriod('day', Date.UTC(2026, 2, 29, 12), 'Europe/Berlin')).toEqual([Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22)]);
	});
});
