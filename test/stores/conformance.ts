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
} from '../../src/errors';
import type { ContactState } from '../../src/scoring/contact-state';
import type { ChangeRecord } from '../../src/scoring/transition';
import type { ScoreStore } from '../../src/store';
import type { ChangeCause, ScoredEvent, ScoreProfile } from '../../src/types';
import { describeJournalStorage } from './journal-conformance';
import { describeLedgerStorage } from './ledger-conformance';

export interface StoreUnderTest {
	readonly store: ScoreStore;
	/** Another writer on the same data over a connection of its own, where the backend has one. */
	readonly otherWriter?: ScoreStore;
	cleanup(): Promise<void>;
}

export interface ConformanceOptions {
	/** False for a store that is a new object on every call (a feed opened on it cannot see later writes). Default true. */
	readonly liveFeed?: boolean;
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

export function describeStoreConformance(name: string, createStore: () => Promise<StoreUnderTest>, options: ConformanceOptions = {}): void {
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
		const state = (contactId: string, score: number, version: number, at = T0): ContactState => ({
			contactId,
			score,
			lastActivityAt: at,
			firstSeenAt: at,
			updatedAt: at,
			version,
		});
		const change = (contactId: string, previousScore: number, score: number, cause: ChangeCause = { kind: 'reset' }, at = T0): ChangeRecord => ({
			contactId,
			previousScore,
			score,
			delta: score - previousScore,
			cause,
			at,
		});
		/** Commits what it is given as it is: storage only, no scoring core (what a change means is test/scoring/'s). */
		const write = async (
			profileId: string,
			{ contacts = [], changes = [], seen = [] }: { contacts?: ContactState[]; changes?: ChangeRecord[]; seen?: string[] },
		) => {
			const contactIds = [...new Set([...contacts, ...changes].map((written) => written.contactId))];
			return store.transact(profileId, { contactIds, eventIds: seen }, () => ({ contacts, changes, seenEventIds: seen, result: undefined }));
		};
		/** Whether each event id counts as seen for the profile, read through a transaction that writes nothing. */
		const seenIds = async (profileId: string, eventIds: string[]) =>
			(
				await store.transact(profileId, { contactIds: [], eventIds }, (snapshot) => ({
					contacts: [],
					changes: [],
					seenEventIds: [],
					result: eventIds.map((eventId) => snapshot.isSeen(eventId)),
				}))
			).result;

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
				await write('p1', { contacts: [state('alice', 5, 1)], changes: [change('alice', 0, 5)], seen: ['e1'] });
				await write('p2', { contacts: [state('alice', 5, 1)], changes: [change('alice', 0, 5)] });
				expect(await store.deleteProfile('p1')).toBe(true);
				expect(await store.deleteProfile('p1')).toBe(false);
				expect(await store.getProfile('p1')).toBeUndefined();
				expect(await store.getContact('p1', 'alice')).toBeUndefined();
				expect(await store.getHistory('p1', 'alice', 10)).toEqual([]);
				expect(await store.readChanges('p1', 0, 10)).toEqual([]);
				expect(await scoreOf('p2', 'alice')).toBe(5);

				await published('p1');
				expect(await store.getContact('p1', 'alice')).toBeUndefined();
				expect(await seenIds('p1', ['e1'])).toEqual([false]);
				expect(await seenIds('p2', ['e1'])).toEqual([false]);
			});

			it('never reuses a change seq after a profile is deleted and created again', async () => {
				await published('p1');
				await write('p1', { contacts: [state('alice', 5, 1), state('bob', 5, 1)], changes: [change('alice', 0, 5), change('bob', 0, 5)] });
				const before = await store.latestChangeSeq('p1');
				await store.deleteProfile('p1');
				await published('p1');
				expect(await store.latestChangeSeq('p1')).toBe(0);
				const { firstChangeSeq } = await write('p1', { contacts: [state('alice', 1, 1)], changes: [change('alice', 0, 1)] });
				expect(firstChangeSeq).toBeGreaterThan(before);
			});
		});

		describe('transact', () => {

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
			it('keeps an event cause as given, the published version and the rules a count held back included', async () => {
				await published();
				// The scoring core shares one frozen rule list among the causes of events with the same outcome.
				const shared = Object.freeze(['opened', 'any']);
				const causes: ChangeCause[] = [
					{ kind: 'event', eventType: 'email.opened', ruleIds: ['opened'], profileVersion: 3, eventId: 'e1' },
					{ kind: 'event', eventType: 'email.opened', ruleIds: ['opened', 'any'], profileVersion: 4 },
					{ kind: 'event', eventType: 'email.opened', ruleIds: ['opened', 'any'], profileVersion: 4, eventId: 'e2', limitedRuleIds: ['opened'] },
					{ kind: 'expired', ruleId: 'any', eventId: 'e2' },
					{ kind: 'event', eventType: 'email.opened', ruleIds: shared, profileVersion: 4, limitedRuleIds: ['opened'] },
					{ kind: 'event', eventType: 'email.opened', ruleIds: shared, profileVersion: 4, limitedRuleIds: ['any'] },
					{ kind: 'event', eventType: 'email.opened', ruleIds: shared, profileVersion: 4, eventId: 'e3' },
					{ kind: 'event', eventType: 'email.opened', ruleIds: shared, profileVersion: 4, eventId: 'e4', limitedRuleIds: ['any'] },
					{ kind: 'event', eventType: 'email.opened', ruleIds: shared, profileVersion: 5, eventId: 'e5', limitedRuleIds: ['any'] },
					{ kind: 'expired', ruleId: 'opened', eventId: 'e3' },
					{ kind: 'expired', ruleId: 'opened' },
				];
				await store.transact('p1', { contactIds: ['alice'] }, () => ({
					contacts: [{ contactId: 'alice', score: 3, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version: 1 }],
					changes: causes.map((cause, index) => ({ contactId: 'alice', previousScore: index, score: index + 1, delta: 1, cause, at: T0 })),
					seenEventIds: [],
					result: undefined,
				}));
				expect((await store.readChanges('p1', 0, 20)).map((change) => change.cause)).toEqual(causes);
				expect((await store.getHistory('p1', 'alice', 20)).map((change) => change.cause)).toEqual([...causes].reverse());
			});

			it('logs every score move with its cause, oldest first, readable page by page', async () => {
				await published();
				const opened = { kind: 'event', eventType: 'email.opened', ruleIds: ['opened'] } as const;
				await write('p1', {
					contacts: [state('alice', 5, 1, T0 + 1), state('bob', 2, 1, T0 + 2)],
					changes: [change('alice', 0, 5, { ...opened, eventId: 'e1' }, T0 + 1), change('bob', 0, 2, opened, T0 + 2)],
					seen: ['e1'],
				});
				const complaint: ChangeCause = { kind: 'modify', operation: 'subtract', points: 1, reason: 'spam complaint' };
				await write('p1', { contacts: [state('alice', 4, 2, T0 + 3)], changes: [change('alice', 5, 4, complaint, T0 + 3)] });

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
				await write('p1', { changes: [change('alice', 0, 5)] });
				await write('p2', { changes: [change('alice', 0, 7), change('bob', 0, 1)] });
				expect((await store.readChanges('p1', 0, 10)).map((change) => change.delta)).toEqual([5]);
				expect((await store.readChanges('p2', 0, 10)).map((change) => change.contactId)).toEqual(['alice', 'bob']);
				expect(await store.latestChangeSeq('p3')).toBe(0);
			});

			it('reads the log page by page from any seq, also within one contact\'s changes of one transaction', async () => {
				await published();
				await write('p1', { changes: [change('a', 0, 1)] });
				await write('p1', { changes: [change('a', 1, 2), change('a', 2, 3), change('a', 3, 4), change('b', 0, 5), change('b', 5, 6)] });
				await write('p1', { changes: [change('a', 4, 7)] });
				const all = await store.readChanges('p1', 0, 100);
				expect(all.map((logged) => [logged.contactId, logged.score])).toEqual([
					['a', 1],
					['a', 2],
					['a', 3],
					['a', 4],
					['b', 5],
					['b', 6],
					['a', 7],
				]);
				for (let after = 0; after <= all.length; after++) {
					for (const limit of [1, 2, 3]) {
						const afterSeq = after === 0 ? 0 : all[after - 1].seq;
						expect(await store.readChanges('p1', afterSeq, limit)).toEqual(all.slice(after, after + limit));
					}
				}
				expect(await store.latestChangeSeq('p1')).toBe(all[6].seq);
				const history = all.filter((logged) => logged.contactId === 'a').reverse();
				for (const limit of [1, 2, 3, 4, 5, 6]) expect(await store.getHistory('p1', 'a', limit)).toEqual(history.slice(0, limit));
			});

			it("returns a contact's history newest first, up to the limit", async () => {
				await published();
				await write('p1', { changes: [change('alice', 0, 1), change('bob', 0, 9), change('alice', 1, 3), change('alice', 3, 6)] });
				const history = await store.getHistory('p1', 'alice', 2);
				expect(history.map((change) => [change.previousScore, change.score])).toEqual([
					[3, 6],
					[1, 3],
				]);
				expect(await store.getHistory('p1', 'alice', 10)).toHaveLength(3);
				expect(await store.getHistory('p1', 'nobody', 10)).toEqual([]);
			});
		});

		describe('deleteContact', () => {
			it('forgets a deleted contact entirely and leaves the others alone', async () => {
				await published();
				await write('p1', { contacts: [state('alice', 5, 1), state('bob', 6, 1)], changes: [change('alice', 0, 5), change('bob', 0, 6)] });
				expect(await store.deleteContact('p1', 'alice')).toBe(true);
				expect(await store.deleteContact('p1', 'alice')).toBe(false);
				expect(await store.deleteContact('nope', 'alice')).toBe(false);
				expect(await store.getContact('p1', 'alice')).toBeUndefined();
				expect(await store.getHistory('p1', 'alice', 10)).toEqual([]);
				expect((await store.readChanges('p1', 0, 10)).map((change) => change.contactId)).toEqual(['bob']);
				expect(await scoreOf('p1', 'bob')).toBe(6);
				// Written again, it starts afresh: a new contact to the store (version 0 read), with none of its old history.
				await store.transact('p1', { contactIds: ['alice'] }, (snapshot) => {
					expect(snapshot.contact('alice')).toBeUndefined();
					return { contacts: [state('alice', 1, 1)], changes: [change('alice', 0, 1)], seenEventIds: [], result: undefined };
				});
				expect((await store.getHistory('p1', 'alice', 10)).map((logged) => logged.score)).toEqual([1]);
			});
		});

		describe('listContacts', () => {
			const seed = async () => {
				await published();
				const scores: Array<[string, number]> = [['dave', 10], ['alice', 30], ['carol', 10], ['bob', 20], ['erin', -5], ['bea', 10]];
				await write('p1', { contacts: scores.map(([contactId, score]) => state(contactId, score, 1)) });
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

			it('filters by an exclusive upper score bound (a tier\'s), with the inclusive ones', async () => {
				await seed();
				expect(ids(await store.listContacts('p1', { order: 'desc', scoreBelow: 20, limit: 10 }))).toEqual(['bea', 'carol', 'dave', 'erin']);
				expect(ids(await store.listContacts('p1', { order: 'asc', minScore: 10, scoreBelow: 30, limit: 10 }))).toEqual(['bea', 'carol', 'dave', 'bob']);
				expect(ids(await store.listContacts('p1', { order: 'desc', maxScore: 10, scoreBelow: 30, limit: 10 }))).toEqual(['bea', 'carol', 'dave', 'erin']);
				expect(await store.listContacts('p1', { order: 'desc', minScore: 10, scoreBelow: 10, limit: 10 })).toEqual([]);
			});

			describe('by last activity and first appearance', () => {
				// first seen / last active, in days after T0: a contact never active has no last activity.
				const timeline: Array<[string, number, number, number | null]> = [
					['amy', 50, 0, 9],
					['ben', 40, 2, 3],
					['cat', 40, 5, 5],
					['dan', 30, 1, null],
					['eve', 20, 8, 8],
					['fay', 40, 6, 7],
				];
				const seedTimeline = async () => {
					await published();
					await store.transact('p1', { contactIds: timeline.map(([id]) => id) }, () => ({
						contacts: timeline.map(([contactId, score, firstSeen, lastActive]) => ({
							contactId,
							score,
							firstSeenAt: T0 + firstSeen * DAY,
							lastActivityAt: lastActive === null ? null : T0 + lastActive * DAY,
							updatedAt: T0 + 9 * DAY,
							version: 1,
						})),
						changes: [],
						seenEventIds: [],
						result: undefined,
					}));
				};
				const day = (days: number) => T0 + days * DAY;

				it('keeps the contacts whose times meet every bound (exclusive), in score order, ties by id', async () => {
					await seedTimeline();
					expect(ids(await store.listContacts('p1', { order: 'desc', lastActivityBefore: day(7), limit: 10 }))).toEqual(['ben', 'cat']);
					expect(ids(await store.listContacts('p1', { order: 'desc', lastActivityAfter: day(5), limit: 10 }))).toEqual(['amy', 'fay', 'eve']);
					expect(ids(await store.listContacts('p1', { order: 'asc', firstSeenBefore: day(2), limit: 10 }))).toEqual(['dan', 'amy']);
					expect(ids(await store.listContacts('p1', { order: 'asc', firstSeenAfter: day(2), limit: 10 }))).toEqual(['eve', 'cat', 'fay']);
					expect(
						ids(await store.listContacts('p1', { order: 'desc', firstSeenAfter: day(0), lastActivityBefore: day(9), minScore: 30, limit: 10 })),
					).toEqual(['ben', 'cat', 'fay']);
				});

				it('a contact never active meets no last-activity bound, but its first appearance counts', async () => {
					await seedTimeline();
					expect(ids(await store.listContacts('p1', { order: 'asc', lastActivityBefore: day(100), limit: 10 }))).not.toContain('dan');
					expect(ids(await store.listContacts('p1', { order: 'asc', lastActivityAfter: day(-100), limit: 10 }))).not.toContain('dan');
					expect(ids(await store.listContacts('p1', { order: 'asc', firstSeenAfter: day(0), firstSeenBefore: day(2), limit: 10 }))).toEqual(['dan']);
				});

				it('pages the filtered contacts with offset and limit, either way', async () => {
					await seedTimeline();
					const all = ids(await store.listContacts('p1', { order: 'desc', firstSeenAfter: day(0), limit: 10 }));
					expect(all).toEqual(['ben', 'cat', 'fay', 'dan', 'eve']);
					const paged: string[] = [];
					for (let offset = 0; offset < 6; offset += 2) {
						paged.push(...ids(await store.listContacts('p1', { order: 'desc', firstSeenAfter: day(0), limit: 2, offset })));
					}
					expect(paged).toEqual(all);
					expect(ids(await store.listContacts('p1', { order: 'asc', firstSeenAfter: day(0), limit: 2, offset: 1 }))).toEqual(['dan', 'ben']);
					expect(await store.listContacts('p1', { order: 'asc', firstSeenAfter: day(0), limit: 0 })).toEqual([]);
				});

				it('finds the same contacts among more than a page of them (1,200, many tied scores) as a filter over all would', async () => {
					await published();
					const many = Array.from({ length: 1200 }, (_, index) => ({
						contactId: `c${String(index).padStart(4, '0')}`,
						score: index % 7,
						firstSeenAt: day(index % 11),
						lastActivityAt: index % 13 === 0 ? null : day(20 + (index % 17)),
						updatedAt: day(40),
						version: 1,
					}));
					await store.transact('p1', { contactIds: many.map((contact) => contact.contactId) }, () => ({
						contacts: many,
						changes: [],
						seenEventIds: [],
						result: undefined,
					}));
					const meets = (contact: (typeof many)[number]) =>
						contact.lastActivityAt !== null && contact.lastActivityAt > day(25) && contact.firstSeenAt < day(9) && contact.score >= 2;
					const byScoreDesc = (a: (typeof many)[number], b: (typeof many)[number]) =>
						b.score - a.score || (a.contactId < b.contactId ? -1 : 1);
					const expected = many.filter(meets).sort(byScoreDesc).map((contact) => contact.contactId);
					expect(expected.length).toBeGreaterThan(400);
					const query = { lastActivityAfter: day(25), firstSeenBefore: day(9), minScore: 2 };
					expect(ids(await store.listContacts('p1', { order: 'desc', ...query, limit: 2000 }))).toEqual(expected);
					expect(ids(await store.listContacts('p1', { order: 'desc', ...query, limit: 5, offset: 300 }))).toEqual(expected.slice(300, 305));
					const ascending = [...expected].sort((a, b) => {
						const [x, y] = [many[Number(a.slice(1))], many[Number(b.slice(1))]];
						return x.score - y.score || (x.contactId < y.contactId ? -1 : 1);
					});
					expect(ids(await store.listContacts('p1', { order: 'asc', ...query, limit: 2000 }))).toEqual(ascending);
				});

				it('returns full records and nothing for an unknown profile', async () => {
					await seedTimeline();
					expect(await store.listContacts('p1', { order: 'desc', lastActivityAfter: day(8), limit: 10 })).toEqual([
						{ contactId: 'amy', score: 50, lastActivityAt: day(9), firstSeenAt: day(0), updatedAt: day(9), version: 1 },
					]);
					expect(await store.listContacts('nope', { order: 'desc', lastActivityAfter: day(0), limit: 10 })).toEqual([]);
				});
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
					await write(profileId, {
						contacts: trickyIds.map((id, index) => state(id, index + 1, 1)),
						changes: trickyIds.map((id, index) => change(id, 0, index + 1)),
						seen: trickyIds,
					});
					expect(await seenIds(profileId, ['__proto__', 'isPrototypeOf'])).toEqual([true, false]);
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

		describeLedgerStorage(() => store);
		describeJournalStorage(() => store, { liveFeed: options.liveFeed ?? true, otherWriter: () => subject.otherWriter });
	});
}
