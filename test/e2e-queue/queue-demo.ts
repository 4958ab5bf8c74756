/**
 * The demo workflows of examples/ on n8n in queue mode: one main and two `n8n worker` processes on
 * PostgreSQL, one real redis-server as n8n's Bull queue (database 0) and as the score store
 * (database 1, through the package's Redis credential), every Engagement Score node switched to
 * the Redis store. Beside them, a batch variant of the score webhook workflow (see
 * batchScoreWorkflow). Everything started here is stopped by its pid in close(), also after a
 * failure; the scratch folder with every n8n process's log is kept when asked to.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';

import { RedisStore } from '../../src/stores/redis/redis-store';
import { RedisTestServer } from '../helpers/redis-server';

/* eslint-disable @typescript-eslint/no-require-imports */
const { ensureRuntime } = require('../../scripts/lib/runtime') as {
	ensureRuntime(log: (line: string) => void): Promise<Runtime>;
};
const queueMode = require('../../scripts/lib/queue-mode') as {
	startPostgres(options: { log: (line: string) => void }): Promise<Postgres>;
	startQueueCluster(runtime: Runtime, options: Record<string, unknown>): Promise<Cluster>;
	redisCredentialData(settings: { host: string; port: number; database: number }): Record<string, unknown>;
	withRedisStore(workflow: Workflow, credential: { id: string; name: string }): Workflow;
	REDIS_CREDENTIAL_TYPE: string;
};
const { startNotificationSink } = require('../../scripts/lib/notification-sink') as {
	startNotificationSink(): Promise<NotificationSink>;
};
const { N8nRestClient } = require('../../scripts/lib/n8n-rest') as { N8nRestClient: new (baseUrl: string) => RestClient };
const { installDemoWorkflows, webhookPaths, DATA_TABLE_WORKFLOW_ID } = require('../../scripts/lib/demo') as {
	installDemoWorkflows(client: RestClient, baseUrl: string, options: Record<string, unknown>): Promise<string[]>;
	webhookPaths: { scoreEvent: string; topContacts: string; adjust: string };
	DATA_TABLE_WORKFLOW_ID: string;
};
const { scratchDir, examplesDir } = require('../../scripts/lib/paths') as { scratchDir: string; examplesDir: string };
const { OWNER } = require('../../scripts/lib/live-demo') as { OWNER: Record<string, string> };
/* eslint-enable @typescript-eslint/no-require-imports */

export { webhookPaths };
export const TRIGGER_WORKFLOW_ID = 'EngScoreHotLead1';
export const TRIGGER_NODE_NAME = 'Score Reaches 50';
/** Bull keeps n8n's queue in database 0; the scores live in database 1 of the same server. */
export const SCORE_DATABASE = 1;
/** The batch variant of examples/1-score-events-webhook.json (see batchScoreWorkflow). */
export const BATCH_WORKFLOW_ID = 'EngScoreBatchE2e';
export const BATCH_WEBHOOK_PATH = 'engagement-score/events';

interface Runtime {
	readonly nodeBinary: string;
	readonly n8nBin: string;
	readonly n8nModules: string;
}

interface Postgres {
	readonly pid: number;
	readonly port: number;
	stop(): Promise<void>;
}

export interface N8nProcess {
	readonly name?: string;
	readonly pid: number;
	readonly logFile: string;
	stop(): Promise<void>;
}

export interface Worker extends N8nProcess {
	readonly name: string;
	isRunning(): boolean;
	/** SIGKILL to the worker's process group: a crash, no graceful shutdown. */
	kill(): Promise<void>;
}

interface Cluster {
	readonly main: N8nProcess & { readonly baseUrl: string };
	readonly workers: Worker[];
	startWorker(name: string): Promise<Worker>;
	stop(): Promise<void>;
}

export interface Notification {
	readonly at: number;
	readonly body: Record<string, unknown>;
}

interface NotificationSink {
	readonly url: string;
	readonly received: Notification[];
	waitFor(predicate: (received: Notification[]) => boolean, timeoutMs?: number): Promise<Notification[]>;
	close(): Promise<void>;
}

interface WorkflowNode {
	readonly name: string;
	readonly type: string;
	parameters: Record<string, unknown>;
	position: [number, number];
	[field: string]: unknown;
}

interface Workflow {
	id: string;
	name: string;
	settings?: Record<string, unknown>;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

export interface ExecutionSummary {
	readonly id: string;
	readonly status: string;
	readonly mode: string;
}

interface RestClient {
	ensureOwner(owner: Record<string, string>): Promise<void>;
	createWorkflow(workflow: Workflow): Promise<{ id: string; versionId: string }>;
	publishWorkflow(id: string, versionId: string): Promise<unknown>;
	waitUntilPublished(id: string, versionId: string): Promise<unknown>;
	createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string }>;
	/** Every execution of the workflow once (call it when all have started: see n8n-rest.js). */
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	countExecutions(workflowId: string, statuses?: string[]): Promise<number>;
	getExecution(id: string): Promise<{ id: string; status: string; data: string }>;
}

export interface QueueDemo {
	readonly baseUrl: string;
	readonly redis: RedisTestServer;
	readonly cluster: Cluster;
	readonly sink: NotificationSink;
	readonly client: RestClient;
	/** The package's own RedisStore on the score database, to read scores and the change log back. */
	readonly store: RedisStore;
	/** Parses the `data` of an execution as n8n serialised it (flatted, from the runtime n8n itself uses). */
	parseExecutionData(data: string): Record<string, unknown>;
	/** Stops every process by its pid; removes the scratch folders unless `keep`. */
	close(keep: boolean): Promise<void>;
	readonly folder: string;
}

/** Boots the whole setup; on failure stops what was already started and rethrows. */
export async function bootQueueDemo(log: (line: string) => void): Promise<QueueDemo> {
	const runtime = await ensureRuntime(log);
	mkdirSync(scratchDir, { recursive: true });
	const folder = mkdtempSync(join(scratchDir, 'queue-'));
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch((error) => log(`  cleanup failed: ${String(error)}`));
		stops.length = 0;
	};
	try {
		const redis = await RedisTestServer.start();
		stops.push(() => redis.destroy());
		log(`  redis-server (pid ${redis.pid}) on ${redis.host}:${redis.port}`);
		const postgres = await queueMode.startPostgres({ log });
		stops.push(() => postgres.stop());
		const sink = await startNotificationSink();
		stops.push(() => sink.close());
		const cluster = await queueMode.startQueueCluster(runtime, {
			baseFolder: folder,
			redis: { host: redis.host, port: redis.port, queueDatabase: 0 },
			postgres,
			workers: 2,
			log,
			extraEnv: {
				// 20,000 webhook executions: keep only what the test inspects (the trigger workflow
				// saves its own executions through its workflow settings below).
				EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
				EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
				EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
				N8N_LOG_LEVEL: 'warn',
			},
		});
		stops.push(() => cluster.stop());

		const client = new N8nRestClient(cluster.main.baseUrl);
		await client.ensureOwner(OWNER);
		const credential = await client.createCredential({
			name: 'Engagement Score Redis (e2e)',
			type: queueMode.REDIS_CREDENTIAL_TYPE,
			data: queueMode.redisCredentialData({ host: redis.host, port: redis.port, database: SCORE_DATABASE }),
		});
		await installDemoWorkflows(client, cluster.main.baseUrl, {
			notifyUrl: sink.url,
			// Its executions (one per batch of score changes) would compete on the workers with the
			// trigger executions this test waits for; the live e2e covers the Data Table demo.
			skip: [DATA_TABLE_WORKFLOW_ID],
			log,
			transform: (workflow: Workflow) => {
				const switched = queueMode.withRedisStore(workflow, credential);
				if (switched.id === TRIGGER_WORKFLOW_ID) {
					switched.settings = { ...switched.settings, saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' };
				}
				return switched;
			},
		});
		const batch = queueMode.withRedisStore(batchScoreWorkflow(), credential);
		const saved = await client.createWorkflow(batch);
		await client.publishWorkflow(saved.id, saved.versionId);
		await client.waitUntilPublished(saved.id, saved.versionId);
		log(`  published "${batch.name}" (POST /webhook/${BATCH_WEBHOOK_PATH})`);

		const connection = new Redis({ host: redis.host, port: redis.port, db: SCORE_DATABASE, lazyConnect: true });
		await connection.connect();
		// The credential's default key prefix, as the nodes use it.
		const store = new RedisStore(connection, { location: `redis://${redis.host}:${redis.port}/${SCORE_DATABASE}` });
		stops.push(async () => {
			await store.close().catch(() => undefined);
			connection.disconnect();
		});
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const flatted = require(join(runtime.n8nModules, 'flatted')) as { parse(text: string): Record<string, unknown> };
		return {
			baseUrl: cluster.main.baseUrl,
			redis,
			cluster,
			sink,
			client,
			store,
			folder,
			parseExecutionData: (data) => flatted.parse(data),
			async close(keep) {
				await stopAll();
				if (!keep) rmSync(folder, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await stopAll();
		log(`queue-mode e2e folder kept for inspection (n8n logs): ${folder}`);
		throw error;
	}
}

/**
 * examples/1-score-events-webhook.json for an event source that posts events in batches: the same
 * nodes, plus a Split Out step that turns the posted JSON array into one item per event (each as
 * `body`, so Score Event's expressions read it as they read a single event), and the response
 * listing every item's result in order. Score Event scores all items of an execution in one store
 * call, as it does for any multi-item input.
 */
export function batchScoreWorkflow(): Workflow {
	const workflow = JSON.parse(readFileSync(join(examplesDir, '1-score-events-webhook.json'), 'utf8')) as Workflow;
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	const respond = workflow.nodes.find((node) => node.name === 'Respond With Score');
	if (!webhook || !respond || !workflow.connections[webhook.name]) throw new Error('examples/1-score-events-webhook.json changed shape');
	const firstStep = workflow.connections[webhook.name].main[0][0].node;
	workflow.id = BATCH_WORKFLOW_ID;
	workflow.name = 'Engagement Score e2e: score a batch of events from a webhook';
	webhook.parameters = { ...webhook.parameters, path: BATCH_WEBHOOK_PATH };
	webhook.webhookId = '6b1f0b8e-2d43-4b7a-9a51-0c6c1d6a00b1';
	respond.parameters = { ...respond.parameters, respondWith: 'allIncomingItems' };
	delete respond.parameters.responseBody;
	const split: WorkflowNode = {
		id: 'b1',
		name: 'Split Out Events',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [130, 0],
		parameters: { fieldToSplitOut: 'body', include: 'noOtherFields', options: { destinationFieldName: 'body' } },
	};
	workflow.nodes.push(split);
	workflow.connections[webhook.name] = { main: [[{ node: split.name, type: 'main', index: 0 }]] };
	workflow.connections[split.name] = { main: [[{ node: firstStep, type: 'main', index: 0 }]] };
	return workflow;
}
