import type {
	ExecutionBaseError,
	IConnections,
	IDataObject,
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
	id?: string;
	position?: [number, number];
}

export interface RunWorkflowOptions {
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

export interface CallNodeMethodOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** The node as the editor holds it, with the parameters the user has set. */
	node: HarnessNode;
	kind: 'listSearch' | 'loadOptions';
	method: string;
	args?: unknown[];
	staticData?: IDataObject;
}

export function callNodeMethod<T = unknown>(options: CallNodeMethodOptions): Promise<T>;
