import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { labelsOf, withParameterNames } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { profileJson } from '../../helpers/output';
import { readRules, readScoringSettings, SETTINGS_FIELD_LABELS } from '../../helpers/rules-input';
import { rulesProperties, scoringSettingsProperty } from '../common.descriptions';

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
	scoringSettingsProperty(show),
];

const labels = { ...labelsOf(description), limits: 'Limits and Time Zone' };

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as { name?: string; description?: string };
		const rules = readRules(this, itemIndex);
		const patch = {
			...(fields.name !== undefined ? { name: fields.name } : {}),
			...(fields.description !== undefined ? { description: fields.description } : {}),
			...(rules !== undefined ? { rules } : {}),
			...readScoringSettings(this, itemIndex),
		};
		try {
			return profileJson(await engine.updateDraft(profileId, patch));
		} catch (error) {
			throw withParameterNames(error, SETTINGS_FIELD_LABELS);
		}
	}, labels);
}
