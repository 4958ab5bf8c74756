import type { IDataObject, INodeCredentials, INodeType, IRun } from 'n8n-workflow';

import type { HarnessCredentialOptions } from './run-workflow';

export interface TriggerNodeSpec extends HarnessCredentialOptions {
	readonly type: string;
	readonly nodeType: INodeType;
	readonly parameters: IDataObject;
	readonly workflowId: string;
	readonly nodeId?: string;
	readonly nodeName?: string;
	/** References to saved credentials (see run-workflow's `credentials`), e.g. { engagementScoreRedisApi: { id, name } }. */
	readonly nodeCredentials?: INodeCredentials;
	/** Called at each emit with the JSON of its items, e.g. to time it. */
	readonly onEmit?: (items: IDataObject[]) => void;
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

/** Activates the trigger as a published workflow; rejects as n8n's activation would (WorkflowActivationError). */
export function activateTrigger(spec: TriggerNodeSpec): Promise<ActiveTrigger>;

export interface TestListen {
	/** The manual execution; settles once the trigger emitted (or failed). */
	readonly finished: Promise<IRun>;
	/** Cancels the execution if it is still waiting. */
	cancel(): void;
}

/** The editor's "Listen for test event": a manual execution starting at the trigger node. */
export function listenForTestEvent(spec: TriggerNodeSpec): TestListen;

/** The JSON of the items a finished manual run's trigger node emitted. */
export function triggerOutput(run: IRun, nodeName?: string): IDataObject[];
