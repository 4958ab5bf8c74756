import type { INodeProperties } from 'n8n-workflow';

import * as deleteContact from './delete.operation';
import * as explainScore from './explainScore.operation';
import * as get from './get.operation';
import * as getHistory from './getHistory.operation';
import * as getMany from './getMany.operation';
import * as reset from './reset.operation';
import { contactIdProperty } from '../../../../shared/contact-id';
import { profileLocatorProperty } from '../../../../shared/profile';

export { deleteContact as delete, explainScore, get, getHistory, getMany, reset };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: "Forget a contact's score and history", action: 'Delete a contact score' },
			{
				name: 'Explain Score',
				value: 'explainScore',
				description: "See what makes up a contact's score: each rule's points, manual changes, decay, expiries and limits",
				action: 'Explain a contact score',
			},
			{ name: 'Get', value: 'get', description: "Get a contact's score", action: 'Get a contact score' },
			{ name: 'Get History', value: 'getHistory', description: "Get the changes of a contact's score, newest first", action: 'Get the score history of a contact' },
			{ name: 'Get Many', value: 'getMany', description: 'List contacts sorted by score', action: 'Get many contact scores' },
			{ name: 'Reset', value: 'reset', description: "Set a contact's score to 0, keeping the history", action: 'Reset a contact score' },
		],
		default: 'get',
	},
	profileLocatorProperty({ displayOptions: { show: { resource: ['contact'] } } }),
	contactIdProperty({ displayOptions: { show: { resource: ['contact'], operation: ['delete', 'explainScore', 'get', 'getHistory', 'reset'] } } }),
	...getMany.description,
	...getHistory.description,
	...reset.description,
];
