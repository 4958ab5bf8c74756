import { InvalidInputError } from '../../src/errors';
import { hasUnpublishedChanges, newProfile, published, slugOf, unpublished, withDraft } from '../../src/profile';

const T0 = 1_700_000_000_000;

describe('profile lifecycle', () => {
	const draft = newProfile({ name: 'Lead Engagement Score', description: 'Sales', rules: [{ eventType: 'email_event', points: 5 }] }, T0);

	it('starts as an unpublished draft whose id is a slug of the name', () => {
		expect(draft).toEqual({
			id: 'lead-engagement-score',
			name: 'Lead Engagement Score',
			description: 'Sales',
			status: 'draft',
			draftRules: [{ id: 'rule-1', eventType: 'email_event', conditions: [], points: 5 }],
			version: 0,
			createdAt: T0,
			updatedAt: T0,
		});
		expect(draft.publishedRules).toBeUndefined();
		expect(hasUnpublishedChanges(draft)).toBe(true);
	});

	it('slugs accents and non-Latin names, and keeps a given id', () => {
		expect(slugOf('  Café  Öko—Score! ')).toBe('cafe-oko-score');
		expect(slugOf('Оценка 2')).toBe('оценка-2');
		expect(newProfile({ id: ' my-id ', name: 'X' }, T0).id).toBe('my-id');
		expect(newProfile({ id: '__proto__', name: 'X' }, T0).id).toBe('__proto__');
		expect(() => newProfile({ name: '!!!' }, T0)).toThrow(InvalidInputError);
		expect(() => newProfile({ name: '  ' }, T0)).toThrow(expect.objectContaining({ field: 'name' }));
		expect(() => newProfile({ name: 'A', rules: [{ points: 1 }] }, T0)).toThrow(expect.objectContaining({ field: 'rules[0].eventType' }));
	});

	it('publishing makes the draft rules live as a new version; publishing zero rules is allowed', () => {
		const live = published(draft, T0 + 1);
		expect(live).toMatchObject({ status: 'published', version: 1, publishedAt: T0 + 1, updatedAt: T0 + 1 });
		expect(live.publishedRules).toEqual(draft.draftRules);
		expect(hasUnpublishedChanges(live)).toBe(false);
		const empty = published(newProfile({ name: 'Empty' }, T0), T0);
		expect(empty).toMatchObject({ status: 'published', version: 1, publishedRules: [] });
	});

	it('editing changes only the draft: the published rules keep scoring until the next publish', () => {
		const live = published(draft, T0 + 1);
		const edited = withDraft(live, { rules: [{ eventType: 'email_event', points: 50 }], name: 'Renamed' }, T0 + 2);
		expect(edited.status).toBe('published');
		expect(edited.version).toBe(1);
		expect(edited.publishedRules?.[0].points).toBe(5);
		expect(edited.draftRules[0].points).toBe(50);
		expect(edited.name).toBe('Renamed');
		expect(edited.description).toBe('Sales');
		expect(hasUnpublishedChanges(edited)).toBe(true);
		const republished = published(edited, T0 + 3);
		expect(republished.version).toBe(2);
		expect(republished.publishedRules?.[0].points).toBe(50);
		expect(live.publishedRules?.[0].points).toBe(5);
	});

	it('unpublishing returns to draft and keeps the last published rules; on a draft it is a no-op', () => {
		const live = published(draft, T0 + 1);
		const back = unpublished(live, T0 + 5);
		expect(back).toMatchObject({ status: 'draft', version: 1, updatedAt: T0 + 5 });
		expect(back.publishedRules).toEqual(live.publishedRules);
		expect(unpublished(draft, T0 + 9)).toBe(draft);
	});

	it('rejects malformed edits with the field', () => {
		expect(() => withDraft(draft, { name: '' }, T0)).toThrow(expect.objectContaining({ field: 'name' }));
		expect(() => withDraft(draft, { rules: '[oops' }, T0)).toThrow(expect.objectContaining({ field: 'rules' }));
		expect(() => withDraft(draft, { description: 3 as unknown as string }, T0)).toThrow(expect.objectContaining({ field: 'description' }));
	});

	it('keeps limits and time zone in the draft until publish, and counts them as unpublished changes', () => {
		const limited = newProfile({ name: 'Capped', limits: { min: '0', max: 100, groupMax: { Email: 30 } }, timeZone: 'Europe/Berlin' }, T0);
		expect(limited.draftSettings).toEqual({ limits: { min: 0, max: 100, groupMax: { Email: 30 } }, timeZone: 'Europe/Berlin' });
		const live = published(limited, T0 + 1);
		expect(live.publishedSettings).toEqual(limited.draftSettings);
		expect(hasUnpublishedChanges(live)).toBe(false);
		const edited = withDraft(live, { limits: { max: 50 } }, T0 + 2);
		expect(edited.draftSettings).toEqual({ limits: { max: 50 }, timeZone: 'Europe/Berlin' });
		expect(edited.publishedSettings).toEqual(live.publishedSettings);
		expect(hasUnpublishedChanges(edited)).toBe(true);
		const cleared = published(withDraft(edited, { limits: null, timeZone: '' }, T0 + 3), T0 + 4);
		expect(cleared.draftSettings).toBeUndefined();
		expect(cleared.publishedSettings).toBeUndefined();
	});

	it('leaves a profile without limits or time zone exactly as before', () => {
		expect(Object.keys(published(draft, T0 + 1))).not.toContain('publishedSettings');
		expect(Object.keys(withDraft(draft, { name: 'Renamed' }, T0 + 1))).not.toContain('draftSettings');
	});

	it('rejects bad limits and unknown time zones with the field', () => {
		const create = (extra: Record<string, unknown>) => () => newProfile({ name: 'X', ...extra }, T0);
		expect(create({ limits: { min: 10, max: 5 } })).toThrow(expect.objectContaining({ field: 'limits.min' }));
		expect(create({ limits: { max: 'lots' } })).toThrow(expect.objectContaining({ field: 'limits.max' }));
		expect(create({ limits: { groupMax: { Email: 'x' } } })).toThrow(expect.objectContaining({ field: 'limits.groupMax.Email' }));
		expect(create({ limits: [1] })).toThrow(expect.objectContaining({ field: 'limits' }));
		expect(create({ timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ field: 'timeZone' }));
	});
});
