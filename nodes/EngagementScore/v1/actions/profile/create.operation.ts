import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { labelsOf, mapItems, withParameterNames } from '../../../../shared/errors';
import { profileJson } from '../../helpers/output';
import { readRules } from '../../helpers/rules-input';
import { rulesProperties } from '../common.descriptions';

const show = { resource: ['profile'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Lead Score',
		displayOptions: { show },
	},
	{
		displayName: 'Profile ID',
		name: 'newProfileId',
		type: 'string',
		default: '',
		placeholder: 'e.g. lead-score',
		description: 'How workflows refer to the profile. Empty: made from the name.',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		displayOptions: { show },
	},
	...rulesProperties(show, false),
	{
		displayName: 'Publish',
		name: 'publish',
		type: 'boolean',
		default: false,
		description: 'Whether to publish the rules at once, so the profile starts scoring events',
		displayOptions: { show },
	},
];

const labels = labelsOf(description);

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		try {
			return await createOne.call(this, engine, itemIndex);
		} catch (error) {
			throw withParameterNames(error, { id: 'newProfileId', profileId: 'newProfileId' });
		}
	}, labels);
}

async function createOne(this: IExecuteFunctions, engine: EngagementEngine, itemIndex: number): Promise<IDataObject> {
	// Passed on as they are: the engine validates them (a numeric id from an expression is its text).
	const id = this.getNodeParameter('newProfileId', itemIndex, '') as string;
	const created = await engine.createProfile({
		id,
		name: this.getNodeParameter('name', itemIndex) as string,
		description: this.getNodeParameter('description', itemIndex, '') as string,
		rules: readRules(this, itemIndex),
	});
	const profile = this.getNodeParameter('publish', itemIndex, false) ? await engine.publish(created.id) : created;
	return profileJson(profile);
}
