import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EngagementEngine } from '../../../../../src/engine';
import { toContactId } from '../../../../../src/event';
import { mapItems } from '../../../../shared/errors';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { isoTime } from '../../../../shared/change-output';

const show = { resource: ['contact'], operation: ['reset'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Became a customer',
		description: "Why the score is reset; kept in the contact's score history",
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		const reason = (this.getNodeParameter('reason', itemIndex, '') as string).trim();
		const change = await engine.resetContact(profileId, contactId, reason || undefined);
		if (!change) return { profileId, contactId, found: false, previousScore: 0, score: 0, at: null };
		return {
			profileId,
			contactId,
			found: true,
			previousScore: change.previousScore,
			score: change.score,
			at: isoTime(change.at),
		};
	});
}
