/**
 * Issue 10 in the nodes, through n8n-core's execution engine on a real SQLite file: the rule
 * editor's counts / period / expiry / group, the profile's limits and time zone, and the outputs
 * limitedRuleIds, groups and topGroup.
 */
import { contactScore, profileLocator, runEngagementScore, scoreEvents, sqliteStoreIn, tempFolder, type TestStore } from '../harness/engagement-score-nodes';

const folder = tempFolder('scoring-rules-nodes-');
afterAll(() => folder.cleanup());
let store: TestStore;
let files = 0;
beforeEach(() => {
	store = sqliteStoreIn(folder.path, `rules-${++files}.sqlite`);
});

const editorRules = {
	rule: [
		{ eventType: 'custom', customEventType: 'webinar_attended', points: 10, id: 'webinar', counts: 'once', group: 'Events' },
		{ eventType: 'email_event', points: 4, id: 'opened', counts: 'perPeriod', times: 2, period: 'day', group: 'Email' },
		{ eventType: 'appointment_booked', points: 30, id: 'demo', expiresAfterDays: 7, group: 'Sales' },
		{ eventType: 'form_submitted', points: 5, id: 'form', counts: 'perPeriod', times: 1, period: 'rollingDays', periodDays: 30 },
	],
};

async function createLimitedProfile(settings: Record<string, unknown> = {}) {
	return await runEngagementScore(store, {
		resource: 'profile',
		operation: 'create',
		name: 'Lead',
		newProfileId: 'lead',
		rulesSource: 'fields',
		rules: editorRules,
		scoringSettings: { maxScore: 100, groupMax: { group: [{ name: 'Email', max: 6 }] }, timeZone: 'Europe/Berlin', ...settings },
		publish: true,
	});
}

test('the rule editor and Limits and Time Zone become rules and settings, live from publish', async () => {
	const run = await createLimitedProfile();
	expect(run.error).toBeUndefined();
	const profile = run.json[0];
	expect(profile.publishedRules).toEqual([
		{ id: 'webinar', eventType: 'webinar_attended', conditions: [], points: 10, counts: { times: 1, per: 'contact' }, group: 'Events' },
		{ id: 'opened', eventType: 'email_event', conditions: [], points: 4, counts: { times: 2, per: 'day' }, group: 'Email' },
		{ id: 'demo', eventType: 'appointment_booked', conditions: [], points: 30, expiresAfterDays: 7, group: 'Sales' },
		{ id: 'form', eventType: 'form_submitted', conditions: [], points: 5, counts: { times: 1, per: 'rollingDays', days: 30 } },
	]);
	expect(profile.publishedSettings).toEqual({ limits: { max: 100, groupMax: { Email: 6 } }, timeZone: 'Europe/Berlin' });
	expect(profile.draftSettings).toEqual(profile.publishedSettings);
});

test('Score Event lists the rules a limit held back; Contact Get shows the groups and the top group', async () => {
	expect((await createLimitedProfile()).error).toBeUndefined();
	const at = '2026-03-02T10:00:00.000Z';
	const run = await scoreEvents(store, 'lead', [
		{ contactId: 'ann', type: 'webinar_attended', occurredAt: at },
		{ contactId: 'ann', type: 'webinar_attended', occurredAt: at },
		{ contactId: 'ann', type: 'email_event', occurredAt: at },
		{ contactId: 'ann', type: 'email_event', occurredAt: at },
		{ contactId: 'ann', type: 'email_event', occurredAt: at },
	]);
	expect(run.error).toBeUndefined();
	expect(run.json.map((item) => [item.delta, item.limitedRuleIds])).toEqual([
		[10, []],
		[0, ['webinar']],
		[4, []],
		[2, []], // the Email group's maximum of 6
		[0, ['opened']],
	]);
	const contact = await runEngagementScore(store, { resource: 'contact', operation: 'get', profileId: profileLocator('lead'), contactId: 'ann' });
	expect(contact.json[0]).toMatchObject({ score: 16, groups: { Events: 10, Email: 6 }, topGroup: 'Events' });
	expect(await contactScore(store, 'lead', 'ann')).toBe(16);
	const plain = await scoreEvents(store, 'lead', [{ contactId: 'bob', type: 'form_submitted' }]);
	expect(plain.json[0]).toMatchObject({ delta: 5, limitedRuleIds: [] });
	const bob = await runEngagementScore(store, { resource: 'contact', operation: 'get', profileId: profileLocator('lead'), contactId: 'bob' });
	expect(bob.json[0]).toMatchObject({ score: 5, groups: {}, topGroup: null });
});

test('bad limits, time zones and rule counts are errors naming the field by its label', async () => {
	const badZone = await createLimitedProfile({ timeZone: 'Mars/Olympus' });
	expect(badZone.error?.message).toBe('Item 0: Time Zone: Unknown time zone "Mars/Olympus" (use an IANA name such as "Europe/Berlin")');
	const badLimits = await createLimitedProfile({ minScore: 50, maxScore: 10 });
	expect(badLimits.error?.message).toBe('Item 0: Minimum Score: The minimum score is above the maximum score');
	const badTimes = await runEngagementScore(store, {
		resource: 'profile',
		operation: 'create',
		name: 'Other',
		rulesSource: 'fields',
		rules: { rule: [{ eventType: 'email_event', points: 1, counts: 'perPeriod', times: 0, period: 'day' }] },
	});
	expect(badTimes.error?.message).toMatch(/^Item 0: Rules › rules\[0\]\.counts\.times: Must be a whole number of at least 1/);
	expect((await createLimitedProfile()).error).toBeUndefined();
	const update = await runEngagementScore(store, {
		resource: 'profile',
		operation: 'updateDraft',
		profileId: profileLocator('lead'),
		rulesSource: 'keep',
		scoringSettings: { minScore: 50, maxScore: 10 },
	});
	expect(update.error?.message).toBe('Item 0: Minimum Score: The minimum score is above the maximum score');
	const kept = await runEngagementScore(store, { resource: 'profile', operation: 'get', profileId: profileLocator('lead') });
	expect(kept.json[0].draftSettings).toEqual({ limits: { max: 100, groupMax: { Email: 6 } }, timeZone: 'Europe/Berlin' });
});
