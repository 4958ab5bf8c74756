import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { profileJson } from '../../helpers/output';
import { readRules } from '../../helpers/rules-input';
import { rulesProperties } from '../common.descriptions';

const show = { resource: ['profile'], operation: ['updateDraft'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '', typeOptions: { rows: 2 } },
		],
	},
	...rulesProperties(show, true),
];

const labels = labelsOf(description);

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as { name?: string; description?: string };
		const rules = readRules(this, itemIndex);
		const profile = await engine.updateDraft(profileId, {
			...(fields.name !== undefined ? { name: fields.name } : {}),
			...(fields.description !== undefined ? { description: fields.description } : {}),
			...(rules !== undefined ? { rules } : {}),
		});
		return profileJson(profile);
	}, labels);
}
