import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialsHelper,
	ICredentialType,
	IConnections,
	IDataObject,
	INodeCredentials,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	IRun,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** A workflow node as runWorkflow takes it; id and position are filled in when omitted. */
export interface HarnessNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters?: IDataObject;
	continueOnFail?: boolean;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** n8n's "Retry On Fail" node settings. */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	id?: string;
	position?: [number, number];
	/** References to saved credentials by type, as in a saved workflow: { engagementScoreRedisApi: { id, name } }. */
	credentials?: INodeCredentials;
}

/** A saved credential, as n8n holds it after decryption. */
export interface HarnessCredential {
	id: string;
	name: string;
	/** The credential type's name, e.g. 'engagementScoreRedisApi'. */
	type: string;
	data: ICredentialDataDecryptedObject;
}

export interface HarnessCredentialOptions {
	/** The saved credentials nodes may reference. */
	credentials?: HarnessCredential[];
	/** Credential types whose property defaults fill in what a credential's data leaves out. */
	credentialTypes?: ICredentialType[];
}

export interface RunWorkflowOptions extends HarnessCredentialOptions {
	/** Node type name -> node type instance (classes from nodes/ or dist/nodes/). */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	nodes: HarnessNode[];
	/** What the start node emits. Default: one empty item. */
	items?: INodeExecutionData[];
	/** Default: Start -> nodes[0] -> nodes[1] -> ... */
	connections?: IConnections;
	/** The workflow's static data; nodes mutate it in place. */
	staticData?: IDataObject;
	/** Default 'manual'; 'trigger' or 'webhook' for production executions. */
	mode?: WorkflowExecuteMode;
	workflowId?: string;
}

export interface WorkflowRun {
	run: IRun;
	/** As n8n records it: a plain copy of the thrown error (own name, message, context, node). */
	error: ExecutionBaseError | undefined;
	/** Every node's outputs of its last run. */
	outputs: Record<string, INodeExecutionData[][]>;
	staticData: IDataObject;
	/** Items of the node's first main output (last run); [] if it did not run. */
	output(nodeName: string): INodeExecutionData[];
}

export const START_NODE_NAME: string;
export const START_NODE_TYPE: string;
export function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun>;

export interface CallNodeMethodOptions extends HarnessCredentialOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** The node as the editor holds it, with the parameters the user has set. */
	node: HarnessNode;
	kind: 'listSearch' | 'loadOptions';
	method: string;
	args?: unknown[];
	staticData?: IDataObject;
	/** The parameter whose options are loaded, as the editor sends it; default "parameters". */
	path?: string;
}

export function callNodeMethod<T = unknown>(options: CallNodeMethodOptions): Promise<T>;

export interface TestCredentialOptions {
	/** Node types to search for one that tests the credential's type (`testedBy`). */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credential: ICredentialsDecrypted;
}

/** Runs the credential test a node declares for the credential's type, as the editor's "Test" button does. */
export function testCredential(options: TestCredentialOptions): Promise<INodeCredentialTestResult>;

/** The harness's stand-in for n8n's CredentialsHelper (also used by trigger-harness). */
export function credentialsHelperFor(
	credentials?: HarnessCredential[],
	credentialTypes?: ICredentialType[],
): ICredentialsHelper;
