import type { INodeTypeDescription } from 'n8n-workflow';

import { EngagementScoreTrigger } from './EngagementScoreTrigger.node';

/**
 * The trigger under its first type name, for workflows saved with it: the same node, hidden from
 * the node creator (new nodes get `engagementScoreChangeTrigger`, see EngagementScoreTrigger).
 */
export class LegacyEngagementScoreTrigger extends EngagementScoreTrigger {
	description: INodeTypeDescription = {
		...new EngagementScoreTrigger().description,
		name: 'engagementScoreTrigger',
		hidden: true,
	};
}
