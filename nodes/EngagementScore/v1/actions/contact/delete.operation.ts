import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toContactId, type EngagementEngine } from '../../../../../src/index';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		return { deleted: await engine.deleteContact(profileId, contactId), contactId, profileId };
	});
}
