import type { JournalEntry } from '../../src/journal';
import { type ContactState, JournalPlan, planBatch, planRecording, type ScoreOperation, transition } from '../../src/scoring';
import type { DecayPolicy } from '../../src/types';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const stored = (overrides: Partial<ContactState> = {}): ContactState => ({
	contactId: 'alice',
	score: 10,
	lastActivityAt: T0,
	firstSeenAt: T0,
	updatedAt: T0,
	version: 3,
	...overrides,
});
const view = (contacts: ContactState[], seen: string[] = []) => ({
	contact: (contactId: string) => contacts.find((contact) => contact.contactId === contactId),
	isSeen: (eventId: string) => seen.includes(eventId),
});
const event = (delta: number, eventId?: string): ScoreOperation => ({
	kind: 'event',
	eventType: 'email_event',
	delta,
	matchedRuleIds: delta === 0 ? [] : ['opened'],
	at: T0 + DAY,
	...(eventId === undefined ? {} : { eventId }),
});
const journalOf = (contactId: string, eventId?: string): JournalEntry => ({
	kind: 'event',
	contactId,
	type: 'email_event',
	properties: { event: 'opened' },
	occurredAt: T0 + DAY,
	receivedAt: T0 + DAY,
	...(eventId === undefined ? {} : { eventId }),
});
const subtract5: DecayPolicy = { mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 };

describe('what a plan journals (JournalPlan)', () => {
	it('journals each applied item in order, skipping duplicates, and marks every state it writes journaled', () => {
		const plan = planBatch(
			view([stored({ journaled: true })], ['seen']),
			[
				{ contactId: 'alice', operation: event(5, 'e1'), journal: journalOf('alice', 'e1') },
				{ contactId: 'alice', operation: event(5, 'seen'), journal: journalOf('alice', 'seen') },
				{ contactId: 'bob', operation: event(2), journal: journalOf('bob') },
				{ contactId: 'alice', operation: event(5, 'e1'), journal: journalOf('alice', 'e1') },
			],
			new JournalPlan(),
		);
		expect(plan.journal).toEqual([journalOf('alice', 'e1'), journalOf('bob')]);
		expect(plan.contacts.map((state) => [state.contactId, state.score, state.journaled])).toEqual([
			['alice', 15, true],
			['bob', 2, true],
		]);
	});

	it('starts the journal of a contact stored before it with a carried entry of the stored state, once', () => {
		const ledger = { groups: { Email: 4 }, awards: { opened: [T0] } };
		const plan = planBatch(
			view([stored({ ledger })]),
			[
				{ contactId: 'alice', operation: event(5), journal: journalOf('alice') },
				{ contactId: 'alice', operation: event(1), journal: journalOf('alice') },
			],
			new JournalPlan(),
		);
		expect(plan.journal).toEqual([
			{ kind: 'carried', contactId: 'alice', score: 10, groups: { Email: 4 }, ledger, lastActivityAt: T0, firstSeenAt: T0, at: T0 },
			journalOf('alice'),
			journalOf('alice'),
		]);
		expect(plan.contacts[0]).toMatchObject({ score: 16, journaled: true });
	});

	it('does not journal a reset that wrote nothing', () => {
		const reset: ScoreOperation = { kind: 'reset', at: T0 + DAY };
		const entry: JournalEntry = { kind: 'reset', contactId: 'alice', at: T0 + DAY };
		const plan = planBatch(
			view([stored({ score: 0, journaled: true })]),
			[
				{ contactId: 'alice', operation: reset, journal: entry },
				{ contactId: 'ghost', operation: reset, journal: { ...entry, contactId: 'ghost' } },
			],
			new JournalPlan(),
		);
		expect(plan.journal).toEqual([]);
		expect(plan.contacts).toEqual([]);
	});

	it('puts a decay run first, and carries the decayed state of a contact stored before the journal', () => {
		const decay: JournalEntry = { kind: 'decay', policy: subtract5, inactiveBefore: T0 + DAY, at: T0 + 40 * DAY };
		const operation: ScoreOperation = { kind: 'decay', policy: subtract5, inactiveBefore: T0 + DAY, at: T0 + 40 * DAY };
		const plan = planBatch(
			view([stored(), stored({ contactId: 'bob', journaled: true })]),
			[
				{ contactId: 'alice', operation },
				{ contactId: 'bob', operation },
			],
			new JournalPlan([decay]),
		);
		expect(plan.journal).toEqual([
			decay,
			{ kind: 'carried', contactId: 'alice', score: 5, lastActivityAt: T0, firstSeenAt: T0, at: T0 + 40 * DAY },
		]);
		expect(plan.contacts.map((state) => [state.contactId, state.score, state.journaled])).toEqual([
			['alice', 5, true],
			['bob', 5, true],
		]);
	});

	it('writes no journal and no mark without a JournalPlan', () => {
		const plan = planBatch(view([stored()]), [{ contactId: 'alice', operation: event(5), journal: journalOf('alice') }]);
		expect(plan.journal).toBeUndefined();
		expect(plan.contacts[0].journaled).toBeUndefined();
	});
});

describe('transitions keep the state marks', () => {
	it.each<[string, ScoreOperation]>([
		['event', event(5)],
		['modify', { kind: 'modify', operation: 'set', points: 3, countsAsActivity: true, at: T0 + DAY }],
		['reset', { kind: 'reset', at: T0 + DAY }],
		['decay', { kind: 'decay', policy: subtract5, inactiveBefore: T0 + DAY, at: T0 + DAY }],
		['expiry', { kind: 'expiry', at: T0 + 2 * DAY }],
		['event with limits', { ...event(5), limits: { max: 100 } } as ScoreOperation],
	])('%s', (_, operation) => {
		const grant = { ruleId: 'opened', points: 2, dueAt: T0 + DAY };
		const current = stored({ journaled: true, recalculatedVersion: 4, ledger: { expiring: [grant] }, nextExpiryAt: grant.dueAt });
		const { state } = transition('alice', current, operation);
		expect(state).toMatchObject({ journaled: true, recalculatedVersion: 4 });
	});
});

describe('recording while the profile is not published (planRecording)', () => {
	it('journals each new event and counts its id, changes no score, and marks a contact stored before the journal', () => {
		const plan = planRecording(view([stored(), stored({ contactId: 'bob', journaled: true, score: 7 })], ['seen']), [
			{ contactId: 'alice', eventId: 'e1', journal: journalOf('alice', 'e1') },
			{ contactId: 'alice', eventId: 'e1', journal: journalOf('alice', 'e1') },
			{ contactId: 'alice', eventId: 'seen', journal: journalOf('alice', 'seen') },
			{ contactId: 'bob', journal: journalOf('bob') },
			{ contactId: 'carol', journal: journalOf('carol') },
			{ contactId: 'alice', journal: journalOf('alice') },
		]);
		expect(plan.outcomes).toEqual([
			{ duplicate: false, known: true, score: 10 },
			{ duplicate: true, known: true, score: 10 },
			{ duplicate: true, known: true, score: 10 },
			{ duplicate: false, known: true, score: 7 },
			{ duplicate: false, known: false, score: 0 },
			{ duplicate: false, known: true, score: 10 },
		]);
		expect(plan.seenEventIds).toEqual(['e1']);
		expect(plan.journal).toEqual([
			{ kind: 'carried', contactId: 'alice', score: 10, lastActivityAt: T0, firstSeenAt: T0, at: T0 },
			journalOf('alice', 'e1'),
			journalOf('bob'),
			journalOf('carol'),
			journalOf('alice'),
		]);
		// Only the mark moves (and the version, so that a concurrent write is caught): no score, no activity.
		expect(plan.contacts).toEqual([stored({ journaled: true, version: 4 })]);
	});
});
