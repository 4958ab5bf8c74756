/**
 * Runs trigger nodes the way n8n does, with n8n-core's own machinery:
 * - `activateTrigger`: production activation through `ActiveWorkflowTriggers` (what n8n uses when
 *   a workflow is published), each emit recorded; `deactivate()` removes the workflow's triggers,
 *   which calls the node's closeFunction.
 * - `listenForTestEvent`: the editor's "Listen for test event": a manual execution through
 *   `WorkflowExecute` that starts at the trigger node and completes with its first emit.
 * Plain JavaScript, like run-workflow.js, so that both jest tests and `bench/` (compiled node
 * classes from dist/) can use it; types are in trigger-harness.d.ts.
 */

// run-workflow points n8n-core at a temp user folder before n8n-core is first loaded.
const { credentialsHelperFor } = require('./run-workflow');

const { Container } = require('@n8n/di');
const { ActiveWorkflowTriggers, ExecutionLifecycleHooks, PollContext, TriggerContext, WorkflowExecute } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const NODE_NAME = 'Score Trigger';

function workflowOf(spec, active) {
	const node = {
		id: spec.nodeId ?? 'trigger-node',
		name: spec.nodeName ?? NODE_NAME,
		type: spec.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: spec.parameters,
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

function additionalDataFor(mode, workflow, executionId, credentials = {}) {
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name ?? '',
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: workflow.active,
		settings: {},
	});
	const unavailable = (what) => () => {
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
	};
}

let executionCounter = 0;

/** Activates the trigger as a published workflow; rejects as n8n's activation would (WorkflowActivationError). */
async function activateTrigger(spec) {
	const { workflow } = workflowOf(spec, true);
	const emits = [];
	const errors = [];
	let waiters = [];
	const items = () => emits.flat();

	const getTriggerFunctions = (wf, node, additionalData, mode, activation) =>
		new TriggerContext(
			wf,
			node,
			additionalData,
			mode,
			activation,
			(data) => {
				const emitted = (data[0] ?? []).map((item) => item.json);
				emits.push(emitted);
				spec.onEmit?.(emitted);
				const current = waiters;
				waiters = [];
				for (const wake of current) wake();
			},
			(error) => {
				errors.push(error);
			},
		);
	const getPollFunctions = (wf, node, additionalData, mode, activation) => new PollContext(wf, node, additionalData, mode, activation);

	const activeTriggers = Container.get(ActiveWorkflowTriggers);
	await activeTriggers.addAllTriggers(
		spec.workflowId,
		workflow,
		additionalDataFor('trigger', workflow, String(++executionCounter), spec),
		'trigger',
		'activate',
		getTriggerFunctions,
		getPollFunctions,
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
				await new Promise((resolve) => {
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

/** The editor's "Listen for test event": a manual execution starting at the trigger node. */
function listenForTestEvent(spec) {
	const { workflow, node } = workflowOf(spec, false);
	const execution = new WorkflowExecute(additionalDataFor('manual', workflow, String(++executionCounter), spec), 'manual');
	const run = execution.run({ workflow, startNode: node });
	return { finished: Promise.resolve(run), cancel: () => run.cancel() };
}

/** The JSON of the items a finished manual run's trigger node emitted. */
function triggerOutput(run, nodeName = NODE_NAME) {
	const taskRuns = run.data.resultData.runData[nodeName] ?? [];
	const main = taskRuns[taskRuns.length - 1]?.data?.main ?? [];
	return (main[0] ?? []).map((item) => item.json);
}

module.exports = { activateTrigger, listenForTestEvent, triggerOutput };
