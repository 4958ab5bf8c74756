/**
 * Issue 11's profile operations as a user wires them in n8n: one workflow of webhooks, each running
 * one Engagement Score operation on the profile "e2e-journal" (create as a draft, update the draft,
 * preview it, publish with recalculation, explain a score, read a history), and two trigger
 * workflows on every score change of it, one with Include Recalculations on and one with it off.
 */
import type { LiveDemo } from './live-n8n';

export const JOURNAL_PROFILE_ID = 'e2e-journal';
/** Where each trigger workflow posts its firings on the test's sink. */
export const WITH_RECALCULATIONS_PATH = '/e2e-journal-with-recalculations';
export const WITHOUT_RECALCULATIONS_PATH = '/e2e-journal-without-recalculations';

export const DRAFT_RULES = [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
	{ id: 'booked', eventType: 'appointment_booked', points: 20 },
];
/** The changed rule of the second draft: an open is worth 2 instead of 5. */
export const CHANGED_RULE = { ...DRAFT_RULES[0], points: 2 };

const PROFILE = { profileId: { __rl: true, mode: 'id', value: JOURNAL_PROFILE_ID } };

/** Each operation: its webhook path under engagement-score/e2e-journal/ and the node's parameters. */
const OPERATIONS = {
	create: {
		resource: 'profile',
		operation: 'create',
		name: 'E2E Journal',
		newProfileId: JOURNAL_PROFILE_ID,
		rulesSource: 'json',
		rulesJson: JSON.stringify(DRAFT_RULES),
		publish: false,
	},
	updateDraft: {
		resource: 'profile',
		operation: 'updateDraft',
		...PROFILE,
		rulesSource: 'json',
		rulesEditMode: 'update',
		rulesJson: JSON.stringify([CHANGED_RULE]),
	},
	previewDraft: { resource: 'profile', operation: 'previewDraft', ...PROFILE, limit: 50, thresholds: '={{ $json.body.thresholds }}' },
	publish: { resource: 'profile', operation: 'publish', ...PROFILE, recalculate: true },
	explainScore: { resource: 'contact', operation: 'explainScore', ...PROFILE, contactId: '={{ $json.body.contactId }}' },
	getHistory: { resource: 'contact', operation: 'getHistory', ...PROFILE, contactId: '={{ $json.body.contactId }}', returnAll: true },
} as const;

export type JournalOperation = keyof typeof OPERATIONS;

const webhookPath = (operation: JournalOperation) => `engagement-score/e2e-journal/${operation}`;

function operationsWorkflow() {
	const nodes: object[] = [];
	const connections: Record<string, object> = {};
	Object.entries(OPERATIONS).forEach(([operation, parameters], index) => {
		const webhookName = `${operation} Webhook`;
		const nodeName = `${operation} Profile`;
		nodes.push(
			{
				id: `j${index}w`,
				name: webhookName,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, index * 200],
				webhookId: `7d2c4a10-0e6b-4f5e-9c1a-3b8e5f0a10${String(index).padStart(2, '0')}`,
				// Every item of the operation's output, as a JSON array.
				parameters: { httpMethod: 'POST', path: webhookPath(operation as JournalOperation), responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: `j${index}n`,
				name: nodeName,
				type: 'n8n-nodes-engagement-score.engagementScore',
				typeVersion: 1.1,
				position: [260, index * 200],
				parameters,
			},
		);
		connections[webhookName] = { main: [[{ node: nodeName, type: 'main', index: 0 }]] };
	});
	return {
		id: 'EngScoreE2eJrnl1',
		name: 'Engagement Score e2e: draft, preview, publish with recalculation, explain',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function everyChangeTriggerWorkflow(id: string, includeRecalculations: boolean, notifyUrl: string) {
	return {
		id,
		name: `Engagement Score e2e: every change of ${JOURNAL_PROFILE_ID}, recalculations ${includeRecalculations ? 'included' : 'left out'}`,
		nodes: [
			{
				id: 't1',
				name: 'Every Score Change',
				type: 'n8n-nodes-engagement-score.engagementScoreChangeTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					...PROFILE,
					conditions: { condition: [{ operator: 'gte', value: 0 }, { operator: 'lt', value: 0 }] },
					combinator: 'or',
					mode: 'everyChange',
					options: { includeRecalculations },
				},
			},
			{
				id: 't2',
				name: 'Notify',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: { method: 'POST', url: notifyUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
			},
		],
		connections: { 'Every Score Change': { main: [[{ node: 'Notify', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

async function createAndPublish(demo: LiveDemo, workflow: { id: string }): Promise<void> {
	const saved = await demo.client.createWorkflow(workflow);
	await demo.client.publishWorkflow(saved.id, saved.versionId);
	await demo.client.waitUntilPublished(saved.id, saved.versionId);
}

export interface JournalWorkflows {
	/** Runs one operation through its webhook; the body is every item the node output. */
	run(operation: JournalOperation, body?: Record<string, unknown>): Promise<{ status: number; items: Array<Record<string, unknown>> }>;
	/** Publishes the two trigger workflows (the profile must exist). */
	activateTriggers(): Promise<void>;
}

export async function installJournalWorkflows(demo: LiveDemo): Promise<JournalWorkflows> {
	await createAndPublish(demo, operationsWorkflow());
	return {
		async run(operation, body = {}) {
			const response = await fetch(`${demo.baseUrl}/webhook/${webhookPath(operation)}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			const json = (await response.json()) as unknown;
			return { status: response.status, items: Array.isArray(json) ? json : [json as Record<string, unknown>] };
		},
		async activateTriggers() {
			const url = (path: string) => new URL(path, demo.sink.url).toString();
			await createAndPublish(demo, everyChangeTriggerWorkflow('EngScoreE2eJrnlT1', true, url(WITH_RECALCULATIONS_PATH)));
			await createAndPublish(demo, everyChangeTriggerWorkflow('EngScoreE2eJrnlT2', false, url(WITHOUT_RECALCULATIONS_PATH)));
		},
	};
}
