import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { COMMON_LABELS, type FieldLabels, itemError } from './item-errors';

/**
 * The output item for a failed item under continueOnFail. Carrying the error itself (not only its
 * text) is what lets n8n route the item to the node's error output ("Continue (using error
 * output)"); n8n then reduces the json to `{ error: message }`, and the message names the field.
 */
export function failedItem(error: NodeOperationError, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

export type ItemResult = IDataObject | IDataObject[];

/** Every input item fails with `error` (e.g. the store cannot be opened), each on its own, as continueOnFail expects. */
export function failEveryItem(context: IExecuteFunctions, error: unknown, labels: FieldLabels = COMMON_LABELS): INodeExecutionData[] {
	return context.getInputData().map((_item, itemIndex) => handleItemFailure(context, error, itemIndex, labels));
}

/**
 * Runs `handle` for every input item in order and collects the outputs, each paired to its item.
 * A failing item becomes an error item when continueOnFail is on, else the whole node fails with
 * an item-naming NodeOperationError. `handle` must write nothing before it can no longer fail,
 * which the engine guarantees per call.
 */
export async function mapItems(
	context: IExecuteFunctions,
	handle: (itemIndex: number) => Promise<ItemResult>,
	labels: FieldLabels = COMMON_LABELS,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...pairedItems(await handle(itemIndex), itemIndex));
		} catch (error) {
			output.push(handleItemFailure(context, error, itemIndex, labels));
		}
	}
	return output;
}

/** The continueOnFail policy for one item: an error item, or a thrown NodeOperationError. */
export function handleItemFailure(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	labels: FieldLabels = COMMON_LABELS,
): INodeExecutionData {
	const nodeError = itemError(context.getNode(), error, itemIndex, labels);
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
