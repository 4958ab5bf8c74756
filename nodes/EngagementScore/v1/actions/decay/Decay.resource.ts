import type { INodeProperties } from 'n8n-workflow';

import * as apply from './apply.operation';
import { profileLocatorProperty } from '../../../../shared/profile';

export { apply };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['decay'] } },
		options: [
			{
				name: 'Apply',
				value: 'apply',
				description:
					'Lower the scores of contacts with no activity for a while (run it from a Schedule Trigger). Runs once per profile and execution, however many items come in.',
				action: 'Apply decay to inactive contacts',
			},
		],
		default: 'apply',
	},
	profileLocatorProperty({ displayOptions: { show: { resource: ['decay'] } } }),
	...apply.description,
];
