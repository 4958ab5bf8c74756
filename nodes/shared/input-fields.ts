import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

/**
 * "Include Other Input Fields", as n8n's Edit Fields (Set) node offers it: the input item's own
 * fields pass on to the output beside the node's. The node's fields come first, so that score and
 * delta stay in view in the table, and win on a name clash, as the fields Set sets do.
 */
export function inputFieldsProperties(show: NonNullable<IDisplayOptions['show']> = {}): INodeProperties[] {
	const shown = (extra: NonNullable<IDisplayOptions['show']> = {}) =>
		Object.keys(show).length + Object.keys(extra).length === 0 ? {} : { displayOptions: { show: { ...show, ...extra } } };
	return [
		{
			displayName: 'Include Other Input Fields',
			name: 'includeOtherFields',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description:
				"Whether to pass the input item's own fields to the output too, after the node's fields (a field of the same name keeps the node's value)",
			...shown(),
		},
		{
			displayName: 'Input Fields to Include',
			name: 'include',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'All', value: 'all', description: 'Every field of the input item' },
				{ name: 'Selected', value: 'selected', description: 'Only the fields named in Fields to Include' },
				{ name: 'All Except', value: 'except', description: 'Every field but those named in Fields to Exclude' },
			],
			default: 'all',
			description: 'Which fields of the input item to pass on',
			...shown({ includeOtherFields: [true] }),
		},
		{
			displayName: 'Fields to Include',
			name: 'includeFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. email, name',
			description: 'Comma-separated names of the input fields to pass on. You can drag them from the input panel.',
			requiresDataPath: 'multiple',
			...shown({ includeOtherFields: [true], include: ['selected'] }),
		},
		{
			displayName: 'Fields to Exclude',
			name: 'excludeFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. body, headers',
			description: 'Comma-separated names of the input fields not to pass on. You can drag them from the input panel.',
			requiresDataPath: 'multiple',
			...shown({ includeOtherFields: [true], include: ['except'] }),
		},
	];
}

/** Adds the input item's fields to an output json, as the node's Include Other Input Fields says; read once per execution. */
export type InputFieldsMerger = (itemIndex: number, json: IDataObject) => IDataObject;

export function inputFieldsMerger(context: IExecuteFunctions): InputFieldsMerger {
	if (context.getNodeParameter('includeOtherFields', 0, false) !== true) return (_itemIndex, json) => json;
	const items = context.getInputData();
	const include = context.getNodeParameter('include', 0, 'all');
	const names = (parameter: string) =>
		new Set(
			String(context.getNodeParameter(parameter, 0, ''))
				.split(',')
				.map((name) => name.trim())
				.filter((name) => name !== ''),
		);
	const keep: (name: string) => boolean =
		include === 'selected'
			? ((selected) => (name: string) => selected.has(name))(names('includeFields'))
			: include === 'except'
				? ((excluded) => (name: string) => !excluded.has(name))(names('excludeFields'))
				: () => true;
	return (itemIndex, json) => {
		const input = items[itemIndex]?.json ?? {};
		const merged: IDataObject = { ...json };
		for (const name of Object.keys(input)) {
			if (!keep(name) || Object.prototype.hasOwnProperty.call(json, name)) continue;
			// defineProperty: an input field named __proto__ is an ordinary field here too.
			Object.defineProperty(merged, name, { value: deepCopy(input[name]), enumerable: true, writable: true, configurable: true });
		}
		return merged;
	};
}
