import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toContactId, type EngagementEngine } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
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
		const reset = await engine.resetContact(profileId, contactId, typeof reason === 'number' ? String(reason) : reason);
		// `changed: false` with `at: null`: nothing was logged, either because the profile never scored the
		// contact (`found: false`) or because its score already was 0 (a reset that moves nothing is no change).
		if (!reset) {
			return { score: 0, delta: 0, contactId, previousScore: 0, found: false, changed: false, at: null, changeSeq: null, profileId };
		}
		return {
			score: reset.score,
			delta: reset.change?.delta ?? 0,
			contactId,
			previousScore: reset.previousScore,
			found: true,
			changed: reset.change !== undefined,
			at: isoTime(reset.change?.at),
			changeSeq: reset.change?.seq ?? null,
			profileId,
		};
	}, labels);
}
