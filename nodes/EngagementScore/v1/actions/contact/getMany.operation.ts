import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EngagementEngine } from '../../../../../src/engine';
import { InvalidInputError } from '../../../../../src/errors';
import { mapItems } from '../../../../shared/errors';
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

/** Fetched in pages so "Return All" on a large profile never holds two copies of everything. */
const PAGE_SIZE = 1000;

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const order = this.getNodeParameter('order', itemIndex, 'desc') === 'asc' ? 'asc' : 'desc';
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as { minScore?: unknown; maxScore?: unknown };
		const minScore = optionalNumber(filters.minScore, 'filters.minScore');
		const maxScore = optionalNumber(filters.maxScore, 'filters.maxScore');

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
	});
}

function optionalNumber(value: unknown, field: string): number | undefined {
	if (value === undefined || value === '' || value === null) return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) throw new InvalidInputError(`Must be a number, got "${String(value)}"`, field);
	return number;
}
