/**
 * Issue 11, retention of the journal (engine.pruneJournal) on every store: entries older than the
 * profile's retention are folded into a carried entry per contact, and replaying the journal after
 * the fold gives what it gave before, which is what the live engine holds.
 */
import { EngagementEngine } from '../../src/engine';
import type { JournalRecord } from '../../src/journal';
import { replayContact, withEvaluator } from '../../src/replay';
import type { ContactState } from '../../src/scoring';
import type { ScoreStore } from '../../src/store';
import { storeKindsForThisFile } from '../helpers/engine-stores';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 9);
const RULES = [
	{ id: 'opened', eventType: 'email_event', points: 5, counts: { times: 2, per: 'week' } },
	{ id: 'webinar', eventType: 'webinar_attended', points: 15, expiresAfterDays: 45, group: 'Events' },
];

/** What a replay must reproduce (the writer sets version, journaled and recalculatedVersion). */
function comparable(state: Omit<ContactState, 'version'> | undefined) {
	if (state === undefined) return undefined;
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { version, updatedAt, journaled, recalculatedVersion, ...rest } = state as ContactState;
	return rest;
}

describe.each(storeKindsForThisFile('journal-retention'))('journal retention on $name', (kind) => {
	let store: ScoreStore;
	let cleanup: () => void;
	let clock: number;
	let engine: EngagementEngine;
	beforeEach(async () => {
		({ store, cleanup } = await kind.open());
		clock = T0;
		engine = new EngagementEngine(store, { now: () => clock });
	});
	afterEach(async () => {
		await store.close();
		cleanup();
	});

	async function replayAll(contactIds: string[]) {
		const profile = await engine.getProfile('lead');
		const settings = withEvaluator({ version: profile.version, rules: profile.publishedRules ?? [], ...(profile.publishedSettings ?? {}) });
		const journals = await store.readJournals('lead', contactIds);
		return contactIds.map((contactId) =>
			comparable(replayContact(contactId, journals.byContact.get(contactId) ?? [], journals.profileWide, settings, clock).state),
		);
	}
	const kinds = (records: readonly JournalRecord[] | undefined) => (records ?? []).map((record) => record.kind);

	it('folds entries older than the retention into a carried entry per contact; replay after the fold gives what it gave before', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: RULES, journalRetention: { days: 30 } });
		await engine.publish('lead');
		await engine.scoreEvents('lead', [
			{ contactId: 'alice', type: 'email_event', occurredAt: T0 },
			{ contactId: 'alice', type: 'webinar_attended', occurredAt: T0, id: 'w1' },
			{ contactId: 'bob', type: 'email_event', occurredAt: T0 },
		]);
		clock = T0 + 5 * DAY;
		await engine.modifyScore('lead', { contactId: 'alice', operation: 'add', points: 3, reason: 'Call' });
		clock = T0 + 14 * DAY;
		await engine.applyDecay('lead', { mode: 'subtract', points: 2, inactiveDays: 7, floor: 0 });
		clock = T0 + 40 * DAY;
		await engine.scoreEvents('lead', [
			{ contactId: 'alice', type: 'email_event', occurredAt: clock },
			{ contactId: 'carol', type: 'webinar_attended', occurredAt: clock },
		]);
		clock = T0 + 50 * DAY; // alice's webinar points expired at T0 + 45 days
		const contacts = ['alice', 'bob', 'carol'];
		const live = await Promise.all(contacts.map(async (contactId) => (await engine.getContact('lead', contactId))?.score));
		expect(live.slice(1)).toEqual([3, 15]);
		const before = await replayAll(contacts);
		expect(before.map((state) => state?.score)).toEqual(live);

		const pruned = await engine.pruneJournal('lead');
		expect(pruned).toMatchObject({ contactsFolded: 2, entriesFolded: 4 });
		const journals = await store.readJournals('lead', contacts);
		expect(kinds(journals.byContact.get('alice'))).toEqual(['carried', 'event']);
		expect(kinds(journals.byContact.get('bob'))).toEqual(['carried']);
		expect(kinds(journals.byContact.get('carol'))).toEqual(['event']);
		// The decay run is still replayed for the contacts whose journal starts before it.
		expect(kinds(journals.profileWide)).toEqual(['decay']);

		expect(await replayAll(contacts)).toEqual(before);
		expect(await engine.pruneJournal('lead')).toMatchObject({ contactsFolded: 0, entriesFolded: 0 });
		expect(await replayAll(contacts)).toEqual(before);
	});

	it('deletes a decay run once no contact journal starts before it, and keeps everything when told to keep it forever', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: RULES, journalRetention: 'forever' });
		await engine.publish('lead');
		await engine.scoreEvents('lead', [{ contactId: 'alice', type: 'email_event', occurredAt: T0 }]);
		clock = T0 + 10 * DAY;
		await engine.applyDecay('lead', { mode: 'subtract', points: 1, inactiveDays: 7, floor: 0 });
		clock = T0 + 11 * DAY;
		await engine.scoreEvents('lead', [{ contactId: 'alice', type: 'email_event', occurredAt: clock }]);
		clock = T0 + 400 * DAY;
		expect(await engine.pruneJournal('lead')).toEqual({ contactsFolded: 0, entriesFolded: 0, decayRunsPruned: 0 });

		const before = await replayAll(['alice']);
		await engine.updateDraft('lead', { journalRetention: { days: 30 } });
		expect((await engine.getProfile('lead')).version).toBe(1);
		expect(await engine.pruneJournal('lead')).toEqual({ contactsFolded: 1, entriesFolded: 2, decayRunsPruned: 1 });
		const journals = await store.readJournals('lead', ['alice']);
		expect(kinds(journals.byContact.get('alice'))).toEqual(['carried']);
		expect(journals.profileWide).toEqual([]);
		expect(await replayAll(['alice'])).toEqual(before);
		expect(before[0]?.score).toBe((await engine.getContact('lead', 'alice'))?.score);
	});
});
