/**
 * Typed access to the live-n8n tooling in scripts/lib (plain JavaScript, shared with `npm start`
 * and bench/e2e.js).
 */
export interface HttpResult {
	readonly status: number;
	readonly body: Record<string, unknown>;
	readonly receivedAt: number;
}

export interface Notification {
	readonly at: number;
	readonly path: string;
	readonly body: Record<string, unknown>;
}

export interface NotificationSink {
	readonly url: string;
	readonly received: Notification[];
	waitFor(predicate: (received: Notification[]) => boolean, timeoutMs?: number): Promise<Notification[]>;
}

export interface N8nHandle {
	readonly pid: number;
	readonly baseUrl: string;
	readonly logFile: string;
}

export interface DataTable {
	readonly id: string;
	readonly name: string;
	readonly columns: ReadonlyArray<{ name: string; type: string }>;
}

/** The calls of n8n's REST API (scripts/lib/n8n-rest.js) the e2e test reads back with. */
export interface N8nRestClient {
	personalProjectId(): Promise<string>;
	findDataTable(name: string): Promise<DataTable | undefined>;
	dataTableRows(projectId: string, dataTableId: string): Promise<Array<Record<string, unknown>>>;
	listExecutions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
	createWorkflow(workflow: object): Promise<{ id: string; versionId: string }>;
	publishWorkflow(id: string, versionId: string): Promise<unknown>;
	waitUntilPublished(id: string, versionId?: string, timeoutMs?: number): Promise<unknown>;
}

export interface LiveDemo {
	readonly userFolder: string;
	readonly client: N8nRestClient;
	readonly sink: NotificationSink;
	readonly n8n: N8nHandle;
	readonly baseUrl: string;
	restart(): Promise<void>;
	close(): Promise<void>;
	removeUserFolder(): void;
	scoreEvent(event: Record<string, unknown>): Promise<HttpResult>;
	adjust(body: Record<string, unknown>): Promise<HttpResult>;
	topContacts(limit?: number, profileId?: string): Promise<HttpResult>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const liveDemo = require('../../scripts/lib/live-demo') as {
	/** skipWorkflows: ids of the example workflows not to install. */
	bootDemo(options?: { log?: (line: string) => void; skipWorkflows?: readonly string[] }): Promise<LiveDemo>;
};

export const bootDemo = liveDemo.bootDemo;

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { SCORES_DATA_TABLE } = require('../../scripts/lib/demo') as {
	SCORES_DATA_TABLE: { name: string; columns: ReadonlyArray<{ name: string; type: string }> };
};

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
