/**
 * The behaviour every ScoreStore backend must show, written against the interface only, so that
 * SQLite, workflow static data and Redis are held to the same promises (src/store.ts).
 *
 * Usage: describeStoreConformance('SQLite', async () => ({ store, cleanup }))
 * A fresh, empty store is created for every test.
 */
import {
	InvalidInputError,
	ProfileAlreadyExistsError,
	ProfileNotFoundError,
	ProfileNotPublishedError,
} from '../../src/errors';
import type { ContactState } from '../../src/scoring/contact-state';
import type { ChangeRecord } from '../../src/scoring/transition';
import type { ScoreStore } from '../../src/store';
import type { DecayPolicy, ScoredEvent, ScoreProfile } from '../../src/types';
import { scoring } from '../helpers/scoring';
import { describeLedgerStorage } from './ledger-conformance';

export interface StoreUnderTest {
	readonly store: ScoreStore;
	cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

export function profileFixture(id: string, overrides: Partial<ScoreProfile> = {}): ScoreProfile {
	return {
		id,
		name: `Profile ${id}`,
		description: 'for tests',
		status: 'published',
		draftRules: [{ id: 'opened', eventType: 'email.opened', conditions: [], points: 5 }],
		publishedRules: [{ id: 'opened', eventType: 'email.opened', conditions: [], points: 5 }],
		version: 1,
		publishedAt: T0,
		createdAt: T0,
		updatedAt: T0,
		...overrides,
	};
}

export function scoredEvent(contactId: string, delta: number, extra: Partial<ScoredEvent> = {}): ScoredEvent {
	return {
		contactId,
		eventType: 'email.opened',
		delta,
		matchedRuleIds: delta === 0 ? [] : ['opened'],
		occurredAt: T0,
		...extra,
	};
}

class AbortEdit extends Error {}

export function describeStoreConformance(name: string, createStore: () => Promise<StoreUnderTest>): void {
	describe(`ScoreStore conformance: ${name}`, () => {
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

		describe('profiles', () => {
			it('returns an inserted profile as it was given, and undefined for an unknown id', async () => {
				const profile = profileFixture('p1', { description: 'Leads from the webinar', version: 3 });
				await store.insertProfile(profile);
				expect(await store.getProfile('p1')).toEqual(profile);
				expect(await store.getProfile('p2')).toBeUndefined();
			});

			it('refuses a second profile with the same id and keeps the first', async () => {
				await store.insertProfile(profileFixture('p1', { name: 'First' }));
				await expect(store.insertProfile(profileFixture('p1', { name: 'Second' }))).rejects.toBeInstanceOf(
					ProfileAlreadyExistsError,
				);
				expect((await store.getProfile('p1'))?.name).toBe('First');
			});

			it('lists every profile, by name then id', async () => {
				await store.insertProfile(profileFixture('b', { name: 'Newsletter' }));
				await store.insertProfile(profileFixture('c', { name: 'Leads' }));
				await store.insertProfile(profileFixture('a', { name: 'Newsletter' }));
				expect((await store.listProfiles()).map((profile) => profile.id)).toEqual(['c', 'a', 'b']);
			});

			it('updates a profile through a read-modify-write function and returns the result', async () => {
				await published('p1');
				const updated = await store.updateProfile('p1', (current) => ({
					...current,
					status: 'draft',
					description: `${current.description} (paused)`,
				}));
				expect(updated.description).toBe('for tests (paused)');
				expect(await store.getProfile('p1')).toEqual(updated);
			});

			it('writes nothing when the update function throws, and passes its error on', async () => {
				await published('p1');
				const before = await store.getProfile('p1');
				await expect(
					store.updateProfile('p1', () => {
						throw new AbortEdit('rule 3 is malformed');
					}),
				).rejects.toBeInstanceOf(AbortEdit);
				expect(await store.getProfile('p1')).toEqual(before);
			});

			it('refuses to update an unknown profile', async () => {
				await expect(store.updateProfile('nope', (current) => current)).rejects.toBeInstanceOf(ProfileNotFoundError);
			});

			it('applies concurrent updates one after the other (no lost update)', async () => {
				await published('p1', { version: 0 });
				await Promise.all(
					Array.from({ length: 50 }, () => store.updateProfile('p1', (current) => ({ ...current, version: current.version + 1 }))),
				);
				expect((await store.getProfile('p1'))?.version).toBe(50);
			});

			it('deletes a profile with its scores, history and seen event ids', async () => {
				await published('p1');
				await published('p2');
				await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
				await scoring(store).applyEvents('p2', 1, [scoredEvent('alice', 5)]);
				expect(await store.deleteProfile('p1')).toBe(true);
				expect(await store.deleteProfile('p1')).toBe(false);
				expect(await store.getProfile('p1')).toBeUndefined();
				expect(await store.getContact('p1', 'alice')).toBeUndefined();
				expect(await store.getHistory('p1', 'alice', 10)).toEqual([]);
				expect(await store.readChanges('p1', 0, 10)).toEqual([]);
				expect(await scoreOf('p2', 'alice')).toBe(5);

				await published('p1');
				const [again] = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5, { eventId: 'e1' })]);
				expect(again).toMatchObject({ duplicate: false, previousScore: 0, score: 5 });
			});

			it('never reuses a change seq after a profile is deleted and created again', async () => {
				await published('p1');
				await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5), scoredEvent('bob', 5)]);
				const before = await store.latestChangeSeq('p1');
				await store.deleteProfile('p1');
				await published('p1');
				expect(await store.latestChangeSeq('p1')).toBe(0);
				const [result] = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 1)]);
				expect(result.changeSeq).toBeGreaterThan(before);
			});
		});

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
				expect(first[1]).toEqual({ contactId: 'alice', eventId: 'e1', duplicate: true, previousScore: 5, score: 5, delta: 0, matchedRuleIds: [] });
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

		describe('transact', () => {
			const state = (contactId: string, score: number, version: number, at = T0): ContactState => ({
				contactId,
				score,
				lastActivityAt: at,
				firstSeenAt: at,
				updatedAt: at,
				version,
			});
			const change = (contactId: string, previousScore: number, score: number): ChangeRecord => ({
				contactId,
				previousScore,
				score,
				delta: score - previousScore,
				cause: { kind: 'reset' },
				at: T0,
			});

			it('shows the plan the profile header, the named contacts and seen event ids, and keeps what it writes as given', async () => {
				await published('p1', { version: 4 });
				const first = await store.transact('p1', { contactIds: ['a'], eventIds: ['e1'] }, (snapshot) => {
					expect(snapshot.profile).toEqual({ status: 'published', version: 4 });
					expect(snapshot.contact('a')).toBeUndefined();
					expect(snapshot.isSeen('e1')).toBe(false);
					return { contacts: [state('a', 7.5, 1)], changes: [change('a', 0, 7.5)], seenEventIds: ['e1'], result: 'done' };
				});
				expect(first.result).toBe('done');
				expect(first.firstChangeSeq).toBeGreaterThan(0);
				await store.transact('p1', { contactIds: ['a'], eventIds: ['e1'] }, (snapshot) => {
					expect(snapshot.contact('a')).toEqual(state('a', 7.5, 1));
					expect(snapshot.isSeen('e1')).toBe(true);
					return { contacts: [], changes: [], seenEventIds: [], result: undefined };
				});
				expect(await store.getContact('p1', 'a')).toEqual(state('a', 7.5, 1));
				expect(await store.readChanges('p1', 0, 10)).toEqual([
					{ seq: first.firstChangeSeq, profileId: 'p1', ...change('a', 0, 7.5) },
				]);
			});

			it("logs a plan's changes in order with consecutive seqs, after any earlier change", async () => {
				await published();
				const one = await store.transact('p1', { contactIds: ['a'] }, () => ({
					contacts: [state('a', 1, 1)],
					changes: [change('a', 0, 1)],
					seenEventIds: [],
					result: null,
				}));
				const two = await store.transact('p1', { contactIds: ['a', 'b'] }, () => ({
					contacts: [state('a', 3, 2), state('b', 4, 1)],
					changes: [change('a', 1, 2), change('b', 0, 4), change('a', 2, 3)],
					seenEventIds: [],
					result: null,
				}));
				expect(two.firstChangeSeq).toBe(one.firstChangeSeq + 1);
				const logged = await store.readChanges('p1', 0, 10);
				expect(logged.map((entry) => [entry.seq - one.firstChangeSeq, entry.contactId, entry.score])).toEqual([
					[0, 'a', 1],
					[1, 'a', 2],
					[2, 'b', 4],
					[3, 'a', 3],
				]);
			});

			it('remembers only the event ids a plan marks as seen, even if it asked about others', async () => {
				await published();
				await store.transact('p1', { contactIds: ['a'], eventIds: ['asked', 'counted'] }, (snapshot) => {
					expect(snapshot.isSeen('asked')).toBe(false);
					expect(snapshot.isSeen('counted')).toBe(false);
					return { contacts: [state('a', 1, 1)], changes: [], seenEventIds: ['counted'], result: null };
				});
				await store.transact('p1', { contactIds: ['a'], eventIds: ['asked', 'counted'] }, (snapshot) => {
					expect(snapshot.isSeen('asked')).toBe(false);
					expect(snapshot.isSeen('counted')).toBe(true);
					return { contacts: [], changes: [], seenEventIds: [], result: null };
				});
			});

			it('writes nothing when the plan throws, and passes its error on', async () => {
				await published();
				await expect(
					store.transact('p1', { contactIds: ['a'] }, () => {
						throw new AbortEdit('no');
					}),
				).rejects.toBeInstanceOf(AbortEdit);
				expect(await store.getContact('p1', 'a')).toBeUndefined();
				await expect(
					store.transact('p1', { contactIds: ['a'], eventIds: ['e1'] }, (snapshot) => {
						snapshot.isSeen('e1');
						throw new AbortEdit('no');
					}),
				).rejects.toBeInstanceOf(AbortEdit);
				await store.transact('p1', { contactIds: ['a'], eventIds: ['e1'] }, (snapshot) => {
					expect(snapshot.isSeen('e1')).toBe(false);
					return { contacts: [], changes: [], seenEventIds: [], result: null };
				});
			});

			it('refuses a plan that writes a contact or event id it did not name, or a number that is not finite, writing none of it', async () => {
				await published();
				await expect(
					store.transact('p1', { contactIds: ['a'] }, () => ({
						contacts: [state('a', 1, 1), state('b', 1, 1)],
						changes: [],
						seenEventIds: [],
						result: null,
					})),
				).rejects.toThrow(/did not name/);
				await expect(
					store.transact('p1', { contactIds: ['a'] }, () => ({ contacts: [], changes: [], seenEventIds: ['e9'], result: null })),
				).rejects.toThrow(/did not name/);
				await expect(
					store.transact('p1', { contactIds: ['a'] }, () => ({
						contacts: [state('a', Infinity, 1)],
						changes: [],
						seenEventIds: [],
						result: null,
					})),
				).rejects.toBeInstanceOf(InvalidInputError);
				expect(await store.getContact('p1', 'a')).toBeUndefined();
				expect(await store.latestChangeSeq('p1')).toBe(0);
			});

			it('says an unknown profile has no header, and refuses to write into it', async () => {
				await expect(
					store.transact('nope', { contactIds: ['a'] }, (snapshot) => {
						expect(snapshot.profile).toBeUndefined();
						return { contacts: [state('a', 1, 1)], changes: [], seenEventIds: [], result: null };
					}),
				).rejects.toBeInstanceOf(ProfileNotFoundError);
				expect(await store.getContact('nope', 'a')).toBeUndefined();
			});

			it('lists the contacts idle since before a time, by id, counting never-active contacts by their first appearance', async () => {
				await published();
				await store.transact('p1', { contactIds: ['old', 'new', 'never', 'b-old'] }, () => ({
					contacts: [
						state('old', 1, 1, T0),
						state('new', 1, 1, T0 + DAY),
						{ ...state('never', 1, 1, T0 + 2 * DAY), lastActivityAt: null, firstSeenAt: T0 },
						state('b-old', 1, 1, T0 - DAY),
					],
					changes: [],
					seenEventIds: [],
					result: null,
				}));
				expect(await store.inactiveContactIds('p1', T0 + DAY)).toEqual(['b-old', 'never', 'old']);
				expect(await store.inactiveContactIds('p1', T0 - DAY)).toEqual([]);
				expect(await store.inactiveContactIds('nope', T0 + DAY)).toEqual([]);
			});

			it("commits concurrent transactions on the same contacts one after the other, each seeing the last one's state", async () => {
				await published();
				const increment = () =>
					store.transact('p1', { contactIds: ['hot'] }, (snapshot) => {
						const current = snapshot.contact('hot');
						const score = (current?.score ?? 0) + 1;
						return {
							contacts: [state('hot', score, (current?.version ?? 0) + 1)],
							changes: [change('hot', score - 1, score)],
							seenEventIds: [],
							result: null,
						};
					});
				await Promise.all(Array.from({ length: 50 }, increment));
				expect(await store.getContact('p1', 'hot')).toMatchObject({ score: 50, version: 50 });
				expect(await store.readChanges('p1', 0, 100)).toHaveLength(50);
			});
		});

		describe('change log and history', () => {
			it('logs every score move with its cause, oldest first, readable page by page', async () => {
				await published();
				await scoring(store).applyEvents('p1', 1, [
					scoredEvent('alice', 5, { eventId: 'e1', occurredAt: T0 + 1 }),
					scoredEvent('bob', 2, { occurredAt: T0 + 2 }),
				]);
				await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'subtract', points: 1, reason: 'spam complaint', at: T0 + 3 });

				const all = await store.readChanges('p1', 0, 100);
				expect(all).toEqual([
					{
						seq: all[0].seq,
						profileId: 'p1',
						contactId: 'alice',
						previousScore: 0,
						score: 5,
						delta: 5,
						cause: { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'], eventId: 'e1' },
						at: T0 + 1,
					},
					{
						seq: all[1].seq,
						profileId: 'p1',
						contactId: 'bob',
						previousScore: 0,
						score: 2,
						delta: 2,
						cause: { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'] },
						at: T0 + 2,
					},
					{
						seq: all[2].seq,
						profileId: 'p1',
						contactId: 'alice',
						previousScore: 5,
						score: 4,
						delta: -1,
						cause: { kind: 'modify', operation: 'subtract', points: 1, reason: 'spam complaint' },
						at: T0 + 3,
					},
				]);
				expect(all[0].seq).toBeGreaterThan(0);
				expect(all[1].seq).toBeGreaterThan(all[0].seq);
				expect(all[2].seq).toBeGreaterThan(all[1].seq);
				expect(await store.latestChangeSeq('p1')).toBe(all[2].seq);

				expect(await store.readChanges('p1', 0, 2)).toEqual(all.slice(0, 2));
				expect(await store.readChanges('p1', all[1].seq, 2)).toEqual(all.slice(2));
				expect(await store.readChanges('p1', all[2].seq, 2)).toEqual([]);
			});

			it('keeps each profile to its own log', async () => {
				await published('p1');
				await published('p2');
				await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5)]);
				await scoring(store).applyEvents('p2', 1, [scoredEvent('alice', 7), scoredEvent('bob', 1)]);
				expect((await store.readChanges('p1', 0, 10)).map((change) => change.delta)).toEqual([5]);
				expect((await store.readChanges('p2', 0, 10)).map((change) => change.contactId)).toEqual(['alice', 'bob']);
				expect(await store.latestChangeSeq('p3')).toBe(0);
			});

			it("returns a contact's history newest first, up to the limit", async () => {
				await published();
				await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 1), scoredEvent('bob', 9), scoredEvent('alice', 2), scoredEvent('alice', 3)]);
				const history = await store.getHistory('p1', 'alice', 2);
				expect(history.map((change) => [change.previousScore, change.score])).toEqual([
					[3, 6],
					[1, 3],
				]);
				expect(await store.getHistory('p1', 'alice', 10)).toHaveLength(3);
				expect(await store.getHistory('p1', 'nobody', 10)).toEqual([]);
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

		describe('resetContact and deleteContact', () => {
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

			it('forgets a deleted contact entirely and leaves the others alone', async () => {
				await published();
				await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5), scoredEvent('bob', 6)]);
				expect(await store.deleteContact('p1', 'alice')).toBe(true);
				expect(await store.deleteContact('p1', 'alice')).toBe(false);
				expect(await store.deleteContact('nope', 'alice')).toBe(false);
				expect(await store.getContact('p1', 'alice')).toBeUndefined();
				expect(await store.getHistory('p1', 'alice', 10)).toEqual([]);
				expect((await store.readChanges('p1', 0, 10)).map((change) => change.contactId)).toEqual(['bob']);
				expect(await scoreOf('p1', 'bob')).toBe(6);
				const [fresh] = await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 1)]);
				expect(fresh).toMatchObject({ previousScore: 0, score: 1 });
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

		describe('listContacts', () => {
			const seed = async () => {
				await published();
				await scoring(store).applyEvents('p1', 1, [
					scoredEvent('dave', 10),
					scoredEvent('alice', 30),
					scoredEvent('carol', 10),
					scoredEvent('bob', 20),
					scoredEvent('erin', -5),
					scoredEvent('bea', 10),
				]);
			};
			const ids = (contacts: Array<{ contactId: string }>) => contacts.map((contact) => contact.contactId);

			it('sorts by score either way, ties by contact id ascending', async () => {
				await seed();
				expect(ids(await store.listContacts('p1', { order: 'desc', limit: 10 }))).toEqual(['alice', 'bob', 'bea', 'carol', 'dave', 'erin']);
				expect(ids(await store.listContacts('p1', { order: 'asc', limit: 10 }))).toEqual(['erin', 'bea', 'carol', 'dave', 'bob', 'alice']);
			});

			it('filters by inclusive min and max, then pages with offset and limit', async () => {
				await seed();
				expect(ids(await store.listContacts('p1', { order: 'desc', minScore: 10, maxScore: 20, limit: 10 }))).toEqual([
					'bob',
					'bea',
					'carol',
					'dave',
				]);
				expect(ids(await store.listContacts('p1', { order: 'desc', minScore: 10, limit: 2, offset: 2 }))).toEqual(['bea', 'carol']);
				expect(ids(await store.listContacts('p1', { order: 'asc', maxScore: 9.99, limit: 10 }))).toEqual(['erin']);
				expect(await store.listContacts('p1', { order: 'asc', limit: 10, offset: 6 })).toEqual([]);
				expect(await store.listContacts('p1', { order: 'asc', limit: 0 })).toEqual([]);
			});

			it('returns full contact records, and nothing for an unknown profile', async () => {
				await seed();
				const [top] = await store.listContacts('p1', { order: 'desc', limit: 1 });
				expect(top).toEqual({ contactId: 'alice', score: 30, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 1 });
				expect(await store.listContacts('nope', { order: 'desc', limit: 10 })).toEqual([]);
			});
		});

		describe('cursors', () => {
			it('remembers each consumer’s cursor separately', async () => {
				expect(await store.getCursor('trigger:w1:n1')).toBeUndefined();
				await store.saveCursor('trigger:w1:n1', 7);
				await store.saveCursor('trigger:w2:n1', 3);
				await store.saveCursor('trigger:w1:n1', 9);
				expect(await store.getCursor('trigger:w1:n1')).toBe(9);
				expect(await store.getCursor('trigger:w2:n1')).toBe(3);
			});
		});

		describe('ids that are JavaScript property names', () => {
			const trickyIds = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

			it('treats them as ordinary contact, profile, event and consumer ids', async () => {
				for (const profileId of ['__proto__', 'constructor']) {
					await published(profileId);
					await scoring(store).applyEvents(
						profileId,
						1,
						trickyIds.map((id, index) => scoredEvent(id, index + 1, { eventId: id })),
					);
					const replay = await scoring(store).applyEvents(profileId, 1, [scoredEvent('__proto__', 100, { eventId: '__proto__' })]);
					expect(replay[0].duplicate).toBe(true);
				}
				expect((await store.listProfiles()).map((profile) => profile.id).sort()).toEqual(['__proto__', 'constructor']);
				for (const [index, id] of trickyIds.entries()) {
					expect(await store.getContact('__proto__', id)).toMatchObject({ contactId: id, score: index + 1 });
				}
				expect(await store.getContact('__proto__', 'isPrototypeOf')).toBeUndefined();
				expect(await store.getProfile('toString')).toBeUndefined();
				expect(ids(await store.listContacts('constructor', { order: 'asc', limit: 10 }))).toEqual(trickyIds);
				expect(await store.getHistory('__proto__', '__proto__', 5)).toHaveLength(1);
				expect(await store.getCursor('__proto__')).toBeUndefined();
				await store.saveCursor('__proto__', 4);
				expect(await store.getCursor('__proto__')).toBe(4);
				expect(await store.deleteContact('__proto__', '__proto__')).toBe(true);
				expect(await store.getContact('__proto__', '__proto__')).toBeUndefined();
				expect(await store.getContact('constructor', '__proto__')).toMatchObject({ score: 1 });
			});

			const ids = (contacts: Array<{ contactId: string }>) => contacts.map((contact) => contact.contactId);
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

		describeLedgerStorage(() => store);
	});
}
