/**
 * The scoring core applied to each real store (src/score-writes.ts: applyBatch, decayProfile,
 * loggedChange): what a user sees when evaluated events, adjustments, resets and decay runs reach
 * SQLite, workflow static data or Redis. What each operation means is described by
 * test/scoring/; what a store keeps, by the conformance suite (test/stores/conformance.ts). These
 * tests hold the two together: whole batches refused with nothing written, dedupe across calls
 * and profiles, decay in steps, no update lost among concurrent callers, and rule counts that
 * hold across separate writes.
 */
import { InvalidInputError, ProfileNotFoundError, ProfileNotPublishedError } from '../../src/errors';
import type { ScoreStore } from '../../src/store';
import { applyBatch, applyDueExpiries } from '../../src/score-writes';
import type { EventOperation } from '../../src/scoring/operation';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import type { DecayPolicy, ScoreProfile } from '../../src/types';
import { scoring } from '../helpers/scoring';
import { redisStoresForThisFile, sqliteStoreInTempFolder } from '../helpers/stores-under-test';
import { reloadedEachCall } from '../helpers/static-data-reload';
import { profileFixture, scoredEvent, type StoreUnderTest } from '../stores/conformance';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

const redisStore = redisStoresForThisFile('score-writes');

const STORES: Array<[string, () => Promise<StoreUnderTest>]> = [
	['SQLite (real file in a temp folder)', sqliteStoreInTempFolder],
	['workflow static data (kept in memory)', async () => ({ store: new StaticDataStore({}), cleanup: async () => {} })],
	['workflow static data (JSON round trip and n8n reload between calls)', async () => ({ store: reloadedEachCall(), cleanup: async () => {} })],
	['Redis (real redis-server)', redisStore()],
	['Redis, inactive contacts read 2 per page', redisStore({ inactiveContactsPerPage: 2 })],
];

describe.each(STORES)('score writes on %s', (_name, createStore) => {
	let subject: StoreUnderTest;
	let store: ScoreStore;

	beforeEach(async () => {
		subject = await createStore();
		store = subject.store;
	});

	afterEach(async () => {
		await subject.cleanup();
	});

	const published = async (id = 'p1', overrides: Partial<ScoreProfile> = {}) => {
		await store.insertProfile(profileFixture(id, overrides));
		return id;
	};
	const scoreOf = async (profileId: string, contactId: string) => (await store.getContact(profileId, contactId))?.score;

	describe('applyEvents', () => {
		it('applies events in order and reports each score move', async () => {
			await published();
			const results = await scoring(store).applyEvents('p1', 1, [
				scoredEvent('alice', 5, { eventId: 'e1' }),
				scoredEvent('alice', 10, { matchedRuleIds: ['opened', 'vip'] }),
				scoredEvent('bob', -3),
			]);
			expect(results).toMatchObject([
				{ contactId: 'alice', eventId: 'e1', duplicate: false, previousScore: 0, score: 5, delta: 5, matchedRuleIds: ['opened'] },
				{ contactId: 'alice', duplicate: false, previousScore: 5, score: 15, delta: 10, matchedRuleIds: ['opened', 'vip'] },
				{ contactId: 'bob', duplicate: false, previousScore: 0, score: -3, delta: -3 },
			]);
			expect(results[1].changeSeq).toBeGreaterThan(results[0].changeSeq!);
			expect(results[2].changeSeq).toBeGreaterThan(results[1].changeSeq!);
			expect(await scoreOf('p1', 'alice')).toBe(15);
			expect(await scoreOf('p1', 'bob')).toBe(-3);
		});

		it('counts an event id once per profile, across calls and within one batch', async () => {
			await published('p1');
			await published('p2');
			const first = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' }), scoredEvent('alice', 5, { eventId: 'e1' })]);
			const replay = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(first[1]).toEqual({ contactId: 'alice', eventId: 'e1', duplicate: true, previousScore: 5, score: 5, delta: 0, matchedRuleIds: [], scored: false, recorded: false });
			expect(replay[0]).toMatchObject({ duplicate: true, previousScore: 5, score: 5, delta: 0 });
			expect(replay[0].changeSeq).toBeUndefined();
			expect(await scoreOf('p1', 'alice')).toBe(5);
			expect(await store.readChanges('p1', 0, 10)).toHaveLength(1);

			const [otherProfile] = await scoring(store).applyEvents('p2', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(otherProfile).toMatchObject({ duplicate: false, score: 5 });
		});

		it('counts events without an id every time', async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5), scoredEvent('alice', 5)]);
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
			expect(await scoreOf('p1', 'alice')).toBe(15);
		});

		it('records a contact and its activity for an event that matched no rule, without logging a change', async () => {
			await published();
			const [result] = await scoring(store).applyEvents('p1', 1, [scoredEvent('carol', 0, { occurredAt: T0 + 1000 })]);
			expect(result).toMatchObject({ duplicate: false, previousScore: 0, score: 0, delta: 0, matchedRuleIds: [] });
			expect(result.changeSeq).toBeUndefined();
			expect(await store.getContact('p1', 'carol')).toEqual({
				contactId: 'carol',
				firstSeenAt: T0 + 1000,
				version: 1,
				score: 0,
				lastActivityAt: T0 + 1000,
				updatedAt: T0 + 1000,
			});
			expect(await store.latestChangeSeq('p1')).toBe(0);
		});

		it('keeps the newest activity when an older event arrives late', async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 1, { occurredAt: T0 + 5 * DAY }), scoredEvent('alice', 1, { occurredAt: T0 + DAY })]);
			expect((await store.getContact('p1', 'alice'))?.lastActivityAt).toBe(T0 + 5 * DAY);
		});

		it('sums fractional points exactly', async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 0.1), scoredEvent('alice', 0.2)]);
			expect(await scoreOf('p1', 'alice')).toBe(0.3);
		});

		it('refuses the whole batch for an unknown profile', async () => {
			await expect(scoring(store).applyEvents('nope', 1, [scoredEvent('alice', 5)])).rejects.toBeInstanceOf(ProfileNotFoundError);
		});

		it('refuses the whole batch, writing nothing, for a draft profile or a stale published version', async () => {
			await published('p1', { status: 'draft', version: 0, publishedRules: undefined, publishedAt: undefined });
			await expect(scoring(store).applyEvents('p1', 0, [scoredEvent('alice', 5, { eventId: 'e1' })])).rejects.toBeInstanceOf(
				ProfileNotPublishedError,
			);
			await store.updateProfile('p1', (current) => ({ ...current, status: 'published', version: 2 }));
			await expect(scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' })])).rejects.toBeInstanceOf(
				ProfileNotPublishedError,
			);
			expect(await store.getContact('p1', 'alice')).toBeUndefined();
			expect(await store.latestChangeSeq('p1')).toBe(0);

			const [result] = await scoring(store).applyEvents('p1', 2, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(result).toMatchObject({ duplicate: false, score: 5 });
		});

		it('refuses a batch with a malformed event, naming it, and writes none of the batch', async () => {
			await published();
			const batch = [scoredEvent('alice', 5, { eventId: 'e1' }), scoredEvent('bob', Number.NaN), scoredEvent('carol', 1)];
			const failure = scoring(store).applyEvents('p1', 1, batch);
			await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
			await expect(failure).rejects.toMatchObject({ field: 'score' });
			await expect(scoring(store).applyEvents('p1', 1, [scoredEvent('', 5)])).rejects.toMatchObject({ field: 'contactId' });
			expect(await store.listContacts('p1', { order: 'desc', limit: 10 })).toEqual([]);
			const [retry] = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
			expect(retry.duplicate).toBe(false);
		});
	});

	describe('adjustScore', () => {
		it('adds, subtracts and sets points, creating the contact at 0', async () => {
			await published('p1', { status: 'draft' });
			const added = await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: 10, at: T0 });
			expect(added).toMatchObject({ previousScore: 0, score: 10 });
			expect(added.change).toMatchObject({ profileId: 'p1', contactId: 'alice', previousScore: 0, score: 10, delta: 10, at: T0 });
			expect(added.change?.cause).toEqual({ kind: 'modify', operation: 'add', points: 10 });
			expect(await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'subtract', points: 2.5, at: T0 })).toMatchObject({
				previousScore: 10,
				score: 7.5,
			});
			expect(await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'set', points: -4, at: T0 })).toMatchObject({
				previousScore: 7.5,
				score: -4,
			});
			expect(await scoreOf('p1', 'alice')).toBe(-4);
			expect((await store.getHistory('p1', 'alice', 10)).map((change) => change.delta)).toEqual([-11.5, -2.5, 10]);
		});

		it('logs nothing when the score does not move', async () => {
			await published();
			await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'set', points: 3, at: T0 });
			const unchanged = await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'set', points: 3, at: T0 + 1 });
			expect(unchanged).toEqual({ previousScore: 3, score: 3 });
			expect(await store.getHistory('p1', 'alice', 10)).toHaveLength(1);
		});

		it('counts as activity unless told otherwise', async () => {
			await published();
			await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: 1, at: T0 + DAY });
			await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: 1, at: T0 + 2 * DAY, countsAsActivity: false });
			await scoring(store).adjustScore('p1', { contactId: 'bob', operation: 'add', points: 1, at: T0 + DAY, countsAsActivity: false });
			expect(await store.getContact('p1', 'alice')).toEqual({
				contactId: 'alice',
				firstSeenAt: T0 + DAY,
				version: 2,
				score: 2,
				lastActivityAt: T0 + DAY,
				updatedAt: T0 + 2 * DAY,
			});
			expect((await store.getContact('p1', 'bob'))?.lastActivityAt).toBeNull();
		});

		it('refuses an unknown profile and non-numeric points, writing nothing', async () => {
			await published();
			await expect(scoring(store).adjustScore('nope', { contactId: 'alice', operation: 'add', points: 1, at: T0 })).rejects.toBeInstanceOf(
				ProfileNotFoundError,
			);
			await expect(
				scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: Number('ten'), at: T0 }),
			).rejects.toMatchObject({ field: 'score' });
			expect(await store.getContact('p1', 'alice')).toBeUndefined();
		});
	});

	describe('resetContact', () => {
		it('resets a known contact to 0 with a logged reset, and ignores an unknown one', async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 12, { occurredAt: T0 })]);
			const change = await scoring(store).resetContact('p1', 'alice', T0 + DAY, 'test data');
			expect(change).toMatchObject({ contactId: 'alice', previousScore: 12, score: 0, delta: -12, at: T0 + DAY });
			expect(change?.cause).toEqual({ kind: 'reset', reason: 'test data' });
			expect(await store.getContact('p1', 'alice')).toMatchObject({ score: 0, lastActivityAt: T0 });
			expect((await store.readChanges('p1', 0, 10)).at(-1)).toEqual(change);
			expect(await scoring(store).resetContact('p1', 'nobody', T0)).toBeUndefined();
			expect(await store.getContact('p1', 'nobody')).toBeUndefined();
			await expect(scoring(store).resetContact('nope', 'alice', T0)).rejects.toBeInstanceOf(ProfileNotFoundError);
		});

		it('logs nothing and writes nothing when the score already is 0, as a reset is then no change', async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 12, { occurredAt: T0 })]);
			await scoring(store).resetContact('p1', 'alice', T0 + DAY);
			await scoring(store).adjustScore('p1', { contactId: 'bob', operation: 'set', points: 0, at: T0 });
			const changesBefore = await store.readChanges('p1', 0, 100);
			const aliceBefore = await store.getContact('p1', 'alice');
			const bobBefore = await store.getContact('p1', 'bob');

			expect(await scoring(store).resetContact('p1', 'alice', T0 + 2 * DAY, 'again')).toBeUndefined();
			expect(await scoring(store).resetContact('p1', 'bob', T0 + 2 * DAY)).toBeUndefined();

			expect(await store.readChanges('p1', 0, 100)).toEqual(changesBefore);
			expect(await store.getContact('p1', 'alice')).toEqual(aliceBefore);
			expect(await store.getContact('p1', 'bob')).toEqual(bobBefore);
			expect(bobBefore).toMatchObject({ score: 0 });
			expect((await store.getHistory('p1', 'alice', 10)).map((change) => change.cause.kind)).toEqual(['reset', 'event']);
			await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
			expect(await store.readChanges('p1', 0, 100)).toEqual([...changesBefore, expect.objectContaining({ previousScore: 0, score: 5 })]);
		});
	});

	describe('applyDecay', () => {
		const subtract5: DecayPolicy = { mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 };

		const seed = async () => {
			await published();
			await scoring(store).applyEvents('p1', 1, [
				scoredEvent('old-high', 12, { occurredAt: T0 }),
				scoredEvent('old-low', 3, { occurredAt: T0 }),
				scoredEvent('old-zero', 0, { occurredAt: T0 }),
				scoredEvent('recent', 20, { occurredAt: T0 + 40 * DAY }),
			]);
		};

		it('lowers only inactive contacts, never below the floor, logging each change', async () => {
			await seed();
			const before = await store.latestChangeSeq('p1');
			const result = await scoring(store).applyDecay('p1', subtract5, T0 + 10 * DAY, T0 + 45 * DAY);
			expect(result).toMatchObject({ contactsInactive: 3, contactsDecayed: 2, totalDelta: -8 });
			expect(await scoreOf('p1', 'old-high')).toBe(7);
			expect(await scoreOf('p1', 'old-low')).toBe(0);
			expect(await scoreOf('p1', 'old-zero')).toBe(0);
			expect(await scoreOf('p1', 'recent')).toBe(20);

			const logged = await store.readChanges('p1', before, 10);
			expect(logged.map((change) => change.seq)).toEqual([result.firstChangeSeq, result.lastChangeSeq]);
			expect(logged.map((change) => [change.contactId, change.delta]).sort()).toEqual([
				['old-high', -5],
				['old-low', -3],
			]);
			for (const change of logged) {
				expect(change.cause).toEqual({ kind: 'decay', mode: 'subtract' });
				expect(change.at).toBe(T0 + 45 * DAY);
			}
		});

		it('does not count decay as activity, so the next run decays again', async () => {
			await seed();
			await scoring(store).applyDecay('p1', subtract5, T0 + 10 * DAY, T0 + 45 * DAY);
			expect((await store.getContact('p1', 'old-high'))?.lastActivityAt).toBe(T0);
			const second = await scoring(store).applyDecay('p1', subtract5, T0 + 10 * DAY, T0 + 46 * DAY);
			expect(second).toMatchObject({ contactsInactive: 3, contactsDecayed: 1, totalDelta: -5 });
			expect(await scoreOf('p1', 'old-high')).toBe(2);
		});

		it('multiplies scores, rounding toward the floor, and stops at the floor', async () => {
			await seed();
			const result = await scoring(store).applyDecay('p1', { mode: 'multiply', inactiveDays: 30, factor: 0.5, floor: 2 }, T0 + DAY, T0 + 45 * DAY);
			expect(result).toMatchObject({ contactsInactive: 3, contactsDecayed: 2, totalDelta: -7 });
			expect(await scoreOf('p1', 'old-high')).toBe(6);
			expect(await scoreOf('p1', 'old-low')).toBe(2);
			expect(await scoreOf('p1', 'old-zero')).toBe(0);
		});

		it('judges contacts that were never active by their first appearance', async () => {
			await published();
			await scoring(store).adjustScore('p1', { contactId: 'imported', operation: 'set', points: 10, at: T0, countsAsActivity: false });
			await scoring(store).adjustScore('p1', { contactId: 'new-import', operation: 'set', points: 10, at: T0 + 20 * DAY, countsAsActivity: false });
			const result = await scoring(store).applyDecay('p1', subtract5, T0 + 10 * DAY, T0 + 30 * DAY);
			expect(result).toMatchObject({ contactsInactive: 1, contactsDecayed: 1 });
			expect(await scoreOf('p1', 'imported')).toBe(5);
			expect(await scoreOf('p1', 'new-import')).toBe(10);
		});

		it('reports no change range when nothing decayed, and refuses an unknown profile', async () => {
			await published();
			const result = await scoring(store).applyDecay('p1', subtract5, T0, T0);
			expect(result).toEqual({ contactsInactive: 0, contactsDecayed: 0, totalDelta: 0 });
			await expect(scoring(store).applyDecay('nope', subtract5, T0, T0)).rejects.toBeInstanceOf(ProfileNotFoundError);
		});
	});

	describe('concurrent callers', () => {
		it('loses no update when many writes run at once', async () => {
			await published();
			const writes: Array<Promise<unknown>> = [];
			for (let index = 0; index < 300; index++) {
				writes.push(scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 1), scoredEvent(`c${index % 7}`, 2)]));
				writes.push(scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: 2, at: T0 }));
				writes.push(scoring(store).adjustScore('p1', { contactId: 'bob', operation: index % 2 ? 'add' : 'subtract', points: 3, at: T0 }));
				writes.push(scoring(store).applyEvents('p1', 1, [scoredEvent('carol', 1, { eventId: `e${index % 100}` })]));
			}
			await Promise.all(writes);
			expect(await scoreOf('p1', 'alice')).toBe(900);
			expect(await scoreOf('p1', 'bob')).toBe(0);
			expect(await scoreOf('p1', 'carol')).toBe(100);
			for (let group = 0; group < 7; group++) {
				expect(await scoreOf('p1', `c${group}`)).toBe(2 * Math.ceil((300 - group) / 7));
			}

			const changes = await store.readChanges('p1', 0, 100_000);
			expect(changes).toHaveLength(600 + 300 + 300 + 100);
			const seqs = changes.map((change) => change.seq);
			expect(new Set(seqs).size).toBe(seqs.length);
			expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
			const aliceSteps = changes.filter((change) => change.contactId === 'alice');
			for (let index = 1; index < aliceSteps.length; index++) {
				expect(aliceSteps[index].previousScore).toBe(aliceSteps[index - 1].score);
			}
		});
	});

	describe('rules that count limited times, expire or have a group (issue 10)', () => {
		it('a rule that counts once per contact stays used across separate writes (the core reads back what it wrote)', async () => {
			await published();
			const once: EventOperation = {
				kind: 'event',
				eventType: 'webinar_attended',
				delta: 10,
				matchedRuleIds: ['webinar'],
				at: T0,
				rules: [{ id: 'webinar', points: 10, counts: { times: 1, per: 'contact' }, group: 'Events', expiresAfterDays: 30 }],
			};
			const first = await applyBatch(store, 'p1', [{ contactId: 'alice', operation: once }], 1);
			const second = await applyBatch(store, 'p1', [{ contactId: 'alice', operation: { ...once, at: T0 + DAY } }], 1);
			expect(first.outcomes[0]).toMatchObject({ delta: 10, score: 10 });
			expect(second.outcomes[0]).toMatchObject({ delta: 0, score: 10, limitedRuleIds: ['webinar'] });
			expect(await store.getContact('p1', 'alice')).toMatchObject({ score: 10, nextExpiryAt: T0 + 30 * DAY, ledger: { groups: { Events: 10 } } });
			expect(await store.expiringContactIds('p1', T0 + 30 * DAY, 10)).toEqual(['alice']);
		});

		it('applies due expiries in many steps at once, each exactly once, also with two callers at the same time', async () => {
			await published();
			const expiring: EventOperation = {
				kind: 'event',
				eventType: 'webinar_attended',
				delta: 10,
				matchedRuleIds: ['webinar'],
				at: T0,
				rules: [{ id: 'webinar', points: 10, expiresAfterDays: 1 }],
			};
			const contactIds = Array.from({ length: 40 }, (_, index) => `c${index}`);
			await applyBatch(store, 'p1', contactIds.flatMap((contactId) => [
				{ contactId, operation: expiring },
				{ contactId, operation: { ...expiring, at: T0 + 1000 } },
			]), 1);
			// Steps of 3 contacts: several steps in flight per round, and several rounds.
			const results = await Promise.all([applyDueExpiries(store, 'p1', T0 + 2 * DAY, undefined, 3), applyDueExpiries(store, 'p1', T0 + 2 * DAY, undefined, 3)]);
			expect(results[0].expired + results[1].expired).toBe(80);
			expect(results[0].contacts + results[1].contacts).toBe(40);
			const expired = (await store.readChanges('p1', 0, 1000)).filter((change) => change.cause.kind === 'expired');
			expect(expired).toHaveLength(80);
			for (const contactId of contactIds) expect(await scoreOf('p1', contactId)).toBe(0);
			expect(await store.expiringContactIds('p1', T0 + 100 * DAY, 100)).toEqual([]);
			expect(await applyDueExpiries(store, 'p1', T0 + 3 * DAY, undefined, 3)).toEqual({ expired: 0, contacts: 0, changes: 0 });
		});
	});
});
