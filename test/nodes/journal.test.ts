/**
 * Issue 11, "Keep the events": what the nodes write to the profile's journal, through n8n-core on
 * every store. Score Event journals each event it scores (not duplicates), records events sent
 * while the profile is a draft (scored: false, recorded: true), Modify, Reset and Decay journal
 * what they did, and a contact scored before the journal existed starts it with what it held.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections } from '../../nodes/shared/redis';
import type { JournalRecord } from '../../src/journal';
import { RedisTestServer } from '../helpers/redis-server';
import { createProfileOn, ENGAGEMENT_SCORE_TYPE, freshStore, MODIFY_TYPE, runOn, type AnyStore, type StoreName } from '../harness/any-store';
import { profileLocator, tempFolder } from '../harness/engagement-score-nodes';

const folder = tempFolder('journal-nodes-');
let redis: RedisTestServer;
beforeAll(async () => {
	redis = await RedisTestServer.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await redis.destroy();
	folder.cleanup();
});

const DAY = 86_400_000;
const RULES = [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
	{ id: 'webinar', eventType: 'webinar_attended', points: 15 },
];
const profileId = profileLocator('lead');

/** The journal without the store's sequence numbers (checked to increase) and the times the engine took from its clock. */
async function journalOf(store: AnyStore, contactIds: string[]): Promise<{ byContact: Record<string, unknown[]>; profileWide: unknown[] }> {
	const journals = await store.read((direct) => direct.readJournals('lead', contactIds));
	const plain = (records: readonly JournalRecord[]) => {
		const seqs = records.map((record) => record.journalSeq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		return records.map(({ journalSeq: _seq, ...entry }) => {
			const timed = entry as IDataObject;
			for (const key of ['receivedAt', 'at'] as const) if (typeof timed[key] === 'number') timed[key] = 'now';
			return timed;
		});
	};
	const byContact: Record<string, unknown[]> = {};
	for (const [contactId, records] of journals.byContact) byContact[contactId] = plain(records);
	return { byContact, profileWide: plain(journals.profileWide) };
}

const score = (store: AnyStore, items: IDataObject[], extra: IDataObject = {}) =>
	runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'event', operation: 'score', profileId, mapping: 'autoMap', ...extra }, items.map((json) => ({ json })));

describe.each<StoreName>(['sqlite', 'workflowStaticData', 'redis'])('the journal on %s', (storeName) => {
	let store: AnyStore;
	beforeEach(() => {
		store = freshStore(storeName, folder.path, redis);
	});

	test('holds every event scored, normalized as received, and no duplicate', async () => {
		await createProfileOn(store, 'lead', RULES);
		const occurredAt = Date.UTC(2026, 10, 1, 9);
		const run = await score(store, [
			{ contactId: 'ann', type: 'Email Events', properties: { event: 'opened', campaign: 'nov' }, occurredAt: new Date(occurredAt).toISOString(), id: 'e1' },
			{ contactId: 'ann', type: 'email_event', properties: { event: 'opened' }, occurredAt, id: 'e1' },
			{ contactId: 'bob', type: 'webinar_attended', occurredAt },
		]);
		expect(run.error).toBeUndefined();
		expect(run.json.map(({ scored, recorded, duplicate, score }) => ({ scored, recorded, duplicate, score }))).toEqual([
			{ scored: true, recorded: true, duplicate: false, score: 5 },
			{ scored: false, recorded: false, duplicate: true, score: 5 },
			{ scored: true, recorded: true, duplicate: false, score: 15 },
		]);
		expect(await journalOf(store, ['ann', 'bob'])).toEqual({
			byContact: {
				ann: [{ kind: 'event', contactId: 'ann', eventId: 'e1', type: 'email_event', properties: { event: 'opened', campaign: 'nov' }, occurredAt, receivedAt: 'now' }],
				bob: [{ kind: 'event', contactId: 'bob', type: 'webinar_attended', properties: {}, occurredAt, receivedAt: 'now' }],
			},
			profileWide: [],
		});
	});

	test('holds Modify, Reset (only when it moved something) and one entry per decay run', async () => {
		await createProfileOn(store, 'lead', RULES);
		const longAgo = Date.now() - 40 * DAY;
		await score(store, [{ contactId: 'ann', type: 'webinar_attended', occurredAt: longAgo }]);
		const modified = await runOn(store, MODIFY_TYPE, { profileId, contactId: 'ann', operation: 'subtract', points: 3, reason: 'Bounced', options: { countsAsActivity: false } });
		expect(modified.error).toBeUndefined();
		const decay = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'decay', operation: 'apply', profileId, mode: 'subtract', inactiveDays: 30, points: 2, floor: 0 });
		expect(decay.error).toBeUndefined();
		expect(decay.json[0]).toMatchObject({ contactsDecayed: 1 });
		const reset = () => runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'contact', operation: 'reset', profileId, contactId: 'ann', reason: 'Churned' });
		expect((await reset()).json[0]).toMatchObject({ score: 0, changed: true });
		expect((await reset()).json[0]).toMatchObject({ score: 0, changed: false });

		const journal = await journalOf(store, ['ann']);
		expect(journal.byContact.ann).toEqual([
			expect.objectContaining({ kind: 'event', type: 'webinar_attended' }),
			{ kind: 'modify', contactId: 'ann', operation: 'subtract', points: 3, reason: 'Bounced', countsAsActivity: false, at: 'now' },
			{ kind: 'reset', contactId: 'ann', reason: 'Churned', at: 'now' },
		]);
		expect(journal.profileWide).toEqual([
			{ kind: 'decay', policy: { mode: 'subtract', inactiveDays: 30, points: 2, floor: 0 }, inactiveBefore: expect.any(Number), at: 'now' },
		]);
	});

	test('starts the journal of a contact scored before the profile kept one with what it held', async () => {
		await createProfileOn(store, 'lead', RULES);
		const before = { contactId: 'old', score: 42, lastActivityAt: Date.UTC(2025, 0, 1), firstSeenAt: Date.UTC(2024, 0, 1), updatedAt: Date.UTC(2025, 0, 2), version: 0 };
		await store.read((direct) =>
			direct.transact('lead', { contactIds: ['old'] }, () => ({ contacts: [{ ...before, version: 1 }], changes: [], seenEventIds: [], result: null })),
		);
		await score(store, [{ contactId: 'old', type: 'webinar_attended' }]);
		await score(store, [{ contactId: 'old', type: 'webinar_attended' }]);

		const journal = await journalOf(store, ['old']);
		expect(journal.byContact.old).toEqual([
			{ kind: 'carried', contactId: 'old', score: 42, lastActivityAt: before.lastActivityAt, firstSeenAt: before.firstSeenAt, at: 'now' },
			expect.objectContaining({ kind: 'event', type: 'webinar_attended' }),
			expect.objectContaining({ kind: 'event', type: 'webinar_attended' }),
		]);
		const state = await store.read((direct) => direct.getContact('lead', 'old'));
		expect(state).toMatchObject({ score: 72, journaled: true });
	});

	test('a draft records events without scoring them; a retry is a duplicate, also once published', async () => {
		await createProfileOn(store, 'lead', RULES, false);
		const event = { contactId: 'ann', type: 'email_event', properties: { event: 'opened' }, id: 'e1' };
		const first = await score(store, [event, { ...event, id: 'e2' }]);
		expect(first.error).toBeUndefined();
		expect(first.json.map(({ scored, recorded, duplicate, score, delta, changeSeq }) => ({ scored, recorded, duplicate, score, delta, changeSeq }))).toEqual([
			{ scored: false, recorded: true, duplicate: false, score: 0, delta: 0, changeSeq: null },
			{ scored: false, recorded: true, duplicate: false, score: 0, delta: 0, changeSeq: null },
		]);
		const retried = await score(store, [event]);
		expect(retried.json[0]).toMatchObject({ scored: false, recorded: false, duplicate: true });
		expect(await store.read((direct) => direct.getContact('lead', 'ann'))).toBeUndefined();
		expect(await store.read((direct) => direct.readChanges('lead', 0, 10))).toEqual([]);

		await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'publish', profileId });
		const afterPublish = await score(store, [event]);
		expect(afterPublish.json[0]).toMatchObject({ scored: false, recorded: false, duplicate: true });
		expect((await journalOf(store, ['ann'])).byContact.ann).toEqual([
			expect.objectContaining({ kind: 'event', eventId: 'e1' }),
			expect.objectContaining({ kind: 'event', eventId: 'e2' }),
		]);
	});

	test('If the Profile Is Not Published: Fail the Items fails each item and records nothing; an unknown profile stays an error', async () => {
		await createProfileOn(store, 'lead', RULES, false);
		const items = [{ contactId: 'ann', type: 'webinar_attended', id: 'w1' }];
		const failed = await score(store, items, { ifNotPublished: 'fail' });
		expect(failed.error?.message).toMatch(/^Item 0: Score Profile: Score profile "lead" is not published/);
		const tolerant = await runOn(
			store,
			ENGAGEMENT_SCORE_TYPE,
			{ resource: 'event', operation: 'score', profileId, mapping: 'autoMap', ifNotPublished: 'fail' },
			items.map((json) => ({ json })),
			{ continueOnFail: true },
		);
		expect(tolerant.json).toEqual([{ error: expect.stringMatching(/^Item 0: Score Profile: .*is not published/) }]);
		expect((await journalOf(store, ['ann'])).byContact).toEqual({});
		// Not counted either: recorded afterwards, the id is new.
		expect((await score(store, items)).json[0]).toMatchObject({ recorded: true, duplicate: false });

		const unknown = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'event', operation: 'score', profileId: profileLocator('nope'), mapping: 'autoMap' }, [
			{ json: items[0] },
		]);
		expect(unknown.error?.message).toBe('Item 0: Score Profile: Score profile "nope" does not exist');
	});

	test('Create names Keep Recorded Events when its days are out of range, and creates no profile', async () => {
		const create = (days: number) =>
			runOn(store, ENGAGEMENT_SCORE_TYPE, {
				resource: 'profile',
				operation: 'create',
				name: 'Lead',
				newProfileId: 'lead',
				rulesSource: 'json',
				rulesJson: JSON.stringify(RULES),
				keepRecordedEvents: 'days',
				keepRecordedEventsDays: days,
			});
		expect((await create(0)).error?.message).toMatch(/^Item 0: Days to Keep Recorded Events: Must be a whole number of at least 1/);
		expect((await create(36_501)).error?.message).toMatch(/^Item 0: Days to Keep Recorded Events: .*at most 36500 days or forever/);
		const missing = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'get', profileId });
		expect(missing.error?.message).toContain('does not exist');
	});

	test('Keep Recorded Events is set on Create and changed by Update Draft at once, without a publish', async () => {
		const created = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'profile',
			operation: 'create',
			name: 'Lead',
			newProfileId: 'lead',
			rulesSource: 'json',
			rulesJson: JSON.stringify(RULES),
			keepRecordedEvents: 'days',
			keepRecordedEventsDays: 90,
			publish: true,
		});
		expect(created.json[0]).toMatchObject({ keepRecordedEvents: { days: 90 }, version: 1 });
		const forever = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId,
			updateFields: { keepRecordedEvents: 'forever' },
		});
		expect(forever.json[0]).toMatchObject({ keepRecordedEvents: 'forever', version: 1, status: 'published' });
		const bad = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'profile',
			operation: 'updateDraft',
			profileId,
			updateFields: { keepRecordedEvents: 'days', keepRecordedEventsDays: 0 },
		});
		expect(bad.error?.message).toMatch(/^Item 0: Days to Keep Recorded Events: Must be a whole number of at least 1/);
		const defaults = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'get', profileId });
		expect(defaults.json[0]).toMatchObject({ keepRecordedEvents: 'forever' });
	});
});
