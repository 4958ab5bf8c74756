/**
 * Storage of a profile's journal (issue 11: what a recalculation replays) and of what a
 * recalculation leaves on states and in the log, held to the same promises on every store. Called
 * from describeStoreConformance, so every backend (and variant) runs it.
 */
import { InvalidInputError, ProfileNotFoundError } from '../../src/errors';
import type { JournalCarried, JournalEntry, JournalEvent, JournalRecord } from '../../src/journal';
import type { ContactState } from '../../src/scoring/contact-state';
import type { ChangeRecord } from '../../src/scoring/transition';
import type { Plan, ScoreStore } from '../../src/store';
import { compareStrings } from '../../src/stores/ordering';
import type { ScoreChange } from '../../src/types';
import { profileFixture } from './conformance';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

export interface JournalStorageOptions {
	/** Whether a feed opened on the store sees writes made after it started (not for a store reloaded on every call). */
	readonly liveFeed: boolean;
	/** Another writer on the same data (another connection), when the backend has such a thing. */
	readonly otherWriter?: () => ScoreStore | undefined;
}

const event = (contactId: string, serial: number, extra: Partial<JournalEvent> = {}): JournalEvent => ({
	kind: 'event',
	contactId,
	type: 'email_event',
	properties: { event: 'clicked', campaign: `spring-${serial}` },
	occurredAt: T0 + serial,
	receivedAt: T0 + serial + 250,
	...extra,
});
const decay = (at: number): JournalEntry => ({
	kind: 'decay',
	policy: { mode: 'subtract', inactiveDays: 30, points: 5, floor: 0 },
	inactiveBefore: at - 30 * DAY,
	at,
});
const carried = (contactId: string, score: number, extra: Partial<JournalCarried> = {}): JournalCarried => ({
	kind: 'carried',
	contactId,
	score,
	lastActivityAt: T0,
	firstSeenAt: T0 - DAY,
	at: T0 + DAY,
	...extra,
});
const state = (contactId: string, score: number, version: number, extra: Partial<ContactState> = {}): ContactState => ({
	contactId,
	score,
	lastActivityAt: T0,
	firstSeenAt: T0,
	updatedAt: T0,
	version,
	...extra,
});
/** The entries as a store hands them back, without their journalSeq. */
const withoutSeqs = (records: readonly JournalRecord[] | undefined) =>
	(records ?? []).map((record) => {
		const { journalSeq, ...entry } = record;
		expect(Number.isSafeInteger(journalSeq)).toBe(true);
		return entry;
	});
const seqsOf = (records: readonly JournalRecord[] | undefined) => (records ?? []).map((record) => record.journalSeq);

export function describeJournalStorage(getStore: () => ScoreStore, options: JournalStorageOptions): void {
	describe('the journal', () => {
		/** Commits what it is given as it is, naming only the contacts it writes a state or change of. */
		const commit = (
			store: ScoreStore,
			journal: JournalEntry[],
			{ contacts = [], changes = [], profileId = 'p1' }: { contacts?: ContactState[]; changes?: ChangeRecord[]; profileId?: string } = {},
		) =>
			store.transact(profileId, { contactIds: [...new Set([...contacts, ...changes].map((written) => written.contactId))] }, () => ({
				contacts,
				changes,
				seenEventIds: [],
				journal,
				result: undefined,
			}));
		const fresh = async (overrides = {}) => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1', overrides));
			return store;
		};

		it("appends a plan's entries in plan order with increasing journalSeqs, and reads each contact's and the profile-wide ones back as written", async () => {
			const store = await fresh();
			const entries: JournalEntry[] = [
				{ kind: 'carried', contactId: 'a', score: 12.5, groups: JSON.parse('{"Email": 2.5, "__proto__": 1}'), ledger: { awards: { opened: [T0] } }, lastActivityAt: null, firstSeenAt: T0 - DAY, at: T0 },
				event('a', 1, { eventId: 'e;1,"x"', properties: JSON.parse('{"__proto__": {"polluted": true}, "a,b;c": "Ünïcødé 📧", "nested": {"n": [1, null, 2.5]}}') }),
				event('b', 2),
				{ kind: 'modify', contactId: 'a', operation: 'subtract', points: 2.25, reason: 'refund, partial; "quoted"', countsAsActivity: false, at: T0 + 3 },
				decay(T0 + 4),
				{ kind: 'modify', contactId: 'b', operation: 'set', points: 0, countsAsActivity: true, at: T0 + 5 },
				{ kind: 'reset', contactId: 'a', at: T0 + 6 },
				{ kind: 'reset', contactId: 'b', reason: 'asked to', at: T0 + 7 },
			];
			const parsed = JSON.parse(JSON.stringify(entries)) as JournalEntry[];
			await commit(store, entries, { contacts: [state('a', 1, 1)] });
			await commit(store, [event('b', 8), decay(T0 + 9)]);

			const read = await store.readJournals('p1', ['a', 'b', 'none']);
			expect(withoutSeqs(read.byContact.get('a'))).toEqual([parsed[0], parsed[1], parsed[3], parsed[6]]);
			expect(withoutSeqs(read.byContact.get('b'))).toEqual([parsed[2], parsed[5], parsed[7], event('b', 8)]);
			expect(read.byContact.has('none')).toBe(false);
			expect(withoutSeqs(read.profileWide)).toEqual([decay(T0 + 4), decay(T0 + 9)]);
			// journalSeq orders the profile's entries as committed, across contacts and plans.
			const all = [...read.byContact.values(), read.profileWide].flat().sort((x, y) => x.journalSeq - y.journalSeq);
			expect(all.map((record) => record.kind)).toEqual(['carried', 'event', 'event', 'modify', 'decay', 'modify', 'reset', 'reset', 'event', 'decay']);
			expect(new Set(all.map((record) => record.journalSeq)).size).toBe(10);
			expect(all[0].journalSeq).toBeGreaterThanOrEqual(1);
			// Absent optional fields stay absent.
			expect(read.byContact.get('b')?.[0]).not.toHaveProperty('eventId');
			expect(read.byContact.get('a')?.[3]).not.toHaveProperty('reason');
			expect(read.byContact.get('a')?.[0]).toHaveProperty('lastActivityAt', null);
			expect((await store.readJournals('p1', new Set(['b']))).byContact.get('b')).toEqual(read.byContact.get('b'));
			expect(await store.readJournals('nope', ['a'])).toEqual({ byContact: new Map(), profileWide: [] });
		});

		it('writes no entry of a plan that throws, that is refused, or whose profile does not exist', async () => {
			const store = await fresh();
			await commit(store, [event('a', 1)]);
			await expect(
				store.transact('p1', { contactIds: ['a'] }, () => {
					throw new Error('plan aborted');
				}),
			).rejects.toThrow('plan aborted');
			// Refused: it writes a contact it did not name.
			await expect(
				store.transact('p1', { contactIds: [] }, (): Plan<void> => ({
					contacts: [state('unnamed', 1, 1)],
					changes: [],
					seenEventIds: [],
					journal: [event('a', 2)],
					result: undefined,
				})),
			).rejects.toThrow();
			// Refused: an entry of no contact that is not profile-wide; nothing of the plan is written.
			await expect(commit(store, [event('a', 3), { ...event('a', 4), contactId: '' }], { contacts: [state('a', 9, 1)] })).rejects.toBeInstanceOf(
				InvalidInputError,
			);
			await expect(commit(store, [event('a', 5)], { profileId: 'nope' })).rejects.toBeInstanceOf(ProfileNotFoundError);
			expect(withoutSeqs((await store.readJournals('p1', ['a'])).byContact.get('a'))).toEqual([event('a', 1)]);
			expect(await store.getContact('p1', 'a')).toBeUndefined();
			expect(await store.journalContactIds('nope', undefined, 10)).toEqual([]);
		});

		it('keeps the entries of a journal-only plan (a draft profile recording events) for contacts it writes nothing of', async () => {
			const store = await fresh({ status: 'draft', version: 0, publishedRules: undefined, publishedAt: undefined });
			const committed = await commit(store, [event('recorded', 1), event('recorded', 2)]);
			expect(committed.firstChangeSeq).toBe(0);
			expect(await store.getContact('p1', 'recorded')).toBeUndefined();
			expect(await store.readChanges('p1', 0, 10)).toEqual([]);
			expect(withoutSeqs((await store.readJournals('p1', ['recorded'])).byContact.get('recorded'))).toEqual([event('recorded', 1), event('recorded', 2)]);
			expect(await store.journalContactIds('p1', undefined, 10)).toEqual(['recorded']);
		});

		it('pages through the contacts holding a journal in ascending code point order, after an id, up to a limit', async () => {
			const store = await fresh();
			const ids = ['b', 'a', 'a b', 'é', '😀', '\uE000', '__proto__', 'B', 'a'.repeat(300)];
			await commit(store, [...ids.map((id, index) => event(id, index)), decay(T0), event('b', 99)]);
			const sorted = [...ids].sort(compareStrings);
			expect(await store.journalContactIds('p1', undefined, 100)).toEqual(sorted);
			expect(await store.journalContactIds('p1', undefined, 3)).toEqual(sorted.slice(0, 3));
			expect(await store.journalContactIds('p1', sorted[2], 3)).toEqual(sorted.slice(3, 6));
			expect(await store.journalContactIds('p1', 'a c', 100)).toEqual(sorted.filter((id) => compareStrings(id, 'a c') > 0));
			expect(await store.journalContactIds('p1', sorted[sorted.length - 1], 100)).toEqual([]);
			expect(await store.journalContactIds('p1', undefined, 0)).toEqual([]);
			const paged: string[] = [];
			for (let page = await store.journalContactIds('p1', undefined, 2); page.length > 0; page = await store.journalContactIds('p1', paged[paged.length - 1], 2)) {
				paged.push(...page);
			}
			expect(paged).toEqual(sorted);
		});

		it('folds the entries through a journalSeq into the carried entry stored at that seq, keeping later ones and other contacts', async () => {
			const store = await fresh();
			await commit(store, [event('a', 1), event('b', 2), event('a', 3), event('a', 4), decay(T0 + 5), event('a', 6)]);
			const before = (await store.readJournals('p1', ['a'])).byContact.get('a') ?? [];
			const through = before[2].journalSeq;
			await store.foldJournal('p1', 'a', through, carried('a', 15, { groups: { Email: 15 }, ledger: { awards: { opened: [T0 + 3, T0 + 4] } } }));
			const folded = await store.readJournals('p1', ['a', 'b']);
			expect(folded.byContact.get('a')).toEqual([
				{ ...carried('a', 15, { groups: { Email: 15 }, ledger: { awards: { opened: [T0 + 3, T0 + 4] } } }), journalSeq: through },
				before[3],
			]);
			expect(withoutSeqs(folded.byContact.get('b'))).toEqual([event('b', 2)]);
			expect(folded.profileWide).toHaveLength(1);

			// Folding again further on, and a stale fold arriving late: the newest carried entry stays last.
			await store.foldJournal('p1', 'a', before[3].journalSeq, carried('a', 20));
			await store.foldJournal('p1', 'a', before[0].journalSeq, carried('a', 5));
			const twice = (await store.readJournals('p1', ['a'])).byContact.get('a');
			expect(seqsOf(twice)).toEqual([before[0].journalSeq, before[3].journalSeq]);
			expect(twice?.[1]).toEqual({ ...carried('a', 20), journalSeq: before[3].journalSeq });
			// A contact whose journal was folded is still listed.
			expect(await store.journalContactIds('p1', undefined, 10)).toEqual(['a', 'b']);
		});

		it('keeps entries appended while a fold runs', async () => {
			const store = await fresh();
			await commit(store, [event('a', 1), event('a', 2)]);
			const [, second] = (await store.readJournals('p1', ['a'])).byContact.get('a') ?? [];
			await Promise.all([
				store.foldJournal('p1', 'a', second.journalSeq, carried('a', 4)),
				commit(store, [event('a', 3)]),
				commit(store, [event('a', 4), event('b', 5)]),
			]);
			const read = await store.readJournals('p1', ['a', 'b']);
			expect(withoutSeqs(read.byContact.get('a'))).toEqual([carried('a', 4), event('a', 3), event('a', 4)]);
			expect(seqsOf(read.byContact.get('a'))[0]).toBe(second.journalSeq);
			expect(withoutSeqs(read.byContact.get('b'))).toEqual([event('b', 5)]);
		});

		it('refuses a fold through a journalSeq not reached yet or into another contact, and ignores one of an unknown profile', async () => {
			const store = await fresh();
			await commit(store, [event('a', 1)]);
			const [first] = (await store.readJournals('p1', ['a'])).byContact.get('a') ?? [];
			await expect(store.foldJournal('p1', 'a', first.journalSeq + 1, carried('a', 1))).rejects.toBeInstanceOf(InvalidInputError);
			await expect(store.foldJournal('p1', 'a', first.journalSeq, carried('b', 1))).rejects.toBeInstanceOf(InvalidInputError);
			await expect(store.foldJournal('nope', 'a', 1, carried('a', 1))).resolves.toBeUndefined();
			expect((await store.readJournals('p1', ['a'])).byContact.get('a')).toEqual([first]);
		});

		it('prunes the profile-wide entries before a time, and no contact entry', async () => {
			const store = await fresh();
			await commit(store, [decay(T0), event('a', -DAY), decay(T0 + DAY), decay(T0 + 2 * DAY)]);
			expect(await store.pruneProfileWideJournal('p1', T0 + DAY)).toBe(1);
			expect(await store.pruneProfileWideJournal('p1', T0 + DAY)).toBe(0);
			const read = await store.readJournals('p1', ['a']);
			expect(withoutSeqs(read.profileWide)).toEqual([decay(T0 + DAY), decay(T0 + 2 * DAY)]);
			expect(withoutSeqs(read.byContact.get('a'))).toEqual([event('a', -DAY)]);
			expect(await store.pruneProfileWideJournal('nope', T0 + 9 * DAY)).toBe(0);
		});

		it('forgets a deleted contact’s journal (also of one with no state) and a deleted profile’s whole journal', async () => {
			const store = await fresh();
			await commit(store, [event('a', 1), event('b', 2), event('journal-only', 3), decay(T0)], { contacts: [state('a', 1, 1), state('b', 1, 1)] });
			expect(await store.deleteContact('p1', 'a')).toBe(true);
			await store.deleteContact('p1', 'journal-only');
			expect(await store.journalContactIds('p1', undefined, 10)).toEqual(['b']);
			const read = await store.readJournals('p1', ['a', 'b', 'journal-only']);
			expect([...read.byContact.keys()]).toEqual(['b']);
			expect(read.profileWide).toHaveLength(1);

			expect(await store.deleteProfile('p1')).toBe(true);
			await store.insertProfile(profileFixture('p1'));
			expect(await store.readJournals('p1', ['a', 'b'])).toEqual({ byContact: new Map(), profileWide: [] });
			expect(await store.journalContactIds('p1', undefined, 10)).toEqual([]);
			await commit(store, [event('b', 4)]);
			expect(withoutSeqs((await store.readJournals('p1', ['b'])).byContact.get('b'))).toEqual([event('b', 4)]);
		});

		it('gives concurrent plans distinct increasing journalSeqs and loses none of their entries', async () => {
			const store = await fresh();
			const other = options.otherWriter?.() ?? store;
			const PLANS = 40;
			await Promise.all(
				Array.from({ length: PLANS }, (_, plan) =>
					commit(plan % 2 === 0 ? store : other, [event('shared', plan * 2), event(`own-${plan % 4}`, plan * 2 + 1)], {
						contacts: [state(`own-${plan % 4}`, plan, 1)],
					}),
				),
			);
			const ids = ['shared', 'own-0', 'own-1', 'own-2', 'own-3'];
			const read = await store.readJournals('p1', ids);
			const shared = read.byContact.get('shared') ?? [];
			expect(shared).toHaveLength(PLANS);
			const all = ids.flatMap((id) => read.byContact.get(id) ?? []);
			expect(all).toHaveLength(PLANS * 2);
			expect(new Set(all.map((record) => record.journalSeq)).size).toBe(PLANS * 2);
			for (const id of ids) {
				const seqs = seqsOf(read.byContact.get(id));
				expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
			}
			// Each plan's two entries are consecutive: the shared event right before the contact's own.
			const bySerial = new Map(all.map((record) => [(record as { occurredAt: number }).occurredAt - T0, record.journalSeq]));
			for (let plan = 0; plan < PLANS; plan++) expect(bySerial.get(plan * 2 + 1)).toBe((bySerial.get(plan * 2) as number) + 1);
		});
	});

	describe('what a recalculation leaves', () => {
		const write = (store: ScoreStore, contacts: ContactState[], changes: ChangeRecord[] = []) =>
			store.transact('p1', { contactIds: contacts.map((contact) => contact.contactId) }, () => ({ contacts, changes, seenEventIds: [], result: null }));

		it('keeps journaled and recalculatedVersion on a state exactly, in every read, and reads them as undefined where they are not set', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const both = state('both', 9, 1, { journaled: true, recalculatedVersion: 3, ledger: { groups: { Email: 9 } } });
			const journaledOnly = state('journaled', 2, 1, { journaled: true });
			const recalculatedOnly = state('recalculated', 1, 1, { recalculatedVersion: 12, ledger: { expiring: [{ ruleId: 'r', points: 1, dueAt: T0 + DAY }] }, nextExpiryAt: T0 + DAY });
			const neither = state('neither', 0, 1);
			await write(store, [both, journaledOnly, recalculatedOnly, neither]);
			for (const contact of [both, journaledOnly, recalculatedOnly, neither]) expect(await store.getContact('p1', contact.contactId)).toEqual(contact);
			// Unset marks read as undefined (states have one shape, see storedContactState), never as false, null or 0.
			expect((await store.getContact('p1', 'neither'))?.journaled).toBeUndefined();
			expect((await store.getContact('p1', 'journaled'))?.recalculatedVersion).toBeUndefined();
			expect(await store.listContacts('p1', { order: 'desc', limit: 10 })).toEqual([both, journaledOnly, recalculatedOnly, neither]);
			await store.transact('p1', { contactIds: ['both', 'neither'] }, (snapshot) => {
				expect(snapshot.contact('both')).toEqual(both);
				expect(snapshot.contact('neither')).toEqual(neither);
				return { contacts: [], changes: [], seenEventIds: [], result: null };
			});
			const plain = state('both', 9, 2);
			await write(store, [plain]);
			expect(await store.getContact('p1', 'both')).toEqual(plain);
		});

		it('logs a recalculation change and reads it back through the history, the log and a feed', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1', { version: 2 }));
			const received: ScoreChange[] = [];
			const feed = options.liveFeed ? store.openFeed('p1', 'journal-conformance', 'now', (changes) => void received.push(...changes), { pollIntervalMs: 20 }) : undefined;
			await feed?.start();
			try {
				const recalculated: ChangeRecord = {
					contactId: 'a',
					previousScore: 10,
					score: 7.5,
					delta: -2.5,
					cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 },
					at: T0 + DAY,
				};
				const { firstChangeSeq } = await write(store, [state('a', 7.5, 1, { journaled: true, recalculatedVersion: 2 })], [recalculated]);
				const logged = { seq: firstChangeSeq, profileId: 'p1', ...recalculated };
				expect(await store.getHistory('p1', 'a', 10)).toEqual([logged]);
				expect(await store.readChanges('p1', 0, 10)).toEqual([logged]);
				if (feed) {
					for (let waited = 0; received.length === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
					expect(received).toEqual([logged]);
				}
			} finally {
				await feed?.stop();
			}
		});
	});
}
