import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { tierOf, toContactId, type EngagementEngine } from '../../../../../src/index';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { contactJson } from '../../helpers/output';

/** A contact never scored has 0 points; `found` tells it apart from one scored down to 0. */
export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		const contact = await engine.getContact(profileId, contactId);
		if (!contact) {
			return {
				score: 0,
				tier: tierOf(0),
				groups: {},
				topGroup: null,
				contactId,
				found: false,
				lastActivityAt: null,
				firstSeenAt: null,
				updatedAt: null,
				profileId,
			};
		}
		// contactJson's fields, with `found` after the contact id.
		const { score, tier, groups, topGroup, ...rest } = contactJson(contact);
		return { score, tier, groups, topGroup, contactId, found: true, ...rest };
	});
}
