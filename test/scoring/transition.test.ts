import { type ContactState, type ScoreOperation, planBatch, transition, unseenContact } from '../../src/scoring';
import type { DecayPolicy } from '../../src/types';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const known = (overrides: Partial<ContactState> = {}): ContactState => ({
	contactId: 'alice',
	score: 10,
	lastActivityAt: T0,
	firstSeenAt: T0,
	updatedAt: T0,
	version: 3,
	...overrides,
});
const event = (delta: number, at = T0 + DAY, extra: Partial<ScoreOperation & { kind: 'event' }> = {}): ScoreOperation => ({
	kind: 'event',
	eventType: 'email_event',
	delta,
	matchedRuleIds: delta === 0 ? [] : ['opened'],
	at,
	...extra,
});
const subtract5: DecayPolicy = { mode: 'subtract', inactiveDays: 30, points: 5, floor: 2 };

describe('transition: a scored event', () => {
	it('moves the score by the delta, counts as activity, and logs the change', () => {
		const { state, change } = transition('alice', known(), event(5));
		expect(state).toEqual(known({ score: 15, lastActivityAt: T0 + DAY, updatedAt: T0 + DAY, version: 4 }));
		expect(change).toEqual({
			contactId: 'alice',
			previousScore: 10,
			score: 15,
			delta: 5,
			cause: { kind: 'event', eventType: 'email_event', ruleIds: ['opened'] },
			at: T0 + DAY,
		});
	});

	it('names in its cause the published version whose rules matched, also when rule lists are shared', () => {
		const shared = Object.freeze(['opened']);
		const v1 = transition('alice', known(), event(5, T0 + DAY, { matchedRuleIds: shared, profileVersion: 1 })).change?.cause;
		const v2 = transition('alice', known(), event(5, T0 + DAY, { matchedRuleIds: shared, profileVersion: 2 })).change?.cause;
		const withId = transition('alice', known(), event(5, T0 + DAY, { profileVersion: 2, eventId: 'e1' })).change?.cause;
		expect(v1).toEqual({ kind: 'event', eventType: 'email_event', ruleIds: ['opened'], profileVersion: 1 });
		expect(v2).toEqual({ kind: 'event', eventType: 'email_event', ruleIds: ['opened'], profileVersion: 2 });
		expect(withId).toEqual({ kind: 'event', eventType: 'email_event', ruleIds: ['opened'], profileVersion: 2, eventId: 'e1' });
	});

	it('creates an unknown contact at 0, first seen at the event, version 1', () => {
		const { state } = transition('bob', undefined, event(5, T0));
		expect(state).toEqual({ contactId: 'bob', score: 5, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 1 });
	});

	it('records activity but logs no change for an event that matched no rule', () => {
		const { state, change } = transition('alice', known(), event(0));
		expect(state?.lastActivityAt).toBe(T0 + DAY);
		expect(change).toBeUndefined();
	});

	it('keeps the newest activity when an old event arrives late, and moves first appearance back', () => {
		const { state } = transition('alice', known({ lastActivityAt: T0 + 5 * DAY }), event(1, T0 - DAY));
		expect(state).toMatchObject({ lastActivityAt: T0 + 5 * DAY, firstSeenAt: T0 - DAY });
	});

	it('sums fractional points exactly to 6 decimals and never gives -0', () => {
		expect(transition('a', known({ score: 0.1 }), event(0.2)).state?.score).toBe(0.3);
		const back = transition('a', known({ score: 0.1 }), event(-0.1));
		expect(Object.is(back.state?.score, 0)).toBe(true);
		expect(back.change?.delta).toBe(-0.1);
	});

	it('names the event id in the cause when it has one', () => {
		expect(transition('a', known(), event(1, T0, { eventId: 'e1' })).change?.cause).toEqual({
			kind: 'event',
			eventType: 'email_event',
			ruleIds: ['opened'],
			eventId: 'e1',
		});
	});
});

describe('transition: add, subtract, set', () => {
	const modify = (operation: 'add' | 'subtract' | 'set', points: number, countsAsActivity = true): ScoreOperation => ({
		kind: 'modify',
		operation,
		points,
		countsAsActivity,
		at: T0 + 2 * DAY,
		reason: 'call booked',
	});

	it('adds, subtracts and sets, logging the operation, points and reason', () => {
		expect(transition('alice', known(), modify('add', 2.5)).change).toMatchObject({ score: 12.5, delta: 2.5 });
		expect(transition('alice', known(), modify('subtract', 12)).change).toMatchObject({ score: -2, delta: -12 });
		const set = transition('alice', known(), modify('set', 3)).change;
		expect(set).toMatchObject({ score: 3, delta: -7, cause: { kind: 'modify', operation: 'set', points: 3, reason: 'call booked' } });
	});

	it('counts as activity only when told so', () => {
		expect(transition('alice', known(), modify('add', 1)).state?.lastActivityAt).toBe(T0 + 2 * DAY);
		expect(transition('alice', known(), modify('add', 1, false)).state?.lastActivityAt).toBe(T0);
		expect(transition('new', undefined, modify('add', 1, false)).state?.lastActivityAt).toBeNull();
	});

	it('writes the state but logs no change when the score does not move', () => {
		const { state, change } = transition('alice', known(), modify('set', 10));
		expect(state).toMatchObject({ score: 10, updatedAt: T0 + 2 * DAY, version: 4 });
		expect(change).toBeUndefined();
	});
});

describe('transition: reset', () => {
	it('sets the score to 0 and logs it with the reason, without counting as activity', () => {
		const { state, change } = transition('alice', known(), { kind: 'reset', reason: 'bounced', at: T0 + DAY });
		expect(state).toMatchObject({ score: 0, lastActivityAt: T0, updatedAt: T0 + DAY, version: 4 });
		expect(change).toMatchObject({ previousScore: 10, score: 0, delta: -10, cause: { kind: 'reset', reason: 'bounced' } });
	});

	it('is no change for a contact already at 0, nor for one the store does not hold', () => {
		expect(transition('alice', known({ score: 0 }), { kind: 'reset', at: T0 + DAY })).toEqual({});
		expect(transition('ghost', undefined, { kind: 'reset', at: T0 + DAY })).toEqual({});
	});
});

describe('transition: a decay step', () => {
	const decay = (policy: DecayPolicy, inactiveBefore = T0 + DAY): ScoreOperation => ({
		kind: 'decay',
		policy,
		inactiveBefore,
		at: T0 + 40 * DAY,
	});

	it('decays a contact idle since before the cut-off, never below the floor, without touching activity', () => {
		const { state, change } = transition('alice', known(), decay(subtract5));
		expect(state).toEqual(known({ score: 5, updatedAt: T0 + 40 * DAY, version: 4 }));
		expect(change).toMatchObject({ previousScore: 10, score: 5, delta: -5, cause: { kind: 'decay', mode: 'subtract' } });
		expect(transition('alice', known({ score: 4 }), decay(subtract5)).state?.score).toBe(2);
	});

	it('multiplies and rounds down toward the floor', () => {
		const multiply: DecayPolicy = { mode: 'multiply', inactiveDays: 30, factor: 0.9, floor: 0 };
		expect(transition('alice', known({ score: 7 }), decay(multiply)).state?.score).toBe(6);
	});

	it('leaves alone an active contact, one at or below the floor, and one the store does not hold', () => {
		expect(transition('alice', known(), decay(subtract5, T0))).toEqual({});
		expect(transition('alice', known({ score: 2 }), decay(subtract5))).toEqual({});
		expect(transition('alice', known({ score: -4 }), decay(subtract5))).toEqual({});
		expect(transition('ghost', undefined, decay(subtract5))).toEqual({});
	});

	it('counts a contact that was never active from its first appearance', () => {
		const never = known({ lastActivityAt: null, firstSeenAt: T0 + 2 * DAY });
		expect(transition('alice', never, decay(subtract5, T0 + DAY))).toEqual({});
		expect(transition('alice', never, decay(subtract5, T0 + 3 * DAY)).state?.score).toBe(5);
	});
});

describe('transition is pure', () => {
	it('changes nothing it is given and gives the same result for the same input', () => {
		const state = Object.freeze(known());
		const operation = Object.freeze(event(5));
		expect(transition('alice', state, operation)).toEqual(transition('alice', state, operation));
		expect(state).toEqual(known());
	});
});

describe('planBatch', () => {
	const view = (contacts: ContactState[], seen: string[] = []) => ({
		contact: (contactId: string) => contacts.find((contact) => contact.contactId === contactId),
		isSeen: (eventId: string) => seen.includes(eventId),
	});

	it('applies items in order, each seeing the state the one before left, and writes each contact once', () => {
		const plan = planBatch(view([known()]), [
			{ contactId: 'alice', operation: event(5) },
			{ contactId: 'bob', operation: event(1, T0) },
			{ contactId: 'alice', operation: event(-3) },
		]);
		expect(plan.outcomes.map(({ previousScore, score }) => [previousScore, score])).toEqual([
			[10, 15],
			[0, 1],
			[15, 12],
		]);
		expect(plan.contacts.map((state) => [state.contactId, state.score, state.version])).toEqual([
			['alice', 12, 5],
			['bob', 1, 1],
		]);
		// Logged contact by contact, each contact's changes in the order they happened.
		expect(plan.changes.map((change) => [change.contactId, change.score])).toEqual([
			['alice', 15],
			['alice', 12],
			['bob', 1],
		]);
		expect(plan.outcomes.map((outcome) => plan.changes[outcome.changeIndex].score)).toEqual([15, 1, 12]);
		expect(plan.outcomes.map((outcome) => outcome.delta)).toEqual([5, 1, -3]);
	});

	it('counts an event id once: seen before, or earlier in the batch, it is a duplicate that changes nothing', () => {
		const plan = planBatch(view([known()], ['old']), [
			{ contactId: 'alice', operation: event(5, T0, { eventId: 'old' }) },
			{ contactId: 'alice', operation: event(5, T0, { eventId: 'new' }) },
			{ contactId: 'alice', operation: event(5, T0, { eventId: 'new' }) },
		]);
		expect(plan.outcomes.map(({ duplicate, score, delta }) => [duplicate, score, delta])).toEqual([
			[true, 10, 0],
			[false, 15, 5],
			[true, 15, 0],
		]);
		expect(plan.seenEventIds).toEqual(['new']);
		expect(plan.changes).toHaveLength(1);
	});

	it('counts an event without an id every time it comes', () => {
		const plan = planBatch(view([known()], ['old']), [
			{ contactId: 'alice', operation: event(5) },
			{ contactId: 'alice', operation: event(5) },
		]);
		expect(plan.outcomes.map(({ duplicate, score }) => [duplicate, score])).toEqual([
			[false, 15],
			[false, 20],
		]);
		expect(plan.seenEventIds).toEqual([]);
	});

	it('says whether the store held the contact, and writes nothing for a reset of an unknown one', () => {
		const plan = planBatch(view([]), [{ contactId: 'ghost', operation: { kind: 'reset', at: T0 } }]);
		expect(plan.outcomes[0]).toMatchObject({ known: false, changeIndex: -1 });
		expect(plan.contacts).toEqual([]);
		expect(unseenContact('x', T0).version).toBe(0);
	});
});
