import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EngagementScoreError } from '../../src/index';

/**
 * Turns whatever went wrong while handling one item into the NodeOperationError n8n shows:
 * "Item 3: contactId: Contact ID is missing". The item index is n8n's (0-based, as in the
 * editor's error details); the field is the engine's `EngagementScoreError.field` when it knows it.
 * An error that already is a NodeOperationError for this item (e.g. from `fieldError`) passes
 * through unchanged, so messages are never prefixed twice.
 */
export function itemError(node: INode, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError && error.context.itemIndex === itemIndex) return error;
	const cause = error instanceof Error ? error : new Error(String(error));
	const field = error instanceof EngagementScoreError ? error.field : undefined;
	return fieldError(node, itemIndex, field, cause.message, cause);
}

/** An error the adapter detects itself, about one input field of one item. */
export function fieldError(
	node: INode,
	itemIndex: number,
	field: string | undefined,
	message: string,
	cause?: Error,
): NodeOperationError {
	const text = `Item ${itemIndex}: ${field ? `${field}: ` : ''}${message}`;
	const error = new NodeOperationError(node, cause ?? text, { itemIndex, message: text });
	if (field) error.context.field = field;
	return error;
}

/**
 * The same error naming the node's parameter where the engine names its own input field
 * (e.g. the engine's `id` is the node's `newProfileId`). Other errors pass through.
 */
export function withParameterNames(error: unknown, parameterByField: Readonly<Record<string, string>>): unknown {
	if (!(error instanceof EngagementScoreError) || error.field === undefined) return error;
	if (!Object.prototype.hasOwnProperty.call(parameterByField, error.field)) return error;
	const renamed = new EngagementScoreError(error.message, parameterByField[error.field]);
	renamed.name = error.name;
	return renamed;
}

/**
 * The output item for a failed item under continueOnFail. Carrying the error itself (not only its
 * text) is what lets n8n route the item to the node's error output ("Continue (using error
 * output)"); n8n then reduces the json to `{ error: message }`, and the message names the field.
 */
export function failedItem(error: NodeOperationError, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

export type ItemResult = IDataObject | IDataObject[];

/**
 * Runs `handle` for every input item in order and collects the outputs, each paired to its item.
 * A failing item becomes an error item when continueOnFail is on, else the whole node fails with
 * an item-naming NodeOperationError. `handle` must write nothing before it can no longer fail,
 * which the engine guarantees per call.
 */
export async function mapItems(
	context: IExecuteFunctions,
	handle: (itemIndex: number) => Promise<ItemResult>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...pairedItems(await handle(itemIndex), itemIndex));
		} catch (error) {
			output.push(handleItemFailure(context, error, itemIndex));
		}
	}
	return output;
}

/** The continueOnFail policy for one item: an error item, or a thrown NodeOperationError. */
export function handleItemFailure(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): INodeExecutionData {
	const nodeError = itemError(context.getNode(), error, itemIndex);
	if (context.continueOnFail()) return failedItem(nodeError, itemIndex);
	throw nodeError;
}

/** Output items paired to the input item they came from. */
export function pairedItems(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(result) ? result : [result]).map((json) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
}
