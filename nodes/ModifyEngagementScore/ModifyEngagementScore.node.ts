import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { type EngagementEngine } from '../../src/index';
import { contactIdProperty } from '../shared/contact-id';
import { inputFieldsMerger, inputFieldsProperties } from '../shared/input-fields';
import { type FieldLabels, labelsOf } from '../shared/item-errors';
import { mapItems } from '../shared/item-loop';
import { profileIdFrom, profileLocatorProperty, searchProfiles, PROFILE_PARAMETER } from '../shared/profile';
import { storeProperties } from '../shared/store';
import { isoTime } from '../shared/change-output';
import { engineFor } from '../shared/engine';
import { executeWithStore } from '../shared/node-store';
import { REDIS_CREDENTIAL_TEST, testRedisCredential } from '../shared/redis';
import { modifyEngagementScoreSubtitle } from '../shared/subtitles';

const pointsProperty: INodeProperties = {
	displayName: 'Points',
	name: 'points',
	type: 'number',
	default: 1,
	required: true,
	description: 'How many points to add or subtract, or the score to set',
};

export class ModifyEngagementScore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Modify Engagement Score',
		name: 'modifyEngagementScore',
		icon: { light: 'file:modifyEngagementScore.svg', dark: 'file:modifyEngagementScore.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: modifyEngagementScoreSubtitle,
		description: 'Add, subtract or set engagement score points on one contact, with a reason',
		defaults: { name: 'Modify Engagement Score' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			// The one node spelling the shared redisCredentialDescription out: n8n's community-node linter
			// reads a literal in some node to see that the credential is tested; a test keeps it equal.
			{
				name: 'engagementScoreRedisApi',
				required: true,
				testedBy: 'engagementScoreRedisConnectionTest',
				displayOptions: { show: { store: ['redis'] } },
			},
		],
		properties: [
			profileLocatorProperty({
				description: 'The score profile whose score to change. It needs no rules and need not be published.',
			}),
			contactIdProperty({ description: 'The contact whose score to change. A contact not seen before starts at 0.' }),
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Add', value: 'add', description: 'Add points to the score', action: 'Add points' },
					{
						name: 'Subtract',
						value: 'subtract',
						description: 'Subtract points from the score',
						action: 'Subtract points',
					},
					{ name: 'Set', value: 'set', description: 'Set the score to exactly this value', action: 'Set the score' },
				],
				default: 'add',
				description: 'Whether to add points to the score, subtract them, or set the score to a value',
			},
			// Version 1 defaulted to 0 points, so a fresh node read "Add 0". Saved version-1 nodes keep
			// that default (n8n does not save default values), new nodes start at 1.
			{
				...pointsProperty,
				default: 0,
				displayOptions: { show: { '@version': [1] } },
			},
			{
				...pointsProperty,
				default: 1,
				displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				placeholder: 'e.g. Attended the webinar',
				description: "Why the score changes; kept in the contact's score history",
			},
			...inputFieldsProperties(),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Counts as Activity',
						name: 'countsAsActivity',
						type: 'boolean',
						default: true,
						description:
							'Whether this change counts as contact activity, so that decay for inactive contacts starts counting again from now',
					},
				],
			},
			...storeProperties({ allowStaticData: true }),
		],
	};

	methods = {
		listSearch: { searchProfiles },
		credentialTest: { [REDIS_CREDENTIAL_TEST]: testRedisCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await executeWithStore(this, async (store) => await modifyScores(this, engineFor(store)))];
	}
}

/**
 * The engine validates every value (contact id, operation, points, reason), names the field it
 * rejects and writes nothing for a rejected item.
 */
async function modifyScores(context: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	labels ??= labelsOf(new ModifyEngagementScore().description.properties);
	const withInputFields = inputFieldsMerger(context);
	return await mapItems(context, async (itemIndex) => {
		const profileId = profileIdFrom(context.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const operation = context.getNodeParameter('operation', itemIndex);
		const reason = reasonText(context.getNodeParameter('reason', itemIndex, ''));
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const result = await engine.modifyScore(profileId, {
			contactId: context.getNodeParameter('contactId', itemIndex),
			operation,
			points: context.getNodeParameter('points', itemIndex),
			reason,
			countsAsActivity: options.countsAsActivity ?? true,
		});
		return withInputFields(itemIndex, {
			score: result.score,
			delta: result.delta,
			contactId: result.contactId,
			previousScore: result.previousScore,
			operation: operation as string,
			reason: typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : null,
			at: isoTime(result.change?.at ?? Date.now()),
			changeSeq: result.change?.seq ?? null,
			profileId,
		});
	}, labels);
}

let labels: FieldLabels | undefined;

/** A reason is free text: an expression yielding a number (a ticket id) is kept as its text. */
function reasonText(raw: unknown): unknown {
	return typeof raw === 'number' ? String(raw) : raw;
}
