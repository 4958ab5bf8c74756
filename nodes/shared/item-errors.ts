import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EngagementScoreError } from '../../src/index';

/** How an error names the item and the field it is about, by the label the user sees. The item loop is in item-loop.ts. */

/** Parameter (or engine field) name -> the label the editor shows for it, as errors name fields. */
export type FieldLabels = Readonly<Record<string, string>>;

/** The parameters every node shares: the store's and the profile picker. */
export const COMMON_LABELS: FieldLabels = {
	store: 'Store',
	databasePath: 'Database File',
	profileId: 'Score Profile',
	contactId: 'Contact ID',
};

/** The labels of `properties` (and of the fields inside their collections), the first of a name winning. */
export function labelsOf(properties: readonly INodeProperties[], labels: Record<string, string> = { ...COMMON_LABELS }): FieldLabels {
	for (const property of properties) {
		if (!Object.prototype.hasOwnProperty.call(labels, property.name)) labels[property.name] = property.displayName;
		for (const option of property.options ?? []) {
			if ('displayName' in option && 'type' in option) labelsOf([option], labels);
			else if ('values' in option) labelsOf(option.values, labels);
		}
	}
	return labels;
}

/**
 * How a message names a field: by its label where it is a parameter ("Contact ID"); a path into
 * one keeps the path after the label ("Rules › rules[1].points"); a field of the item itself (Use
 * Item As Event) by its key, as the user sees it in the item.
 */
export function fieldLabel(field: string, labels: FieldLabels): string {
	const head = /^[^.[]+/.exec(field)?.[0] ?? field;
	if (!Object.prototype.hasOwnProperty.call(labels, head)) return field;
	return head === field ? labels[head] : `${labels[head]} › ${field}`;
}

/**
 * Turns whatever went wrong while handling one item into the NodeOperationError n8n shows:
 * "Item 3: Contact ID: The contact id is required". The item index is n8n's (0-based, as in the
 * editor's error details); the field is the engine's `EngagementScoreError.field` when it knows it,
 * named by its label. An error that already is a NodeOperationError for this item (e.g. from
 * `fieldError`) passes through unchanged, so messages are never prefixed twice.
 */
export function itemError(node: INode, error: unknown, itemIndex: number, labels: FieldLabels = COMMON_LABELS): NodeOperationError {
	if (error instanceof NodeOperationError && error.context.itemIndex === itemIndex) return error;
	const cause = error instanceof Error ? error : new Error(String(error));
	const field = error instanceof EngagementScoreError ? error.field : undefined;
	return fieldError(node, itemIndex, field, cause.message, cause, labels);
}

/** An error the adapter detects itself, about one input field of one item. `field` is the parameter name (kept in context.field). */
export function fieldError(
	node: INode,
	itemIndex: number,
	field: string | undefined,
	message: string,
	cause?: Error,
	labels: FieldLabels = COMMON_LABELS,
): NodeOperationError {
	const text = `Item ${itemIndex}: ${field ? `${fieldLabel(field, labels)}: ` : ''}${message}`;
	const error = new NodeOperationError(node, cause ?? text, { itemIndex, message: text });
	// NodeOperationError swaps a message containing e.g. "ECONNREFUSED" or "EPERM" (anywhere, any case:
	// a contact id "keepermost" is enough) for a generic one that names no item, field or remedy.
	error.message = text;
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
