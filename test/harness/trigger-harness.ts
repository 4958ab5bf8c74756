/**
 * Runs trigger nodes the way n8n does, with n8n-core's own machinery:
 * - `activateTrigger`: production activation through `ActiveWorkflowTriggers` (what n8n uses when
 *   a workflow is published), each emit recorded; `deactivate()` removes the workflow's triggers,
 *   which calls the node's closeFunction.
 * - `listenForTestEvent`: the editor's "Listen for test event": a manual execution through
 *   `WorkflowExecute` that starts at the trigger node and completes with its first emit.
 */
import type {
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeType,
	IRun,
	WorkflowExecuteMode,
} from 'n8n-workflow';

// run-workflow points n8n-core at a temp user folder before n8n-core is first loaded.
import { credentialsHelperFor, type HarnessCredentialOptions } from './run-workflow';

import { Container } from '@n8n/di';
import {
	ActiveWorkflowTriggers,
	ExecutionLifecycleHooks,
	PollContext,
	TriggerContext,
	WorkflowExecute,
} from 'n8n-core';
import { Workflow } from 'n8n-workflow';

export interface TriggerNodeSpec extends HarnessCredentialOptions {
	readonly type: string;
	readonly nodeType: INodeType;
	readonly parameters: IDataObject;
	readonly workflowId: string;
	readonly nodeId?: string;
	readonly nodeName?: string;
	/** References to saved credentials (see run-workflow's `credentials`), e.g. { engagementScoreRedisApi: { id, name } }. */
	readonly nodeCredentials?: INodeCredentials;
}

export interface ActiveTrigger {
	/** Every emit so far: the JSON of the items of its first output. */
	readonly emits: IDataObject[][];
	/** Every emitted item, in order. */
	items(): IDataObject[];
	/** Resolves once at least `count` items were emitted in total; rejects after `timeoutMs`. */
	waitForItems(count: number, timeoutMs?: number): Promise<IDataObject[]>;
	/** Removes the workflow's triggers, as unpublishing it does. */
	deactivate(): Promise<void>;
}

const NODE_NAME = 'Score Trigger';

function workflowOf(spec: TriggerNodeSpec, active: boolean): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: spec.nodeId ?? 'trigger-node',
		name: spec.nodeName ?? NODE_NAME,
		type: spec.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: spec.parameters as INode['parameters'],
		...(spec.nodeCredentials ? { credentials: spec.nodeCredentials } : {}),
	};
	const nodeTypes = {
		getByName: () => spec.nodeType,
		getByNameAndVersion: () => spec.nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: spec.workflowId,
		name: `Workflow ${spec.workflowId}`,
		nodes: [node],
		connections: {},
		nodeTypes,
		active,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	return { workflow, node };
}

function additionalDataFor(
	mode: WorkflowExecuteMode,
	workflow: Workflow,
	executionId: string,
	credentials: HarnessCredentialOptions = {},
) {
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name ?? '',
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: workflow.active,
		settings: {},
	} as never);
	const unavailable = (what: string) => () => {
		throw new Error(`trigger harness: ${what} is not available`);
	};
	return {
		hooks,
		executionId,
		workflowId: workflow.id,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		logAiEvent() {},
		credentialsHelper: credentialsHelperFor(credentials.credentials, credentials.credentialTypes),
		executeWorkflow: unavailable('executeWorkflow'),
		getRunExecutionData: unavailable('getRunExecutionData'),
		getRuntimeCredential: unavailable('getRuntimeCredential'),
		startRunnerTask: unavailable('startRunnerTask'),
	} as never;
}

let executionCounter = 0;

/** Activates the trigger as a published workflow; rejects as n8n's activation would (WorkflowActivationError). */
export async function activateTrigger(spec: TriggerNodeSpec): Promise<ActiveTrigger> {
	const { workflow } = workflowOf(spec, true);
	const emits: IDataObject[][] = [];
	const errors: Error[] = [];
	let waiters: Array<() => void> = [];
	const items = () => emits.flat();

	const getTriggerFunctions = (
		wf: Workflow,
		node: INode,
		additionalData: never,
		mode: WorkflowExecuteMode,
		activation: never,
	) =>
		new TriggerContext(
			wf,
			node,
			additionalData,
			mode,
			activation,
			(data: INodeExecutionData[][]) => {
				emits.push((data[0] ?? []).map((item) => item.json));
				const current = waiters;
				waiters = [];
				for (const wake of current) wake();
			},
			(error: Error) => {
				errors.push(error);
			},
		);
	const getPollFunctions = (wf: Workflow, node: INode, additionalData: never, mode: WorkflowExecuteMode, activation: never) =>
		new PollContext(wf, node, additionalData, mode, activation);

	const activeTriggers = Container.get(ActiveWorkflowTriggers);
	await activeTriggers.addAllTriggers(
		spec.workflowId,
		workflow,
		additionalDataFor('trigger', workflow, String(++executionCounter), spec),
		'trigger',
		'activate',
		getTriggerFunctions as never,
		getPollFunctions as never,
	);

	return {
		emits,
		items,
		async waitForItems(count, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			while (items().length < count) {
				if (errors.length > 0) throw errors[0];
				const remaining = deadline - Date.now();
				if (remaining <= 0) {
					throw new Error(`Expected ${count} emitted items within ${timeoutMs} ms, got ${items().length}`);
				}
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, remaining);
					waiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			return items();
		},
		async deactivate() {
			await activeTriggers.remove(spec.workflowId);
		},
	};
}

export interface TestListen {
	/** The manual execution; settles once the trigger emitted (or failed). */
	readonly finished: Promise<IRun>;
	/** Cancels the execution if it is still waiting. */
	cancel(): void;
}

/** The editor's "Listen for test event": a manual execution starting at the trigger node. */
export function listenForTestEvent(spec: TriggerNodeSpec): TestListen {
	const { workflow, node } = workflowOf(spec, false);
	const execution = new WorkflowExecute(additionalDataFor('manual', workflow, String(++executionCounter), spec), 'manual');
	const run = execution.run({ workflow, startNode: node });
	return { finished: Promise.resolve(run), cancel: () => run.cancel() };
}

/** The JSON of the items a finished manual run's trigger node emitted. */
export function triggerOutput(run: IRun, nodeName = NODE_NAME): IDataObject[] {
	const taskRuns = run.data.resultData.runData[nodeName] ?? [];
	const main = taskRuns[taskRuns.length - 1]?.data?.main ?? [];
	return (main[0] ?? []).map((item) => item.json);
}
