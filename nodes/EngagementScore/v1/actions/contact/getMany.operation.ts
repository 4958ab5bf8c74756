import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { InvalidInputError, tierScoreRange, TIERS, toCount, type EngagementEngine, type Tier } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { contactJson } from '../../helpers/output';
import { returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Sort By',
		name: 'sortBy',
		type: 'options',
		options: [
			{ name: 'Total Score', value: 'score' },
			{ name: 'Group Score', value: 'group', description: "One group's score; lists only contacts that hold the group" },
		],
		default: 'score',
		description: 'Which score orders the contacts',
		displayOptions: { show },
	},
	{
		displayName: 'Group',
		name: 'group',
		type: 'string',
		default: '',
		placeholder: 'e.g. Sales',
		description: "The group's name as the rules' Group field names it",
		displayOptions: { show: { ...show, sortBy: ['group'] } },
	},
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
			{
				displayName: 'Min Group Score',
				name: 'minGroupScore',
				type: 'number',
				default: 0,
				description: 'With Sort By Group Score: only contacts with at least this score in the group',
			},
			{
				displayName: 'Max Group Score',
				name: 'maxGroupScore',
				type: 'number',
				default: 100,
				description: 'With Sort By Group Score: only contacts with at most this score in the group',
			},
			{
				displayName: 'Tier',
				name: 'tier',
				type: 'options',
				options: TIERS.map((tier) => ({ name: tier.name, value: tier.id, description: tierRangeText(tier.id) })),
				default: 'high',
				description: "Only contacts in this tier of HighLevel's strategic tiers (the Tier field of Contact > Get)",
			},
			{
				displayName: 'Last Activity Before',
				name: 'lastActivityBefore',
				type: 'dateTime',
				default: '',
				description: 'Only contacts whose last activity (an event, or a change that counts as activity) was before this time',
			},
			{
				displayName: 'Last Activity After',
				name: 'lastActivityAfter',
				type: 'dateTime',
				default: '',
				description: 'Only contacts whose last activity was after this time',
			},
			{
				displayName: 'First Seen Before',
				name: 'firstSeenBefore',
				type: 'dateTime',
				default: '',
				description: 'Only contacts first seen (first event or change) before this time',
			},
			{
				displayName: 'First Seen After',
				name: 'firstSeenAfter',
				type: 'dateTime',
				default: '',
				description: 'Only contacts first seen after this time, e.g. new contacts of this month',
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
		// The engine validates the filters (on the first page, before anything is returned); the store applies them.
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const byGroup = this.getNodeParameter('sortBy', itemIndex, 'score') === 'group';
		// An empty Group reaches the engine as missing, which names the field.
		const group = byGroup ? { group: this.getNodeParameter('group', itemIndex, '') || null } : {};
		if (byGroup && group.group === null) {
			throw new InvalidInputError('Name the group whose score sorts the contacts', 'group');
		}

		const contacts = [];
		while (contacts.length < limit) {
			const pageSize = Math.min(PAGE_SIZE, limit - contacts.length);
			const page = await engine.listContacts(profileId, {
				order,
				limit: pageSize,
				offset: contacts.length,
				...filters,
				...group,
			});
			contacts.push(...page.map(contactJson));
			if (page.length < pageSize) break;
		}
		return contacts;
	}, labels);
}

/** "50 or more", "10 to under 50", "under 1". */
function tierRangeText(tier: Tier): string {
	const { min, below } = tierScoreRange(tier);
	if (below === undefined) return `Score ${min} or more`;
	if (min === undefined) return `Score under ${below}`;
	return `Score ${min} to under ${below}`;
}
