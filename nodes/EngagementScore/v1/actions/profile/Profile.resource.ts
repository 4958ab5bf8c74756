import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteProfile from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as previewDraft from './previewDraft.operation';
import * as publish from './publish.operation';
import * as unpublish from './unpublish.operation';
import * as updateDraft from './updateDraft.operation';
import { profileLocatorProperty } from '../../../../shared/profile';

export { create, deleteProfile as delete, get, getMany, previewDraft, publish, unpublish, updateDraft };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a score profile (a draft)', action: 'Create a profile' },
			{ name: 'Delete', value: 'delete', description: 'Delete a profile with all its scores and history', action: 'Delete a profile' },
			{ name: 'Get', value: 'get', description: 'Get a profile with its draft and published rules', action: 'Get a profile' },
			{ name: 'Get Many', value: 'getMany', description: 'List the profiles', action: 'Get many profiles' },
			{
				name: 'Preview Draft',
				value: 'previewDraft',
				description: 'See which scores publishing the draft would change, writing nothing',
				action: 'Preview a profile draft',
			},
			{ name: 'Publish', value: 'publish', description: 'Make the draft rules the ones that score events', action: 'Publish a profile' },
			{ name: 'Unpublish', value: 'unpublish', description: 'Stop scoring; scores are kept', action: 'Unpublish a profile' },
			{ name: 'Update Draft', value: 'updateDraft', description: 'Change the name, description or draft rules', action: 'Update a profile draft' },
		],
		default: 'create',
	},
	profileLocatorProperty({
		displayOptions: { show: { resource: ['profile'], operation: ['delete', 'get', 'previewDraft', 'publish', 'unpublish', 'updateDraft'] } },
	}),
	...create.description,
	...updateDraft.description,
	...getMany.description,
	...publish.description,
	...previewDraft.description,
];
