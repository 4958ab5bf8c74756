/**
 * Runs REAL workflows through n8n-core's execution engine (WorkflowExecute + a real Workflow from
 * n8n-workflow + n8n's own node execution contexts), the way n8n runs them, minus the server.
 * Plain JavaScript so that both jest tests (TypeScript node classes) and `bench/` (compiled
 * classes from dist/) can use it; types are in run-workflow.d.ts.
 *
 * Usage:
 *   const { runWorkflow, START_NODE_NAME } = require('../harness/run-workflow');
 *   const result = await runWorkflow({
 *     nodeTypes: { 'n8n-nodes-engagement-score.engagementScore': new EngagementScore() },
 *     nodes: [{ name: 'Score', type: 'n8n-nodes-engagement-score.engagementScore', typeVersion: 1,
 *               parameters: { ... }, continueOnFail: false }],
 *     items: [{ json: { contactId: 'c1' } }],   // what the start node emits
 *     // optional:
 *     connections,        // n8n connections; default: Start -> nodes[0] -> nodes[1] -> ...
 *     staticData,         // the workflow's static data object; nodes mutate it in place
 *     mode: 'manual',     // WorkflowExecuteMode ('trigger', 'webhook' = production runs)
 *   });
 *   result.output('Score')   // items of the node's first main output (last run), [] if none
 *   result.outputs           // { [nodeName]: INodeExecutionData[][] } all outputs of the last run
 *   result.error             // the execution's error as n8n records it (a plain copy of the node's
 *                            // error: name 'NodeOperationError', message, context.itemIndex, node), or undefined
 *   result.run               // the full IRun
 *
 *   await callNodeMethod({ nodeTypes, node, kind: 'listSearch', method: 'searchProfiles', args: ['lead'] })
 *     // runs a node's listSearch / loadOptions method in n8n-core's LoadOptionsContext
 *
 * Credentials: pass `credentials` (saved credentials: { id, name, type, data }) and optionally
 * `credentialTypes` (ICredentialType instances, whose property defaults fill in what `data` leaves
 * out, as n8n does); a node references one as in a saved workflow:
 *   nodes: [{ ..., credentials: { engagementScoreRedisApi: { id: 'redis-1', name: 'Redis' } } }]
 * n8n-core's own getCredentials checks the node's credential description (type listed, shown for
 * the current parameters, set on the node) before it asks the harness for the data.
 *
 *   await testCredential({ nodeTypes, credential: { id, name, type, data } })
 *     // runs the credential test a node declares with `testedBy`, as the editor's "Test" button does
 *
 * The start node ("Start", type `harness.start`) is added automatically: a manual-trigger-like
 * node without inputs that emits `items`. Several runWorkflow calls may run concurrently, each
 * is its own execution, as in one n8n process.
 *
 * n8n-core reads its instance settings (encryption key, folders) from N8N_USER_FOLDER on first
 * use; unless set already, it is pointed at a fresh temp folder before n8n-core is loaded.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = userFolder;
	// Without this every test run left one folder per test file in /tmp. Under jest this module is
	// loaded once per test file, and a listener on jest's sandboxed `process` never hears 'exit'.
	const removeUserFolder = () => fs.rmSync(userFolder, { recursive: true, force: true });
	try {
		afterAll(removeUserFolder);
	} catch {
		process.once('exit', removeUserFolder);
	}
}
process.env.N8N_ENCRYPTION_KEY ??= 'engagement-score-test-harness';
// n8n logs every node error with its stack; tests assert on the errors instead.
process.env.N8N_LOG_LEVEL ??= 'silent';

const { NodeConnectionTypes, NodeHelpers, VersionedNodeType, Workflow, createRunExecutionData } = require('n8n-workflow');
const { CredentialTestContext, ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } = require('n8n-core');

const START_NODE_NAME = 'Start';
const START_NODE_TYPE = 'harness.start';

/** Stands in for the Manual Trigger: emits the items the execution was started with. */
class HarnessStart {
	description = {
		displayName: 'Harness Start',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the items given to runWorkflow',
		defaults: { name: START_NODE_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute() {
		return [this.getInputData()];
	}
}

/** n8n's INodeTypes over a plain map; versioned node types resolve to the requested version. */
function nodeTypeRegistry(types) {
	const all = { [START_NODE_TYPE]: new HarnessStart(), ...types };
	const byName = (type) => {
		const nodeType = all[type];
		if (!nodeType) throw new Error(`harness: unknown node type "${type}"`);
		return nodeType;
	};
	return {
		getByName: byName,
		getByNameAndVersion(type, version) {
			const nodeType = byName(type);
			return nodeType instanceof VersionedNodeType ? nodeType.getNodeType(version) : nodeType;
		},
		getKnownTypes: () => ({}),
	};
}

function linearConnections(nodeNames) {
	const connections = {};
	for (let index = 1; index < nodeNames.length; index++) {
		connections[nodeNames[index - 1]] = {
			main: [[{ node: nodeNames[index], type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return connections;
}

/**
 * Plays n8n's CredentialsHelper for node executions: hands a node the decrypted data of the saved
 * credential its workflow node references (by id, of the requested type), with the credential
 * type's defaults filled in. A reference to a credential that does not exist fails as in n8n.
 */
function credentialsHelperFor(credentials = [], credentialTypes = []) {
	const typeByName = new Map(credentialTypes.map((credentialType) => [credentialType.name, credentialType]));
	const notAvailable = (what) => () => {
		throw new Error(`harness: credentialsHelper.${what} is not available in the test harness`);
	};
	const helper = {
		async getDecrypted(_additionalData, nodeCredentials, type) {
			const saved = credentials.find((credential) => credential.type === type && credential.id === nodeCredentials?.id);
			if (!saved) {
				throw new Error(`Credential with ID "${nodeCredentials?.id}" does not exist for type "${type}".`);
			}
			const data = structuredClone(saved.data ?? {});
			const credentialType = typeByName.get(type);
			if (!credentialType) return data;
			return NodeHelpers.getNodeParameters(credentialType.properties, data, true, false, null, null) ?? data;
		},
		getCredentialsProperties: (type) => typeByName.get(type)?.properties ?? [],
		isCredentialUsableByNode: () => true,
		getParentTypes: () => [],
	};
	return new Proxy(helper, {
		get: (target, key) => (key in target ? target[key] : notAvailable(String(key))),
	});
}

const BASE_URL = 'http://localhost:5678';

function additionalDataFor(hooks, executionId, workflowId, credentialsHelper = credentialsHelperFor()) {
	const notAvailable = (what) => () => {
		throw new Error(`harness: ${what} is not available in the test harness`);
	};
	return {
		hooks,
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		logAiEvent() {},
		credentialsHelper,
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: notAvailable('getRunExecutionData'),
		getRuntimeCredential: notAvailable('getRuntimeCredential'),
		startRunnerTask: notAvailable('startRunnerTask'),
	};
}

let executionCounter = 0;

async function runWorkflow({
	nodeTypes,
	nodes,
	items = [{ json: {} }],
	connections,
	staticData,
	mode = 'manual',
	workflowId = 'harness-workflow',
	credentials,
	credentialTypes,
}) {
	const startNode = {
		id: 'harness-start',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflowNodes = [
		startNode,
		...nodes.map((node, index) => ({
			id: node.id ?? `node-${index}`,
			position: node.position ?? [(index + 1) * 200, 0],
			parameters: {},
			...node,
		})),
	];
	const workflowConnections = connections ?? linearConnections(workflowNodes.map((node) => node.name));
	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness workflow',
		nodes: workflowNodes,
		connections: workflowConnections,
		nodeTypes: nodeTypeRegistry(nodeTypes),
		active: mode !== 'manual',
		staticData: staticData ?? {},
		settings: { executionOrder: 'v1' },
	});

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'Harness workflow',
		nodes: workflowNodes,
		connections: workflowConnections,
		active: mode !== 'manual',
		settings: {},
	});
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(hooks, executionId, workflowId, credentialsHelperFor(credentials, credentialTypes));
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const run = await execution.processRunExecutionData(workflow);

	const outputs = {};
	for (const [nodeName, taskRuns] of Object.entries(run.data.resultData.runData)) {
		const lastRun = taskRuns[taskRuns.length - 1];
		outputs[nodeName] = lastRun?.data?.main ?? [];
	}
	return {
		run,
		error: run.data.resultData.error,
		outputs,
		staticData: workflow.staticData,
		output: (nodeName) => outputs[nodeName]?.[0] ?? [],
	};
}

/**
 * Calls one of a node's `methods.listSearch` / `methods.loadOptions` functions the way the editor
 * does: in n8n-core's LoadOptionsContext, over a workflow holding just that node with the
 * parameters the user has set; `path` is the parameter whose list is loaded, as the editor sends
 * it (e.g. "parameters.rules.rule[1].conditions.condition[0].property").
 */
async function callNodeMethod({ nodeTypes, node, kind, method, args = [], staticData, credentials, credentialTypes, path = 'parameters' }) {
	const registry = nodeTypeRegistry(nodeTypes);
	const workflowNode = { id: 'harness-node', position: [0, 0], parameters: {}, ...node };
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [workflowNode],
		connections: {},
		nodeTypes: registry,
		active: false,
		staticData: staticData ?? {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'load-options', {
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [workflowNode],
		connections: {},
		active: false,
		settings: {},
	});
	const additionalData = additionalDataFor(
		hooks,
		undefined,
		'harness-workflow',
		credentialsHelperFor(credentials, credentialTypes),
	);
	additionalData.currentNodeParameters = workflowNode.parameters;
	const context = new LoadOptionsContext(workflow, workflowNode, additionalData, path);
	const nodeType = registry.getByNameAndVersion(workflowNode.type, workflowNode.typeVersion);
	const fn = nodeType.methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`harness: ${workflowNode.type} has no methods.${kind}.${method}`);
	return await fn.call(context, ...args);
}

/**
 * The editor's "Test" button on a credential: finds a node type that lists the credential's type
 * with `testedBy` and runs that method of its `methods.credentialTest` in n8n-core's
 * CredentialTestContext, with the credential as the editor sends it ({ id, name, type, data }).
 */
async function testCredential({ nodeTypes, credential }) {
	for (const nodeType of Object.values(nodeTypes)) {
		const versions =
			nodeType instanceof VersionedNodeType ? Object.values(nodeType.nodeVersions) : [nodeType];
		for (const version of versions) {
			const description = version.description.credentials?.find(
				(entry) => entry.name === credential.type && typeof entry.testedBy === 'string',
			);
			const test = description && version.methods?.credentialTest?.[description.testedBy];
			if (typeof test !== 'function') continue;
			const additionalData = additionalDataFor(undefined, undefined, undefined);
			return await test.call(new CredentialTestContext(additionalData), credential);
		}
	}
	throw new Error(`harness: no node type tests credentials of type "${credential.type}"`);
}

module.exports = {
	runWorkflow,
	callNodeMethod,
	testCredential,
	credentialsHelperFor,
	START_NODE_NAME,
	START_NODE_TYPE,
};
