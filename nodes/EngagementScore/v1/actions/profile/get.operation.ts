import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type EngagementEngine } from '../../../../../src/index';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { profileJson } from '../../helpers/output';

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		return profileJson(await engine.getProfile(profileId));
	});
}
