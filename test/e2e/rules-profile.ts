/**
 * A second score profile for the live-n8n e2e, with issue 10's rule kinds: a rule that counts once
 * per day, points that expire seconds after the event, and a group with a maximum. Set up, and
 * watched by a trigger workflow, through workflows created over the editor's REST API.
 */
import type { LiveDemo } from './live-n8n';

export const RULES_PROFILE_ID = 'e2e-rules';
/** Seconds after its occurredAt that a booking's points leave the score (a fraction of a day). */
export const BOOKING_EXPIRES_AFTER_SECONDS = 8;
export const SALES_MAX = 30;
/** The trigger workflow fires when a score of the profile enters "< 20". */
export const DROP_THRESHOLD = 20;
export const DROP_NOTIFICATION_PATH = '/e2e-rules-drop';

const SETUP_PATH = 'engagement-score/e2e-rules-profile';

const RULES = [
	{
		id: 'daily-open',
		eventType: 'email_event',
		conditions: [{ property: 'event', operator: 'equals', value: 'opened' }],
		points: 5,
		counts: { times: 1, per: 'day' },
	},
	{ id: 'booking', eventType: 'appointment_booked', points: 30, expiresAfterDays: BOOKING_EXPIRES_AFTER_SECONDS / 86_400 },
	{ id: 'sales-call', eventType: 'call_logged', points: 20, group: 'Sales' },
];

function setupWorkflow() {
	return {
		id: 'EngScoreE2eRule1',
		name: 'Engagement Score e2e: set up a profile with limited, expiring and grouped rules',
		nodes: [
			{
				id: 'r1',
				name: 'Setup Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '6b1f0b8e-2d43-4b7a-9a51-0c6c1d6a00e1',
				parameters: { httpMethod: 'POST', path: SETUP_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'r2',
				name: 'Create Rules Profile',
				type: 'n8n-nodes-engagement-score.engagementScore',
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					resource: 'profile',
					operation: 'create',
					name: 'E2E Rules',
					newProfileId: RULES_PROFILE_ID,
					rulesSource: 'json',
					rulesJson: JSON.stringify(RULES),
					scoringSettings: { groupMax: { group: [{ name: 'Sales', max: SALES_MAX }] } },
					publish: true,
				},
			},
		],
		connections: { 'Setup Webhook': { main: [[{ node: 'Create Rules Profile', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function dropTriggerWorkflow(notifyUrl: string) {
	return {
		id: 'EngScoreE2eDrop1',
		name: 'Engagement Score e2e: notify when a score drops below 20',
		nodes: [
			{
				id: 'd1',
				name: 'Score Drops Below 20',
				type: 'n8n-nodes-engagement-score.engagementScoreChangeTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					profileId: { __rl: true, mode: 'id', value: RULES_PROFILE_ID },
					conditions: { condition: [{ operator: 'lt', value: DROP_THRESHOLD }] },
					combinator: 'and',
					mode: 'enter',
				},
			},
			{
				id: 'd2',
				name: 'Notify',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: { method: 'POST', url: notifyUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
			},
		],
		connections: { 'Score Drops Below 20': { main: [[{ node: 'Notify', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Creates the profile through its setup workflow, then publishes the trigger workflow watching it. */
export async function setUpRulesProfile(demo: LiveDemo): Promise<Record<string, unknown>> {
	const setup = await demo.client.createWorkflow(setupWorkflow());
	await demo.client.publishWorkflow(setup.id, setup.versionId);
	await demo.client.waitUntilPublished(setup.id, setup.versionId);
	const response = await fetch(`${demo.baseUrl}/webhook/${SETUP_PATH}`, { method: 'POST' });
	const profile = (await response.json()) as Record<string, unknown>;
	const notifyUrl = new URL(DROP_NOTIFICATION_PATH, demo.sink.url).toString();
	const trigger = await demo.client.createWorkflow(dropTriggerWorkflow(notifyUrl));
	await demo.client.publishWorkflow(trigger.id, trigger.versionId);
	await demo.client.waitUntilPublished(trigger.id, trigger.versionId);
	return profile;
}
