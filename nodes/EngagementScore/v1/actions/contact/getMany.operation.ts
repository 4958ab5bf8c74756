import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toCount, type EngagementEngine } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { contactJson } from '../../helpers/output';
import { returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Sort',
		name: 'order',
		type: 'options',
		options: [
			{ name: 'Highest Score First', value: 'desc' },
			{ name: 'Lowest Score First', value: 'asc' },
		],
		default: 'desc',
		description: 'Order of the contacts by score',
		displayOptions: { show },
	},
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Min Score',
				name: 'minScore',
				type: 'number',
				default: 0,
				description: 'Only contacts with at least this score',
			},
			{
				displayName: 'Max Score',
				name: 'maxScore',
				type: 'number',
				default: 100,
				description: 'Only contacts with at most this score',
			},
		],
	},
];

const labels = labelsOf(description);

/** Fetched in pages so "Return All" on a large profile never holds two copies of everything. */
const PAGE_SIZE = 1000;

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const order = this.getNodeParameter('order', itemIndex, 'desc') === 'asc' ? 'asc' : 'desc';
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : toCount(this.getNodeParameter('limit', itemIndex, 50), 'limit', 50, 1);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as { minScore?: unknown; maxScore?: unknown };
		// The engine validates the filters (on the first page, before anything is returned).
		const { minScore, maxScore } = filters;

		const contacts = [];
		while (contacts.length < limit) {
			const pageSize = Math.min(PAGE_SIZE, limit - contacts.length);
			const page = await engine.listContacts(profileId, {
				order,
				limit: pageSize,
				offset: contacts.length,
				...(minScore !== undefined ? { minScore } : {}),
				...(maxScore !== undefined ? { maxScore } : {}),
			});
			contacts.push(...page.map(contactJson));
			if (page.length < pageSize) break;
		}
		return contacts;
	}, labels);
}
