import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EngagementEngine } from '../../../../../src/engine';
import { toContactId } from '../../../../../src/event';
import { labelsOf, mapItems } from '../../../../shared/errors';
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

const labels = labelsOf(description);

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		const reason = this.getNodeParameter('reason', itemIndex, '');
		// A number (a ticket id from an expression) is kept as its text; the engine refuses other non-text.
		const change = await engine.resetContact(profileId, contactId, typeof reason === 'number' ? String(reason) : reason);
		if (!change) return { profileId, contactId, found: false, previousScore: 0, score: 0, at: null };
		return {
			profileId,
			contactId,
			found: true,
			previousScore: change.previousScore,
			score: change.score,
			at: isoTime(change.at),
		};
	}, labels);
}
