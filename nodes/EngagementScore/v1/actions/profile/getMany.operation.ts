import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { mapItems } from '../../../../shared/item-loop';
import { profileJson } from '../../helpers/output';
import { returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['profile'], operation: ['getMany'] };

export const description: INodeProperties[] = [
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
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Draft', value: 'draft' },
					{ name: 'Published', value: 'published' },
				],
				default: 'published',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const { status } = this.getNodeParameter('filters', itemIndex, {}) as { status?: string };
		const profiles = (await engine.listProfiles())
			.filter((profile) => status === undefined || profile.status === status)
			.slice(0, limit);
		return profiles.map(profileJson);
	});
}
