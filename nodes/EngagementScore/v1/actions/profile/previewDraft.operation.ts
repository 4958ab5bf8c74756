import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { type EngagementEngine, toBoundedPoints, toCount } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { previewChangeJson, previewSummaryJson } from '../../helpers/preview-output';

const DEFAULT_LIMIT = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: DEFAULT_LIMIT,
		description: 'How many of the contacts whose score would change to list, largest change first (the summary counts them all)',
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 50, 80',
		description: 'Scores you watch, separated by commas: the summary says how many contacts would newly be at or above each, and newly below',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['profile'], operation: ['previewDraft'] } }, properties);

const labels = labelsOf(description);

/**
 * Replays the journal under the draft and writes nothing: one item per contact whose score would
 * change (largest change first, at most Limit), then one summary item (docs/outputs.md).
 */
export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const limit = toCount(this.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT), 'limit', DEFAULT_LIMIT, 0);
		const thresholds = toThresholds(this.getNodeParameter('thresholds', itemIndex, ''));
		const preview = await engine.previewDraft(profileId, { limit, thresholds });
		const items: IDataObject[] = preview.changes.map((change) => previewChangeJson(change, profileId));
		items.push(previewSummaryJson(preview.summary, profileId));
		return items;
	}, labels);
}

/** "50, 80" (or a number, or a list from an expression) as scores, each once, in order. */
function toThresholds(raw: unknown): number[] {
	const parts: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'number' ? [raw] : String(raw ?? '').split(',');
	const thresholds: number[] = [];
	for (const part of parts) {
		if (typeof part === 'string' && part.trim() === '') continue;
		const threshold = toBoundedPoints(typeof part === 'string' ? part.trim() : part, 'thresholds', 'A threshold');
		if (!thresholds.includes(threshold)) thresholds.push(threshold);
	}
	return thresholds;
}
