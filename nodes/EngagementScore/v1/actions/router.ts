import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as decay from './decay/Decay.resource';
import * as event from './event/Event.resource';
import * as profile from './profile/Profile.resource';
import { type EngagementEngine } from '../../../../src/index';
import { engineFor } from '../../../shared/engine';
import { executeWithStore } from '../../../shared/node-store';

type Operation = (this: IExecuteFunctions, engine: EngagementEngine) => Promise<INodeExecutionData[]>;

const operations: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
	event: { score: event.score.execute },
	profile: {
		create: profile.create.execute,
		updateDraft: profile.updateDraft.execute,
		publish: profile.publish.execute,
		previewDraft: profile.previewDraft.execute,
		unpublish: profile.unpublish.execute,
		get: profile.get.execute,
		getMany: profile.getMany.execute,
		delete: profile.delete.execute,
	},
	contact: {
		get: contact.get.execute,
		getMany: contact.getMany.execute,
		getHistory: contact.getHistory.execute,
		explainScore: contact.explainScore.execute,
		reset: contact.reset.execute,
		delete: contact.delete.execute,
	},
	decay: { apply: decay.apply.execute },
};

/** One store and engine per execution of the node, whichever operation runs. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = Object.prototype.hasOwnProperty.call(operations, resource)
		? Object.prototype.hasOwnProperty.call(operations[resource], operation)
			? operations[resource][operation]
			: undefined
		: undefined;
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	return [await executeWithStore(this, async (store) => await handler.call(this, engineFor(store)))];
}
