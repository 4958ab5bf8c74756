import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toContactId, type EngagementEngine } from '../../../../../src/index';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { explanationJson } from '../../helpers/explanation-output';

/** What makes up a contact's score under the published rules: one item (docs/outputs.md). */
export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		return explanationJson(await engine.explainScore(profileId, contactId), profileId);
	});
}
