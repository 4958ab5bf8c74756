import { EngagementEngine } from '../../src/engine';
import { publishedForRecalculation } from '../../src/recalculation';
import type { ScoreStore } from '../../src/store';
import type { EventResult, ScoreChange } from '../../src/types';
import { storeKindsForThisFile } from '../helpers/engine-stores';
import { contactsARecalculationWouldChange } from '../helpers/recalculation-check';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const OPENED = { id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 };
const CLICKED = { id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 };
const opened = (contactId: string, id?: string) => ({ contactId, type: 'email_event', properties: { event: 'opened' }, ...(id ? { id } : {}) });
const clicked = (contactId: string) => ({ contactId, type: 'email_event', properties: { event: 'clicked' } });

describe.each(storeKindsForThisFile('recalculation'))('Recalculation on publish, on $name', (kind) => {
	let store: ScoreStore;
	let cleanup: () => void;
	let now: number;
	let engine: EngagementEngine;

	beforeEach(async () => {
		({ store, cleanup } = await kind.open());
		now = T0;
		engine = new EngagementEngine(store, { now: () => now });
	});

	afterEach(async () => {
		await store.close();
		cleanup();
	});

	const score = async (events: unknown[]) => {
		now += 1000;
		return (await engine.scoreEvents('lead', events)) as EventResult[];
	};
	const historyOf = (contactId: string) => engine.getHistory('lead', contactId, 1000);
	const sum = (changes: readonly ScoreChange[]) => changes.reduce((total, change) => total + change.delta, 0);

	it('recomputes every contact from its events under the rules being published, one change each with the versions it went between', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann'), opened('ann'), clicked('ann'), opened('bob'), clicked('cem')]);
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(10);
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 2 }, CLICKED] });
		now += 1000;

		const { profile, recalculation } = await engine.publishAndRecalculate('lead');

		expect(profile.version).toBe(2);
		expect(profile.recalculation).toBeUndefined();
		expect(recalculation).toEqual({ contactsRecalculated: 3, contactsChanged: 3, totalDelta: 4 - 3 + 10, fromVersion: 1, toVersion: 2, completed: true });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(14);
		expect((await engine.getContact('lead', 'bob'))?.score).toBe(2);
		expect((await engine.getContact('lead', 'cem'))?.score).toBe(10);
		const [latest, ...older] = await historyOf('ann');
		expect(latest).toMatchObject({ previousScore: 10, score: 14, delta: 4, cause: { kind: 'recalculation', fromVersion: 1, toVersion: 2 }, at: now });
		expect(sum([latest, ...older])).toBe(14);
		// What comes next is scored on the recalculated score.
		const [next] = await score([opened('bob')]);
		expect(next).toMatchObject({ previousScore: 2, score: 4 });
	});

	it('scores at the first publish everything recorded while the profile was a draft', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await score([opened('ann', 'e1'), opened('ann', 'e2'), opened('dan', 'e3')]);
		expect(await engine.getContact('lead', 'ann')).toBeUndefined();

		const { recalculation } = await engine.publishAndRecalculate('lead');

		expect(recalculation).toMatchObject({ contactsRecalculated: 2, contactsChanged: 2, totalDelta: 15 });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(10);
		expect(await historyOf('dan')).toEqual([expect.objectContaining({ previousScore: 0, score: 5, cause: { kind: 'recalculation', fromVersion: 0, toVersion: 1 } })]);
		// The recorded ids were counted: sending them again after the publish is a duplicate.
		const [again] = await score([opened('ann', 'e1')]);
		expect(again).toMatchObject({ duplicate: true, score: 10 });
	});

	it('leaves the scores as they are when told not to recalculate', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann')]);
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 50 }] });
		const { profile, recalculation } = await engine.publishAndRecalculate('lead', { recalculate: false });
		expect(recalculation).toBeUndefined();
		expect(profile.recalculation).toBeUndefined();
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(5);
	});

	it('changes nothing when a version is recalculated a second time, also for contacts scored after the publish', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann'), opened('bob'), clicked('bob')]);
		await engine.updateDraft('lead', { rules: [CLICKED, { ...OPENED, points: 2, counts: { times: 1, per: 'day' } }] });
		await engine.publish('lead');
		await score([opened('bob'), clicked('cem'), opened('cem')]);
		await engine.modifyScore('lead', { contactId: 'ann', operation: 'subtract', points: 1 });
		now += 1000;

		expect(await contactsARecalculationWouldChange(store, 'lead', now)).toEqual([]);
		// A marker of the same version again: the run finds every contact already at that version.
		const before = await Promise.all(['ann', 'bob', 'cem'].map(historyOf));
		await store.updateProfile('lead', (profile) => ({
			...profile,
			recalculation: { fromVersion: 2, toVersion: 2, startedAt: now, heartbeatAt: now },
		}));
		expect(await engine.resumeRecalculation('lead')).toMatchObject({ contactsChanged: 0, totalDelta: 0, completed: true });
		expect(await Promise.all(['ann', 'bob', 'cem'].map(historyOf))).toEqual(before);
		expect((await engine.getProfile('lead')).recalculation).toBeUndefined();
	});

	it('recalculates a contact a write touches while the recalculation is pending before scoring it, and the run then leaves it alone', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann'), opened('bob')]);
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 3 }] });
		// A publish whose recalculation has not run yet (the publishing process is busy, or crashed).
		await store.updateProfile('lead', (profile) => publishedForRecalculation(profile, now, true));

		const [event] = await score([opened('ann')]);
		const modified = await engine.modifyScore('lead', { contactId: 'bob', operation: 'add', points: 1 });

		expect(event).toMatchObject({ previousScore: 3, score: 6 });
		expect(modified).toMatchObject({ previousScore: 3, score: 4 });
		expect((await historyOf('ann')).map((change) => change.cause.kind)).toEqual(['event', 'recalculation', 'event']);
		const run = await engine.resumeRecalculation('lead');
		expect(run).toMatchObject({ contactsChanged: 0, completed: true });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(6);
		expect(sum(await historyOf('ann'))).toBe(6);
		expect((await store.getContact('lead', 'bob'))?.recalculatedVersion).toBe(2);
	});

	it('marks a contact first seen while a recalculation is pending as of the new version', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await store.updateProfile('lead', (profile) => publishedForRecalculation(profile, now, true));
		await score([opened('new')]);
		expect(await store.getContact('lead', 'new')).toMatchObject({ score: 5, recalculatedVersion: 2 });
	});

	it('shows a recalculation still to finish on the profile, and the next publish takes it over', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann')]);
		await store.updateProfile('lead', (profile) => publishedForRecalculation(profile, now, true));
		expect((await engine.getProfile('lead')).recalculation).toMatchObject({ fromVersion: 1, toVersion: 2 });
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 8 }] });

		const { profile, recalculation } = await engine.publishAndRecalculate('lead');

		expect(profile).toMatchObject({ version: 3 });
		expect(profile.recalculation).toBeUndefined();
		expect(recalculation).toMatchObject({ fromVersion: 2, toVersion: 3, contactsChanged: 1 });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(8);
	});

	it('resumes a recalculation from the timer only once no run moved it on for a while', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann')]);
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 8 }] });
		await store.updateProfile('lead', (profile) => publishedForRecalculation(profile, now, true));
		expect(await engine.resumeRecalculation('lead', { staleAfterMs: 30_000 })).toBeUndefined();
		now += 31_000;
		expect(await engine.resumeRecalculation('lead', { staleAfterMs: 30_000 })).toMatchObject({ contactsChanged: 1, completed: true });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(8);
	});

	it('replays manual changes, resets and decay runs in their place under the new rules', async () => {
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: [OPENED] });
		await engine.publish('lead');
		await score([opened('ann'), opened('ann')]);
		now += 1000;
		await engine.modifyScore('lead', { contactId: 'ann', operation: 'set', points: 100 });
		await score([opened('ann')]);
		now += 40 * DAY;
		await engine.applyDecay('lead', { mode: 'subtract', inactiveDays: 30, points: 10 });
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(95);
		await engine.updateDraft('lead', { rules: [{ ...OPENED, points: 1 }] });

		await engine.publish('lead');

		// set 100 holds whatever came before it; then +1 under the new rule, then the decay of 10.
		expect((await engine.getContact('lead', 'ann'))?.score).toBe(91);
		expect(sum(await historyOf('ann'))).toBe(91);
	});
});
