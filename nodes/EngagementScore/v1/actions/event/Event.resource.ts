import type { INodeProperties } from 'n8n-workflow';

import * as score from './score.operation';

export { score };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Score',
				value: 'score',
				description: "Score an event against the profile's published rules (recorded while it is a draft)",
				action: 'Score an event',
			},
		],
		default: 'score',
	},
	...score.description,
];
