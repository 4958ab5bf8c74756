import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { changeNotifier } from '../../src/change-notifier';
import { EngagementEngine } from '../../src/engine';
import { InvalidInputError, ProfileNotFoundError, ProfileNotPublishedError } from '../../src/errors';
import type { ScoreStore } from '../../src/store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import type { EventResult } from '../../src/types';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

const RULES = [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
	{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 },
	{ id: 'promo', eventType: 'email_event', conditions: [{ property: 'link', operator: 'contains', value: 'promo' }], points: 3 },
	{ id: 'unsubscribed', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'unsubscribed' }], points: -10 },
	{ id: 'vip', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'equals', value: 'vip' }], points: 20 },
];

interface StoreKind {
	readonly name: string;
	open(): ScoreStore;
	cleanup(): void;
}

const storeKinds: StoreKind[] = [
	{ name: 'workflow static data (StaticDataStore)', open: () => new StaticDataStore({}), cleanup: () => undefined },
	(() => {
		let dir = '';
		return {
			name: 'SQLite file (SqliteStore)',
			open: () => {
				dir = mkdtempSync(join(tmpdir(), 'engine-test-'));
				return SqliteStore.open(join(dir, 'scores.sqlite'));
			},
			cleanup: () => rmSync(dir, { recursive: true, force: true }),
		};
	})(),
];

function errorField(action: () => Promise<unknown>): Promise<string | undefined> {
	return action().then(
		() => {
			throw new Error('expected a rejection');
		},
		(error) => {
			expect(error).toBeInstanceOf(InvalidInputError);
			return (error as InvalidInputError).field;
		},
	);
}

describe.each(storeKinds)('EngagementEngine on $name', (kind) => {
	let store: ScoreStore;
	let clock: number;
	let notifications: Array<[string, string]>;
	let engine: EngagementEngine;

	beforeEach(() => {
		store = kind.open();
		clock = T0;
		notifications = [];
		const wake = changeNotifier.notify.bind(changeNotifier);
		jest.spyOn(changeNotifier, 'notify').mockImplementation((key, profileId) => {
			notifications.push([key, profileId]);
			wake(key, profileId);
		});
		engine = new EngagementEngine(store, { now: () => clock });
	});

	afterEach(async () => {
		jest.restoreAllMocks();
		await store.close();
		kind.cleanup();
	});

	async function publishedLeadProfile() {
		await engine.createProfile({ name: 'Lead Score', rules: RULES });
		return engine.publish('lead-score');
	}

	it('refuses to score with an unknown profile, and with an unpublished one when told to fail, writing nothing', async () => {
		await expect(engine.scoreEvents('nope', [{ contactId: 'c', type: 'email_event' }])).rejects.toBeInstanceOf(ProfileNotFoundError);
		await engine.createProfile({ name: 'Lead Score', rules: RULES });
		const opened = { contactId: 'c', type: 'email_event', properties: { event: 'opened' }, id: 'e1' };
		await expect(engine.scoreEvents('lead-score', [opened], { ifNotPublished: 'fail' })).rejects.toBeInstanceOf(ProfileNotPublishedError);
		expect(await engine.getContact('lead-score', 'c')).toBeUndefined();
		// Nothing was recorded either: the same event id is new when recorded afterwards.
		expect(await engine.scoreEvents('lead-score', [opened])).toEqual([
			{ contactId: 'c', eventId: 'e1', duplicate: false, previousScore: 0, score: 0, delta: 0, matchedRuleIds: [], scored: false, recorded: true },
		]);
	});

	it('records events sent to a draft without scoring them, and counts their ids so a retry is a duplicate', async () => {
		await engine.createProfile({ name: 'Lead Score', rules: RULES });
		const opened = { contactId: 'c', type: 'email_event', properties: { event: 'opened' }, id: 'e1' };
		const [recorded] = (await engine.scoreEvents('lead-score', [opened])) as EventResult[];
		expect(recorded).toMatchObject({ scored: false, recorded: true, duplicate: false, score: 0, delta: 0 });
		expect(await engine.getContact('lead-score', 'c')).toBeUndefined();
		// The first publish scores what was recorded (recalculation.md).
		await engine.publish('lead-score');
		expect(await engine.getContact('lead-score', 'c')).toMatchObject({ score: 5 });
		const [retry] = (await engine.scoreEvents('lead-score', [opened])) as EventResult[];
		expect(retry).toMatchObject({ scored: false, recorded: false, duplicate: true, score: 5 });
		const [next] = (await engine.scoreEvents('lead-score', [{ ...opened, id: 'e2' }])) as EventResult[];
		expect(next).toMatchObject({ scored: true, recorded: true, duplicate: false, score: 10 });
	});

	it('scores events with all matching published rules and records the cause in the history', async () => {
		const profile = await publishedLeadProfile();
		expect(profile).toMatchObject({ status: 'published', version: 1 });
		clock = T0 + 1000;
		const [first, second] = (await engine.scoreEvents('lead-score', [
			{ contactId: 'c1', type: 'email_event', properties: { event: 'clicked', link: 'https://x/promo' }, id: 'e1' },
			{ contactId: 'c1', type: 'Email Events', properties: { event: 'opened' } },
		])) as EventResult[];
		expect(first).toMatchObject({ contactId: 'c1', eventId: 'e1', duplicate: false, previousScore: 0, score: 13, delta: 13, matchedRuleIds: ['clicked', 'promo'] });
		expect(second).toMatchObject({ previousScore: 13, score: 18, delta: 5, matchedRuleIds: ['opened'] });
		const history = await engine.getHistory('lead-score', 'c1');
		expect(history.map((change) => [change.previousScore, change.score, change.delta, change.cause])).toEqual([
			// The cause names the published version whose rules matched.
			[13, 18, 5, { kind: 'event', eventType: 'email_event', ruleIds: ['opened'], profileVersion: 1 }],
			[0, 13, 13, { kind: 'event', eventType: 'email_event', ruleIds: ['clicked', 'promo'], profileVersion: 1, eventId: 'e1' }],
		]);
		expect(history[0].at).toBe(T0 + 1000);
		expect(notifications).toEqual([[store.key, 'lead-score']]);
	});

	it('counts the same event id once per profile, but separately in another profile', async () => {
		await publishedLeadProfile();
		await engine.createProfile({ id: 'other', name: 'Other', rules: RULES });
		await engine.publish('other');
		const event = { id: 'evt-1', contactId: 'c', type: 'contact_tag', properties: { tag: 'VIP' } };
		await engine.scoreEvents('lead-score', [event]);
		const [again] = (await engine.scoreEvents('lead-score', [event])) as EventResult[];
		expect(again).toMatchObject({ duplicate: true, score: 20, delta: 0 });
		await engine.scoreEvents('other', [event]);
		expect((await engine.getContact('lead-score', 'c'))?.score).toBe(20);
		expect((await engine.getContact('other', 'c'))?.score).toBe(20);
	});

	it('returns invalid events as errors in place and writes only the valid ones', async () => {
		await publishedLeadProfile();
		const results = await engine.scoreEvents('lead-score', [
			{ contactId: 'ok', type: 'contact_tag', properties: { tag: 'vip' } },
			{ type: 'contact_tag', properties: { tag: 'vip' } },
			{ contactId: 'bad-time', type: 'contact_tag', properties: { tag: 'vip' }, occurredAt: 'soon' },
			{ contactId: 'ok', type: 'contact_tag', properties: { tag: 'vip' } },
		]);
		expect(results[1]).toBeInstanceOf(InvalidInputError);
		expect((results[1] as InvalidInputError).field).toBe('contactId');
		expect((results[2] as InvalidInputError).field).toBe('occurredAt');
		expect((results[3] as EventResult).score).toBe(40);
		expect(await engine.getContact('lead-score', 'bad-time')).toBeUndefined();
	});

	it('keeps scoring with the published rules while the draft is edited, and switches at republish', async () => {
		await publishedLeadProfile();
		await engine.updateDraft('lead-score', { rules: [{ eventType: 'contact_tag', points: 1 }] });
		const tag = { contactId: 'c', type: 'contact_tag', properties: { tag: 'vip' } };
		expect(((await engine.scoreEvents('lead-score', [tag]))[0] as EventResult).delta).toBe(20);
		const republished = await engine.publish('lead-score', { recalculate: false });
		expect(republished.version).toBe(2);
		expect(((await engine.scoreEvents('lead-score', [tag]))[0] as EventResult)).toMatchObject({ delta: 1, score: 21, matchedRuleIds: ['rule-1'] });
		// Recalculated (the default), the earlier tag counts under the new rules too.
		await engine.publish('lead-score');
		expect(await engine.getContact('lead-score', 'c')).toMatchObject({ score: 2 });
	});

	it('stops scoring when unpublished but keeps the scores', async () => {
		await publishedLeadProfile();
		await engine.scoreEvents('lead-score', [{ contactId: 'c', type: 'contact_tag', properties: { tag: 'vip' } }]);
		const draft = await engine.unpublish('lead-score');
		expect(draft.status).toBe('draft');
		const [recorded] = (await engine.scoreEvents('lead-score', [{ contactId: 'c', type: 'contact_tag', properties: { tag: 'vip' } }])) as EventResult[];
		expect(recorded).toMatchObject({ scored: false, recorded: true, previousScore: 20, score: 20, delta: 0 });
		expect((await engine.getContact('lead-score', 'c'))?.score).toBe(20);
	});

	it('re-evaluates a batch against the new version when the profile is republished under it', async () => {
		await publishedLeadProfile();
		await engine.updateDraft('lead-score', { rules: [{ id: 'v2', eventType: 'contact_tag', points: 2 }] });
		let republishedUnderTheBatch = false;
		const racing: ScoreStore = Object.create(store, {
			transact: {
				value: async (...args: Parameters<ScoreStore['transact']>) => {
					if (!republishedUnderTheBatch) {
						republishedUnderTheBatch = true;
						await store.updateProfile('lead-score', (profile) => ({ ...profile, publishedRules: profile.draftRules, version: profile.version + 1 }));
					}
					return store.transact(...args);
				},
			},
		});
		const racingEngine = new EngagementEngine(racing, { now: () => clock });
		const [result] = (await racingEngine.scoreEvents('lead-score', [{ contactId: 'c', type: 'contact_tag', properties: { tag: 'vip' } }])) as EventResult[];
		expect(result).toMatchObject({ delta: 2, matchedRuleIds: ['v2'] });
	});

	it('treats __proto__ and constructor as ordinary contact and profile ids', async () => {
		await engine.createProfile({ id: '__proto__', name: 'Proto', rules: RULES });
		await engine.publish('__proto__');
		await engine.scoreEvents('__proto__', [
			{ contactId: '__proto__', type: 'contact_tag', properties: { tag: 'vip' } },
			{ contactId: 'constructor', type: 'email_event', properties: { event: 'opened' } },
		]);
		expect((await engine.getContact('__proto__', '__proto__'))?.score).toBe(20);
		expect((await engine.getContact('__proto__', 'constructor'))?.score).toBe(5);
		expect((await engine.listContacts('__proto__')).map((contact) => contact.contactId)).toEqual(['__proto__', 'constructor']);
		expect((await engine.listProfiles()).map((profile) => profile.id)).toEqual(['__proto__']);
	});

	it('modifies a score with no rule and no publish, validating points before writing', async () => {
		await engine.createProfile({ name: 'Manual' });
		expect(await engine.modifyScore('manual', { contactId: 7, operation: 'add', points: '12.5', reason: 'call booked' })).toMatchObject({
			contactId: '7',
			previousScore: 0,
			score: 12.5,
			delta: 12.5,
		});
		expect(await engine.modifyScore('manual', { contactId: '7', operation: 'subtract', points: 2.5 })).toMatchObject({ previousScore: 12.5, score: 10, delta: -2.5 });
		expect(await engine.modifyScore('manual', { contactId: '7', operation: 'set', points: -3 })).toMatchObject({ previousScore: 10, score: -3, delta: -13 });
		expect(await errorField(() => engine.modifyScore('manual', { contactId: '7', operation: 'add', points: 'lots' }))).toBe('points');
		expect(await errorField(() => engine.modifyScore('manual', { contactId: '', operation: 'add', points: 1 }))).toBe('contactId');
		expect(await errorField(() => engine.modifyScore('manual', { contactId: '7', operation: 'double', points: 1 }))).toBe('operation');
		expect((await engine.getContact('manual', '7'))?.score).toBe(-3);
		const [latest] = await engine.getHistory('manual', '7', 1);
		expect(latest.cause).toEqual({ kind: 'modify', operation: 'set', points: -3 });
		expect((await engine.getHistory('manual', '7', 10))[2].cause).toEqual({ kind: 'modify', operation: 'add', points: 12.5, reason: 'call booked' });
		await expect(engine.modifyScore('missing', { contactId: '7', operation: 'add', points: 1 })).rejects.toBeInstanceOf(ProfileNotFoundError);
		expect(notifications).toHaveLength(3);
	});

	it('decays only contacts inactive for the window, never below the floor', async () => {
		await publishedLeadProfile();
		const vip = (contactId: string) => ({ contactId, type: 'contact_tag', properties: { tag: 'vip' } });
		await engine.scoreEvents('lead-score', [vip('old'), vip('old'), vip('low'), vip('recent')]);
		await engine.modifyScore('lead-score', { contactId: 'low', operation: 'set', points: 3, countsAsActivity: false });
		clock = T0 + 20 * DAY;
		await engine.scoreEvents('lead-score', [{ contactId: 'recent', type: 'email_event', properties: { event: 'opened' } }]);
		clock = T0 + 31 * DAY;
		notifications = [];
		const result = await engine.applyDecay('lead-score', { mode: 'subtract', inactiveDays: 30, points: 15, floor: 2 });
		expect(result).toMatchObject({ contactsInactive: 2, contactsDecayed: 2, totalDelta: -16 });
		expect((await engine.getContact('lead-score', 'old'))?.score).toBe(25);
		expect((await engine.getContact('lead-score', 'low'))?.score).toBe(2);
		expect((await engine.getContact('lead-score', 'recent'))?.score).toBe(25);
		expect((await engine.getHistory('lead-score', 'old', 1))[0].cause).toEqual({ kind: 'decay', mode: 'subtract' });
		expect(notifications).toEqual([[store.key, 'lead-score']]);

		const multiplied = await engine.applyDecay('lead-score', { mode: 'multiply', inactiveDays: 30, factor: 0.5, floor: 2 });
		expect(multiplied).toMatchObject({ contactsInactive: 2, contactsDecayed: 1 });
		expect((await engine.getContact('lead-score', 'old'))?.score).toBe(12);
		expect((await engine.getContact('lead-score', 'low'))?.score).toBe(2);
		expect(await errorField(() => engine.applyDecay('lead-score', { mode: 'multiply', inactiveDays: 30, factor: 2 }))).toBe('factor');
	});

	it('lists contacts sorted, filtered and limited, and resets and deletes them', async () => {
		await engine.createProfile({ name: 'Manual' });
		for (const [contactId, points] of [['a', 5], ['b', 50], ['c', 20], ['d', -5]] as const) {
			await engine.modifyScore('manual', { contactId, operation: 'set', points });
		}
		const ids = async (query: unknown) => (await engine.listContacts('manual', query)).map((contact) => contact.contactId);
		expect(await ids({})).toEqual(['b', 'c', 'a', 'd']);
		expect(await ids({ order: 'asc', limit: '2' })).toEqual(['d', 'a']);
		expect(await ids({ minScore: 0, maxScore: '20' })).toEqual(['c', 'a']);
		expect(await errorField(() => engine.listContacts('manual', { order: 'up' }))).toBe('order');
		expect(await errorField(() => engine.listContacts('manual', { limit: 0 }))).toBe('limit');
		expect(await errorField(() => engine.listContacts('manual', { minScore: 'high' }))).toBe('minScore');
		await expect(engine.listContacts('missing')).rejects.toBeInstanceOf(ProfileNotFoundError);

		const reset = await engine.resetContact('manual', 'b', 'bounced');
		expect(reset).toMatchObject({ contactId: 'b', previousScore: 50, score: 0, change: { delta: -50, cause: { kind: 'reset', reason: 'bounced' } } });
		expect(await engine.resetContact('manual', 'b', 'again')).toEqual({ contactId: 'b', previousScore: 0, score: 0 });
		expect((await engine.getHistory('manual', 'b')).map((change) => change.cause.kind)).toEqual(['reset', 'modify']);
		expect(await engine.resetContact('manual', 'nobody')).toBeUndefined();
		expect(await engine.deleteContact('manual', 'c')).toBe(true);
		expect(await engine.getContact('manual', 'c')).toBeUndefined();
		expect(await engine.getHistory('manual', 'c')).toEqual([]);
		expect(await ids({})).toEqual(['a', 'b', 'd']);
	});

	it('manages several profiles side by side and deletes one with its scores', async () => {
		await publishedLeadProfile();
		await engine.createProfile({ name: 'Re-engagement', description: 'cold leads' });
		expect((await engine.listProfiles()).map((profile) => [profile.id, profile.status])).toEqual([
			['lead-score', 'published'],
			['re-engagement', 'draft'],
		]);
		await engine.scoreEvents('lead-score', [{ contactId: 'c', type: 'contact_tag', properties: { tag: 'vip' } }]);
		expect(await engine.deleteProfile('lead-score')).toBe(true);
		await expect(engine.getProfile('lead-score')).rejects.toBeInstanceOf(ProfileNotFoundError);
		await expect(engine.getContact('lead-score', 'c')).rejects.toBeInstanceOf(ProfileNotFoundError);
		expect((await engine.getProfile('re-engagement')).description).toBe('cold leads');
	});

	it('loses no update when many batches for one contact run concurrently', async () => {
		await publishedLeadProfile();
		const batches = Array.from({ length: 200 }, (_, index) =>
			engine.scoreEvents('lead-score', [{ id: `e${index}`, contactId: 'hot', type: 'email_event', properties: { event: 'opened' } }]),
		);
		await Promise.all(batches);
		expect((await engine.getContact('lead-score', 'hot'))?.score).toBe(1000);
		expect(await engine.getHistory('lead-score', 'hot', 1000)).toHaveLength(200);
	});
});
