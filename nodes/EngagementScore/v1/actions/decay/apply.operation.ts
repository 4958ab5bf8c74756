import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';

const show = { resource: ['decay'], operation: ['apply'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Subtract Points', value: 'subtract', description: 'Inactive contacts lose a number of points' },
			{ name: 'Multiply by Factor', value: 'multiply', description: 'Scores of inactive contacts are multiplied by a factor below 1' },
		],
		default: 'subtract',
		description: 'How the score of an inactive contact falls',
		displayOptions: { show },
	},
	{
		displayName: 'Inactive for (Days)',
		name: 'inactiveDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'Contacts whose last activity is older than this many days decay (1 day or more)',
		displayOptions: { show },
	},
	{
		displayName: 'Points',
		name: 'points',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 5,
		description: 'Points each inactive contact loses',
		displayOptions: { show: { ...show, mode: ['subtract'] } },
	},
	{
		displayName: 'Factor',
		name: 'factor',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.9,
		description: 'Each inactive score is multiplied by this and rounded down, e.g. 0.9 turns 50 into 45',
		displayOptions: { show: { ...show, mode: ['multiply'] } },
	},
	{
		displayName: 'Floor',
		name: 'floor',
		type: 'number',
		default: 0,
		description: 'Decay never takes a score below this; scores already at or below it stay',
		displayOptions: { show },
	},
];

const labels = labelsOf(description);

/**
 * Decays each profile once per execution, however many items arrive: a Schedule Trigger gives one
 * item, but a node before it may give many, and decaying once per item would decay the same
 * contacts several times. Items naming the same profile share the first one's run and settings.
 */
export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	const decayedProfiles = new Set<string>();
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		if (decayedProfiles.has(profileId)) return [];
		const mode = this.getNodeParameter('mode', itemIndex);
		const common = {
			inactiveDays: this.getNodeParameter('inactiveDays', itemIndex),
			floor: this.getNodeParameter('floor', itemIndex, 0),
		};
		const policy =
			mode === 'multiply'
				? { mode, factor: this.getNodeParameter('factor', itemIndex), ...common }
				: { mode, points: this.getNodeParameter('points', itemIndex), ...common };
		const result = await engine.applyDecay(profileId, policy, { timezone: this.getTimezone() });
		decayedProfiles.add(profileId);
		return {
			contactsDecayed: result.contactsDecayed,
			totalDelta: result.totalDelta,
			contactsInactive: result.contactsInactive,
			mode: policy.mode as string,
			profileId,
		};
	}, labels);
}
