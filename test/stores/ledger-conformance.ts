/**
 * Storage of what rules with limits, expiry and groups leave on a contact (ContactState.ledger and
 * nextExpiryAt), and the expiry index, held to the same promises on every store. Called from
 * describeStoreConformance, so every backend (and variant) runs it.
 */
import type { ContactLedger, ContactState } from '../../src/scoring/contact-state';
import type { ChangeRecord } from '../../src/scoring/transition';
import type { ScoreStore } from '../../src/store';
import type { ContactQuery } from '../../src/types';
import { profileFixture } from './conformance';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

const ledger: ContactLedger = {
	groups: { Email: 7.5, '__proto__': 1, 'a;b,c "d"': -2, 'Ünïcødé 📧': 3 },
	awards: { opened: [T0, T0 + DAY], 'rule;with,odd"chars': [T0] },
	expiring: [
		{ ruleId: 'opened', eventId: 'e;1', group: 'Email', points: 2.5, dueAt: T0 + 7 * DAY },
		{ ruleId: 'plain', points: 5, dueAt: T0 + 30 * DAY },
	],
};

function state(contactId: string, score: number, version: number, extra: Partial<ContactState> = {}): ContactState {
	return { contactId, score, lastActivityAt: T0, firstSeenAt: T0, updatedAt: T0, version, ...extra };
}

export function describeLedgerStorage(getStore: () => ScoreStore): void {
	describe('contact ledgers and the expiry index', () => {
		const write = (store: ScoreStore, contacts: ContactState[]) =>
			store.transact('p1', { contactIds: contacts.map((contact) => contact.contactId) }, () => ({
				contacts,
				changes: [],
				seenEventIds: [],
				result: null,
			}));

		it('keeps a ledger and next expiry as written, in every read, and forgets them when a later state has none', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const rich = state('a', 9.5, 1, { ledger, nextExpiryAt: T0 + 7 * DAY });
			await write(store, [rich, state('b', 1, 1)]);
			expect(await store.getContact('p1', 'a')).toEqual(rich);
			expect(await store.getContact('p1', 'b')).toEqual(state('b', 1, 1));
			expect(await store.listContacts('p1', { order: 'desc', limit: 10 })).toEqual([rich, state('b', 1, 1)]);
			await store.transact('p1', { contactIds: ['a'] }, (snapshot) => {
				expect(snapshot.contact('a')).toEqual(rich);
				return { contacts: [], changes: [], seenEventIds: [], result: null };
			});
			const groupsOnly = state('a', 9.5, 2, { ledger: { groups: { Email: 9.5 } } });
			await write(store, [groupsOnly]);
			expect(await store.getContact('p1', 'a')).toEqual(groupsOnly);
			await write(store, [state('a', 0, 3)]);
			expect(await store.getContact('p1', 'a')).toEqual(state('a', 0, 3));
		});

		it('reads contacts with expiries due by a time as a range: earliest due first, ties by id, up to a limit', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const due = (contactId: string, at: number) => state(contactId, 1, 1, { ledger: { expiring: [{ ruleId: 'r', points: 1, dueAt: at }] }, nextExpiryAt: at });
			await write(store, [due('late', T0 + 9 * DAY), due('b', T0 + DAY), due('a', T0 + DAY), due('first', T0), state('none', 3, 1)]);
			expect(await store.expiringContactIds('p1', T0 + DAY, 100)).toEqual(['first', 'a', 'b']);
			expect(await store.expiringContactIds('p1', T0 + DAY, 2)).toEqual(['first', 'a']);
			expect(await store.expiringContactIds('p1', T0 - 1, 100)).toEqual([]);
			expect(await store.expiringContactIds('p1', T0 + 100 * DAY, 100)).toEqual(['first', 'a', 'b', 'late']);
			expect(await store.expiringContactIds('nope', T0 + 100 * DAY, 100)).toEqual([]);
		});

		it('keeps the expiry index to the states: moved, removed with the last expiry, with the contact and with the profile', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const expiring = (at: number) => ({ expiring: [{ ruleId: 'r', points: 1, dueAt: at }] });
			await write(store, [state('a', 1, 1, { ledger: expiring(T0), nextExpiryAt: T0 }), state('b', 1, 1, { ledger: expiring(T0), nextExpiryAt: T0 })]);
			await write(store, [state('a', 1, 2, { ledger: expiring(T0 + 5 * DAY), nextExpiryAt: T0 + 5 * DAY })]);
			expect(await store.expiringContactIds('p1', T0, 10)).toEqual(['b']);
			expect(await store.expiringContactIds('p1', T0 + 5 * DAY, 10)).toEqual(['b', 'a']);
			await write(store, [state('b', 0, 2, { ledger: { groups: { Email: 0 } } })]);
			expect(await store.expiringContactIds('p1', T0 + 5 * DAY, 10)).toEqual(['a']);
			await store.deleteContact('p1', 'a');
			expect(await store.expiringContactIds('p1', T0 + 5 * DAY, 10)).toEqual([]);
			await write(store, [state('c', 1, 1, { ledger: expiring(T0), nextExpiryAt: T0 })]);
			await store.deleteProfile('p1');
			await store.insertProfile(profileFixture('p1'));
			expect(await store.expiringContactIds('p1', T0 + 5 * DAY, 10)).toEqual([]);
		});

		it('lists contacts by a group: only those holding it, by its subtotal (ties by id), within group and total bounds, kept to the states', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const grouped = (contactId: string, score: number, groups: Record<string, number>, version = 1, extra: Partial<ContactState> = {}) =>
				state(contactId, score, version, { ledger: { groups }, ...extra });
			await write(store, [
				grouped('ann', 40, { Sales: 30, Email: 10 }),
				grouped('bob', 25, { Sales: 20 }),
				grouped('cat', 50, { Sales: 20, 'Ünïcødé 📧': 5 }),
				grouped('dan', 9, { Email: 9 }),
				state('eve', 100, 1),
				grouped('fay', -5, { Sales: -5 }, 1, { lastActivityAt: T0 - DAY }),
			]);
			const ids = async (query: Partial<ContactQuery>) =>
				(await store.listContacts('p1', { order: 'desc', limit: 10, group: 'Sales', ...query })).map((contact) => contact.contactId);
			expect(await ids({})).toEqual(['ann', 'bob', 'cat', 'fay']);
			expect(await ids({ order: 'asc' })).toEqual(['fay', 'bob', 'cat', 'ann']);
			expect(await ids({ minGroupScore: 20, maxGroupScore: 20 })).toEqual(['bob', 'cat']);
			expect(await ids({ minScore: 26 })).toEqual(['ann', 'cat']);
			expect(await ids({ maxScore: 40, scoreBelow: 40 })).toEqual(['bob', 'fay']);
			expect(await ids({ lastActivityBefore: T0 })).toEqual(['fay']);
			expect(await ids({ limit: 2, offset: 1 })).toEqual(['bob', 'cat']);
			expect(await ids({ group: 'Ünïcødé 📧' })).toEqual(['cat']);
			expect(await ids({ group: 'nobody' })).toEqual([]);
			const [first] = await store.listContacts('p1', { order: 'desc', limit: 1, group: 'Sales' });
			expect(first).toEqual(grouped('ann', 40, { Sales: 30, Email: 10 }));

			// A later state moves the index: a subtotal changes, a group is cleared, a contact is deleted.
			await write(store, [grouped('bob', 45, { Sales: 40 }, 2), state('ann', 0, 2), grouped('dan', 29, { Email: 9, Sales: 20 }, 2)]);
			expect(await ids({})).toEqual(['bob', 'cat', 'dan', 'fay']);
			await store.deleteContact('p1', 'cat');
			expect(await ids({})).toEqual(['bob', 'dan', 'fay']);
			await store.deleteProfile('p1');
			await store.insertProfile(profileFixture('p1'));
			expect(await ids({})).toEqual([]);
		});

		it('logs the group subtotals a change carries before and after it, and none for a change that carries none', async () => {
			const store = getStore();
			await store.insertProfile(profileFixture('p1'));
			const grouped: ChangeRecord = {
				contactId: 'a',
				previousScore: 1,
				score: 9.5,
				delta: 8.5,
				cause: { kind: 'event', eventType: 'email_opened', ruleIds: ['opened'], eventId: 'e;1' },
				at: T0,
				previousGroups: {},
				groups: ledger.groups,
			};
			const reset: ChangeRecord = { contactId: 'a', previousScore: 9.5, score: 0, delta: -9.5, cause: { kind: 'reset' }, at: T0 + 1, previousGroups: ledger.groups, groups: {} };
			const plain: ChangeRecord = { contactId: 'b', previousScore: 0, score: 1, delta: 1, cause: { kind: 'modify', operation: 'add', points: 1 }, at: T0 + 2 };
			const { firstChangeSeq } = await store.transact('p1', { contactIds: ['a', 'b'] }, () => ({
				contacts: [state('a', 0, 1), state('b', 1, 1)],
				changes: [grouped, reset, plain],
				seenEventIds: [],
				result: null,
			}));
			const logged = [grouped, reset, plain].map((change, index) => ({ seq: firstChangeSeq + index, profileId: 'p1', ...change }));
			expect(await store.readChanges('p1', 0, 10)).toEqual(logged);
			expect(await store.getHistory('p1', 'a', 10)).toEqual([logged[1], logged[0]]);
			expect(Object.keys((await store.readChanges('p1', 0, 1))[0].groups ?? {})).toEqual(Object.keys(ledger.groups ?? {}));
		});
	});
}
