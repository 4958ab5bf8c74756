import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine, type RuleEditMode } from '../../../../../src/index';
import { labelsOf, withParameterNames } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { profileJson } from '../../helpers/output';
import { journalRetentionProperties, JOURNAL_RETENTION_FIELD_LABELS, readJournalRetention } from '../../helpers/journal-retention-input';
import { readRules, readScoringSettings, SETTINGS_FIELD_LABELS } from '../../helpers/rules-input';
import { rulesProperties, scoringSettingsProperty } from '../common.descriptions';

const show = { resource: ['profile'], operation: ['updateDraft'] };

const [rulesSource, ...ruleFields] = rulesProperties(show, true);

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
			...journalRetentionProperties(),
		],
	},
	rulesSource,
	{
		displayName: 'Rule Changes',
		name: 'rulesEditMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Replace All Rules', value: 'replace', description: 'The rules below become the whole draft' },
			{ name: 'Add Rules', value: 'add', description: 'Add the rules below after the draft rules' },
			{
				name: 'Update Rules (by Rule ID)',
				value: 'update',
				description: 'Each rule below replaces the draft rule with its Rule ID; the others stay',
			},
			{ name: 'Remove Rules (by Rule ID)', value: 'remove', description: 'Remove the draft rules with these IDs; the others stay' },
		],
		default: 'replace',
		description: 'Whether the rules replace the draft rules, or add, update or remove some of them',
		displayOptions: { show: { ...show, rulesSource: ['fields', 'json'] } },
	},
	{
		displayName: 'Rule IDs',
		name: 'ruleIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. rule-2, unsubscribed',
		description: 'The IDs of the draft rules to remove, separated by commas (Get the profile to see them)',
		displayOptions: { show: { ...show, rulesSource: ['fields', 'json'], rulesEditMode: ['remove'] } },
	},
	...ruleFields,
	scoringSettingsProperty(show),
];

const labels = { ...labelsOf(description), limits: 'Limits and Time Zone' };

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject & { name?: string; description?: string };
		const journalRetention = readJournalRetention(fields);
		const patch = {
			...(fields.name !== undefined ? { name: fields.name } : {}),
			...(fields.description !== undefined ? { description: fields.description } : {}),
			...readScoringSettings(this, itemIndex),
			...(journalRetention === undefined ? {} : { journalRetention }),
		};
		const rules = readRules(this, itemIndex);
		try {
			if (rules === undefined) return profileJson(await engine.updateDraft(profileId, patch));
			const mode = this.getNodeParameter('rulesEditMode', itemIndex, 'replace') as RuleEditMode | 'replace';
			if (mode === 'replace') return profileJson(await engine.updateDraft(profileId, { ...patch, rules }));
			const changes = mode === 'remove' ? this.getNodeParameter('ruleIds', itemIndex, '') : rules;
			return profileJson(await engine.editDraftRules(profileId, mode, changes, patch));
		} catch (error) {
			throw withParameterNames(error, { ...SETTINGS_FIELD_LABELS, ...JOURNAL_RETENTION_FIELD_LABELS });
		}
	}, labels);
}
