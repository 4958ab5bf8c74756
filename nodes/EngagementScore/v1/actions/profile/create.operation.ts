import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ProfileAlreadyExistsError, type EngagementEngine, type ScoreProfile } from '../../../../../src/index';
import { fieldError, labelsOf, withParameterNames } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { profileJson } from '../../helpers/output';
import { journalRetentionParameters, journalRetentionProperties, JOURNAL_RETENTION_FIELD_LABELS, readJournalRetention } from '../../helpers/journal-retention-input';
import { readRules, readScoringSettings, SETTINGS_FIELD_LABELS } from '../../helpers/rules-input';
import { rulesProperties, scoringSettingsProperty } from '../common.descriptions';

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
		description: 'How workflows refer to the profile. Leave empty to make it from the name.',
		displayOptions: { show },
	},
	{
		displayName: 'If Profile Exists',
		name: 'ifExists',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fail', value: 'fail', description: 'Stop with an error; the existing profile stays as it is' },
			{ name: 'Keep It', value: 'keep', description: 'Leave the existing profile as it is and output it' },
			{
				name: 'Update Its Draft',
				value: 'updateDraft',
				description: 'Give the existing profile this name, description and draft rules (published too if Publish is on)',
			},
		],
		default: 'fail',
		description: 'What to do when a profile with this ID already exists, e.g. when the workflow runs again',
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
	scoringSettingsProperty(show),
	...journalRetentionProperties(show),
	{
		displayName: 'Publish',
		name: 'publish',
		type: 'boolean',
		default: false,
		description: 'Whether to publish the rules at once, so the profile starts scoring events',
		displayOptions: { show },
	},
];

const labels = { ...labelsOf(description), limits: 'Limits and Time Zone' };
/** The node's labels for the engine's fields, so errors name what the user sees. */
const FIELD_LABELS = {
	id: 'Profile ID',
	profileId: 'Profile ID',
	name: 'Name',
	description: 'Description',
	...SETTINGS_FIELD_LABELS,
	...JOURNAL_RETENTION_FIELD_LABELS,
};

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		try {
			return await createOne.call(this, engine, itemIndex);
		} catch (error) {
			throw withParameterNames(error, FIELD_LABELS);
		}
	}, labels);
}

async function createOne(this: IExecuteFunctions, engine: EngagementEngine, itemIndex: number): Promise<IDataObject> {
	// Passed on as given (trimmed if text): the engine validates it (a numeric id from an expression is its text).
	const rawId: unknown = this.getNodeParameter('newProfileId', itemIndex, '');
	const id = (typeof rawId === 'string' ? rawId.trim() : rawId) as string;
	const input = {
		name: this.getNodeParameter('name', itemIndex) as string,
		description: this.getNodeParameter('description', itemIndex, '') as string,
		rules: readRules(this, itemIndex),
		...readScoringSettings(this, itemIndex),
		journalRetention: readJournalRetention(journalRetentionParameters(this, itemIndex)),
	};
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'fail');
	let profile: ScoreProfile;
	try {
		profile = await engine.createProfile({ ...(id === '' ? {} : { id }), ...input });
	} catch (error) {
		if (!(error instanceof ProfileAlreadyExistsError)) throw withParameterNames(error, FIELD_LABELS);
		if (ifExists === 'keep') return profileJson(await engine.getProfile(error.profileId));
		if (ifExists !== 'updateDraft') {
			const hint = 'Choose another ID, or set "If Profile Exists" to keep it or update its draft';
			throw fieldError(this.getNode(), itemIndex, FIELD_LABELS.profileId, `${error.message}. ${hint}`, error);
		}
		profile = await engine.updateDraft(error.profileId, input);
	}
	if (this.getNodeParameter('publish', itemIndex, false)) profile = await engine.publish(profile.id);
	return profileJson(profile);
}
