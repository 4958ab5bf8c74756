import { EngagementEngine } from '../../src/engine';
import { storeKindsForThisFile, type StoreKind } from '../helpers/engine-stores';
import type { ScoreStore } from '../../src/store';
import type { EventResult } from '../../src/types';

/** Issue 10 through the engine on real stores: limits, expiry, groups as a workflow would meet them. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9); // a Monday morning, UTC

const storeKinds: StoreKind[] = storeKindsForThisFile('scoring-rules');

const RULES = [
	{ id: 'opened', eventType: 'email_event', points: 2, counts: { times: 3, per: 'day' }, group: 'Email' },
	{ id: 'webinar', eventType: 'webinar_attended', points: 10, counts: 'once', expiresAfterDays: 30, group: 'Events' },
	{ id: 'demo', eventType: 'appointment_booked', points: 40, expiresAfterDays: 7, group: 'Sales' },
	{ id: 'form', eventType: 'form_submitted', points: 5 },
];

describe.each(storeKinds)('scoring rules through the engine on $name', (kind) => {
	let store: ScoreStore;
	let cleanup: () => void;
	let clock: number;
	let engine: EngagementEngine;

	beforeEach(async () => {
		({ store, cleanup } = await kind.open());
		clock = T0;
		engine = new EngagementEngine(store, { now: () => clock });
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: RULES, limits: { min: 0, max: 100, groupMax: { Sales: 50 } } });
		await engine.publish('lead');
	});

	afterEach(async () => {
		await store.close();
		cleanup();
	});

	const score = (events: Array<Record<string, unknown>>) => engine.scoreEvents('lead', events) as Promise<EventResult[]>;
	const opened = (hour: number) => ({ contactId: 'alice', type: 'email_event', occurredAt: T0 + hour * HOUR });

	it('counts a rule at most 3 times a day across executions and says which events it limited', async () => {
		const first = await score([opened(0), opened(1)]);
		const second = await score([opened(2), opened(3)]);
		const nextDay = await score([opened(24)]);
		expect([...first, ...second, ...nextDay].map((result) => [result.delta, result.limitedRuleIds])).toEqual([
			[2, undefined],
			[2, undefined],
			[2, undefined],
			[0, ['opened']],
			[2, undefined],
		]);
		expect(await engine.getContact('lead', 'alice')).toMatchObject({ score: 8, groups: { Email: 8 }, topGroup: 'Email' });
	});

	it('awards exactly 3 of 50 parallel executions hitting one contact\'s "at most 3 per day" rule', async () => {
		const results = await Promise.all(Array.from({ length: 50 }, (_, index) => score([opened(index / 10)])));
		expect(results.flat().filter((result) => result.delta > 0)).toHaveLength(3);
		expect((await engine.getContact('lead', 'alice'))?.score).toBe(6);
	});

	it('reflects points that expired while nothing ran, in Get, Get Many and the history', async () => {
		await score([{ contactId: 'alice', type: 'appointment_booked', id: 'demo-1' }, { contactId: 'alice', type: 'form_submitted' }]);
		await score([{ contactId: 'bob', type: 'form_submitted' }, { contactId: 'bob', type: 'form_submitted' }]);
		expect((await engine.getContact('lead', 'alice'))?.score).toBe(45);
		clock = T0 + 7 * DAY;
		expect(await engine.getContact('lead', 'alice')).toMatchObject({ score: 5, groups: { Sales: 0 } });
		expect((await engine.getContact('lead', 'alice'))?.topGroup).toBeUndefined();
		expect((await engine.listContacts('lead')).map((contact) => [contact.contactId, contact.score])).toEqual([
			['bob', 10],
			['alice', 5],
		]);
		const [expiry] = await engine.getHistory('lead', 'alice');
		expect(expiry).toMatchObject({ previousScore: 45, score: 5, delta: -40, cause: { kind: 'expired', ruleId: 'demo', eventId: 'demo-1' }, at: T0 + 7 * DAY });
		// Applied once: reading again changes nothing more.
		expect((await engine.getHistory('lead', 'alice')).filter((change) => change.cause.kind === 'expired')).toHaveLength(1);
	});

	it('never applies an expiry twice when many callers apply them at once', async () => {
		const contacts = Array.from({ length: 30 }, (_, index) => ({ contactId: `c${index}`, type: 'appointment_booked' }));
		await score(contacts);
		clock = T0 + 8 * DAY;
		const results = await Promise.all([
			...Array.from({ length: 5 }, () => engine.applyExpiries('lead')),
			engine.listContacts('lead', { limit: 100 }),
			score([{ contactId: 'c0', type: 'form_submitted' }]),
		]);
		const applied = results.slice(0, 5).reduce((sum, result) => sum + (result as { expired: number }).expired, 0);
		expect(applied).toBe(30);
		const changes = await store.readChanges('lead', 0, 1000);
		expect(changes.filter((change) => change.cause.kind === 'expired')).toHaveLength(30);
		expect((await engine.listContacts('lead', { limit: 100 })).map((contact) => contact.score).sort((a, b) => a - b)).toEqual([
			...Array.from({ length: 29 }, () => 0),
			5,
		]);
	});

	it('scores an event that is already past its expiry window with nothing for that rule', async () => {
		clock = T0 + 10 * DAY;
		const [late] = await score([{ contactId: 'alice', type: 'appointment_booked', occurredAt: T0 }]);
		expect(late).toMatchObject({ delta: 0, score: 0 });
		expect(await store.expiringContactIds('lead', T0 + 100 * DAY, 10)).toEqual([]);
	});

	it('caps a group and the total, and holds manual changes to the limits', async () => {
		const [first, second] = await score([
			{ contactId: 'alice', type: 'appointment_booked' },
			{ contactId: 'alice', type: 'appointment_booked' },
		]);
		expect([first.delta, second.delta]).toEqual([40, 10]);
		expect(await engine.getContact('lead', 'alice')).toMatchObject({ score: 50, groups: { Sales: 50 }, topGroup: 'Sales' });
		expect((await engine.modifyScore('lead', { contactId: 'alice', operation: 'add', points: 500 })).delta).toBe(50);
		expect((await engine.modifyScore('lead', { contactId: 'alice', operation: 'set', points: -20 })).score).toBe(0);
		expect(await engine.getContact('lead', 'alice')).toEqual({ profileId: 'lead', contactId: 'alice', score: 0, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0 });
	});

	it('leaves a profile without limits, expiry or groups scoring as before', async () => {
		await engine.createProfile({ id: 'plain', name: 'Plain', rules: [{ id: 'form', eventType: 'form_submitted', points: 5 }] });
		await engine.publish('plain');
		await engine.scoreEvents('plain', [{ contactId: 'alice', type: 'form_submitted' }, { contactId: 'alice', type: 'form_submitted' }]);
		expect(await engine.getContact('plain', 'alice')).toEqual({ profileId: 'plain', contactId: 'alice', score: 10, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0 });
		expect(await store.getContact('plain', 'alice')).toEqual({
			contactId: 'alice',
			score: 10,
			lastActivityAt: T0,
			firstSeenAt: T0,
			updatedAt: T0,
			version: 2,
			// The only addition: the engine journals what it scores (issue 11).
			journaled: true,
		});
	});
});
