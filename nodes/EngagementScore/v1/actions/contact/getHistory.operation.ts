import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toContactId, type EngagementEngine } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { changeJson, changeSeqKey } from '../../helpers/output';
import { returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['getHistory'] };

export const description: INodeProperties[] = [...returnAllAndLimit(show)];

const labels = labelsOf(description);

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	const seqKey = changeSeqKey(this.getNode().typeVersion);
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const contactId = toContactId(this.getNodeParameter('contactId', itemIndex));
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Number.MAX_SAFE_INTEGER : this.getNodeParameter('limit', itemIndex, 50);
		const changes = await engine.getHistory(profileId, contactId, limit);
		return changes.map((change) => changeJson(change, seqKey));
	}, labels);
}
