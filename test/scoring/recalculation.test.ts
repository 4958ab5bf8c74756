import { type ContactState, recalculatedContact, type RecalculationOperation } from '../../src/scoring';

const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + 86_400_000;
const toV3: RecalculationOperation = { kind: 'recalculation', fromVersion: 2, toVersion: 3, at: NOW };

const stored = (overrides: Partial<ContactState> = {}): ContactState => ({
	contactId: 'ann',
	score: 10,
	lastActivityAt: T0,
	firstSeenAt: T0,
	updatedAt: T0,
	version: 4,
	journaled: true,
	...overrides,
});
const replayed = (overrides: Partial<ContactState> = {}) => {
	const { score, lastActivityAt, firstSeenAt, ledger, nextExpiryAt } = stored(overrides);
	return { score, lastActivityAt, firstSeenAt, ...(ledger === undefined ? {} : { ledger }), ...(nextExpiryAt === undefined ? {} : { nextExpiryAt }) };
};

describe('recalculatedContact: a contact recomputed from its journal', () => {
	it('takes the replayed score as the next version of the stored state, marked as of the new version, and logs the difference once', () => {
		const { state, change } = recalculatedContact('ann', stored(), replayed({ score: 25 }), toV3);
		expect(state).toEqual({ ...stored({ score: 25, updatedAt: NOW, version: 5 }), recalculatedVersion: 3 });
		expect(change).toEqual({
			contactId: 'ann',
			previousScore: 10,
			score: 25,
			delta: 15,
			cause: { kind: 'recalculation', fromVersion: 2, toVersion: 3 },
			at: NOW,
		});
	});

	it('writes nothing when the journal gives what the contact holds, whenever and however often it was written', () => {
		expect(recalculatedContact('ann', stored({ version: 9, updatedAt: T0 + 99 }), replayed(), toV3)).toEqual({});
	});

	it('takes ledger objects as equal whatever their key order', () => {
		const ledger = { groups: { sales: 4, marketing: 6 }, awards: { opened: [T0] } };
		const sameLedger = { awards: { opened: [T0] }, groups: { marketing: 6, sales: 4 } };
		expect(recalculatedContact('ann', stored({ ledger }), replayed({ ledger: sameLedger }), toV3)).toEqual({});
	});

	it('writes a state whose score is the same but whose ledger differs, without logging a change', () => {
		const { state, change } = recalculatedContact('ann', stored(), replayed({ ledger: { awards: { opened: [T0] } } }), toV3);
		expect(state?.ledger).toEqual({ awards: { opened: [T0] } });
		expect(state?.recalculatedVersion).toBe(3);
		expect(change).toBeUndefined();
	});

	it('creates a contact only the journal knew (events recorded while a draft), as version 1, logged from 0', () => {
		const { state, change } = recalculatedContact('ann', undefined, replayed({ score: 7 }), toV3);
		expect(state).toMatchObject({ contactId: 'ann', score: 7, version: 1, journaled: true, recalculatedVersion: 3 });
		expect(change).toMatchObject({ previousScore: 0, score: 7, delta: 7 });
	});

	it('logs the group subtotals before and after, as every change of a contact holding groups does', () => {
		const { change } = recalculatedContact(
			'ann',
			stored({ ledger: { groups: { sales: 10 } } }),
			replayed({ score: 4, ledger: { groups: { sales: 4 } } }),
			toV3,
		);
		expect(change).toMatchObject({ previousGroups: { sales: 10 }, groups: { sales: 4 }, delta: -6 });
	});

	it('leaves a contact with nothing to replay alone', () => {
		expect(recalculatedContact('ann', stored(), undefined, toV3)).toEqual({});
	});

	it('keeps the next expiry the replayed ledger implies, for the expiry index', () => {
		const expiring = [{ ruleId: 'opened', points: 5, dueAt: NOW + 1000 }];
		const { state } = recalculatedContact('ann', stored(), replayed({ score: 15, ledger: { expiring }, nextExpiryAt: NOW + 1000 }), toV3);
		expect(state?.nextExpiryAt).toBe(NOW + 1000);
	});
});
