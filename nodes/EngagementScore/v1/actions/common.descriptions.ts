import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CONDITION_OPERATORS, EVENT_TYPES, type ConditionOperator } from '../../../../src/index';

export const CUSTOM_EVENT_TYPE = 'custom';

/** HighLevel's twelve action types, then "Custom" for any other type name. */
export const eventTypeOptions: INodePropertyOptions[] = [
	...EVENT_TYPES.map((type) => ({ name: type.name, value: type.id, description: type.description })),
	{ name: 'Custom', value: CUSTOM_EVENT_TYPE, description: 'Any other event type, named below' },
];

const operatorLabels: Record<ConditionOperator, string> = {
	equals: 'Equals',
	notEquals: 'Not Equals',
	contains: 'Contains',
	notContains: 'Does Not Contain',
	greaterThan: 'Greater Than',
	greaterThanOrEqual: 'Greater Than or Equal',
	lessThan: 'Less Than',
	lessThanOrEqual: 'Less Than or Equal',
	in: 'In List',
	notIn: 'Not In List',
	exists: 'Exists',
	notExists: 'Does Not Exist',
};

export const conditionOperatorOptions: INodePropertyOptions[] = CONDITION_OPERATORS.map((operator) => ({
	name: operatorLabels[operator],
	value: operator,
}));

export function returnAllAndLimit(show: Record<string, string[]>, defaultLimit = 50): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaultLimit,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The rule editor shared by Profile > Create and Profile > Update Draft. */
export function rulesProperties(show: Record<string, string[]>, allowKeep: boolean): INodeProperties[] {
	const sources: INodePropertyOptions[] = [
		{ name: 'Using Fields Below', value: 'fields', description: 'Edit the rules one by one in this node' },
		{ name: 'Using JSON', value: 'json', description: 'Give the rules as a JSON array' },
	];
	if (allowKeep) {
		sources.unshift({ name: 'Keep Current Rules', value: 'keep', description: 'Leave the draft rules as they are' });
	}
	return [
		{
			displayName: 'Define Rules',
			name: 'rulesSource',
			type: 'options',
			noDataExpression: true,
			options: sources,
			default: allowKeep ? 'keep' : 'fields',
			description: 'How to give the rules. They replace the draft rules; publish to make them score.',
			displayOptions: { show },
		},
		{
			displayName: 'Rules',
			name: 'rules',
			type: 'fixedCollection',
			placeholder: 'Add Rule',
			default: {},
			typeOptions: { multipleValues: true, sortable: true },
			description: 'Every rule whose event type and conditions match an event adds its points',
			displayOptions: { show: { ...show, rulesSource: ['fields'] } },
			options: [
				{
					displayName: 'Rule',
					name: 'rule',
					values: [
						{
							displayName: 'Event Type',
							name: 'eventType',
							type: 'options',
							options: eventTypeOptions,
							default: 'email_event',
						},
						{
							displayName: 'Custom Event Type',
							name: 'customEventType',
							type: 'string',
							default: '',
							placeholder: 'e.g. webinar_attended',
							description: 'Letters, digits and _ . : - ; case does not matter',
							displayOptions: { show: { eventType: [CUSTOM_EVENT_TYPE] } },
						},
						{
							displayName: 'Points',
							name: 'points',
							type: 'number',
							default: 1,
							description: 'Points added when the rule matches; negative to subtract',
						},
						{
							displayName: 'Conditions',
							name: 'conditions',
							type: 'fixedCollection',
							placeholder: 'Add Condition',
							default: {},
							typeOptions: { multipleValues: true },
							description: 'All must hold for the rule to match; none means every event of the type',
							options: [
								{
									displayName: 'Condition',
									name: 'condition',
									values: [
										{
											displayName: 'Property',
											name: 'property',
											type: 'string',
											default: '',
											placeholder: 'e.g. event, tag, amount, order.total',
											description: 'Name (or dotted path) of the event property to test',
										},
										{
											displayName: 'Operator',
											name: 'operator',
											type: 'options',
											options: conditionOperatorOptions,
											default: 'equals',
										},
										{
											displayName: 'Value',
											name: 'value',
											type: 'string',
											default: '',
											description: 'For In List / Not In List: values separated by commas',
											displayOptions: { hide: { operator: ['exists', 'notExists'] } },
										},
									],
								},
							],
						},
						{
							displayName: 'Counts',
							name: 'counts',
							type: 'options',
							options: [
								{ name: 'Every Time', value: 'everyTime', description: 'Every matching event adds the points' },
								{ name: 'Once per Contact', value: 'once', description: 'Only the first matching event of a contact adds the points' },
								{ name: 'At Most N Times per Period', value: 'perPeriod', description: 'Later matching events in the period add 0' },
							],
							default: 'everyTime',
							description: 'How often the rule adds its points to one contact. An event that finds the limit used up lists the rule in limitedRuleIds.',
						},
						{
							displayName: 'Times',
							name: 'times',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 1,
							description: 'How many matching events per period add the points',
							displayOptions: { show: { counts: ['perPeriod'] } },
						},
						{
							displayName: 'Period',
							name: 'period',
							type: 'options',
							options: [
								{ name: 'Calendar Day', value: 'day' },
								{ name: 'Calendar Week (From Monday)', value: 'week' },
								{ name: 'Calendar Month', value: 'month' },
								{ name: 'Rolling Window of Days', value: 'rollingDays' },
							],
							default: 'day',
							description: "Calendar periods are counted in the profile's time zone (UTC unless set)",
							displayOptions: { show: { counts: ['perPeriod'] } },
						},
						{
							displayName: 'Window (Days)',
							name: 'periodDays',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 30,
							description: 'Length of the rolling window, e.g. 30 for "at most N in any 30 days"',
							displayOptions: { show: { counts: ['perPeriod'], period: ['rollingDays'] } },
						},
						{
							displayName: 'Points Expire After (Days)',
							name: 'expiresAfterDays',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: "Days after the event's time at which the rule's points leave the score again; 0 means never",
						},
						{
							displayName: 'Group',
							name: 'group',
							type: 'string',
							default: '',
							placeholder: 'e.g. Email, Sales, Product A',
							description: "Score group the rule's points count toward; empty for none",
						},
						{
							displayName: 'Description',
							name: 'description',
							type: 'string',
							default: '',
							placeholder: 'e.g. Opened an email',
						},
						{
							displayName: 'Rule ID',
							name: 'id',
							type: 'string',
							default: '',
							description:
								'Optional stable ID, shown in score history and matched rules. Leave empty to number the rules by position: rule-1, rule-2, …',
						},
					],
				},
			],
		},
		{
			displayName: 'Rules (JSON)',
			name: 'rulesJson',
			type: 'json',
			default: '[\n  {\n    "eventType": "email_event",\n    "conditions": [{ "property": "event", "operator": "equals", "value": "opened" }],\n    "points": 5,\n    "description": "Opened an email"\n  }\n]',
			description:
				'A JSON array of rules: { "id"?, "eventType", "conditions"?: [{ "property", "operator", "value" }], "points", "description"?, "counts"?: "once" | { "times", "per": "day" | "week" | "month" | "rollingDays", "days"? }, "expiresAfterDays"?, "group"? }',
			displayOptions: { show: { ...show, rulesSource: ['json'] } },
		},
	];
}

/** Score limits and the time zone of calendar periods, shared by Profile > Create and Profile > Update Draft. */
export function scoringSettingsProperty(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Limits and Time Zone',
		name: 'scoringSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description: 'Like the rules, these are part of the draft and score from the next publish',
		displayOptions: { show },
		options: [
			{
				displayName: 'Minimum Score',
				name: 'minScore',
				type: 'number',
				default: 0,
				description: 'No change takes a score below this; the logged change is what really happened',
			},
			{
				displayName: 'Maximum Score',
				name: 'maxScore',
				type: 'number',
				default: 100,
				description: 'No change takes a score above this; the logged change is what really happened',
			},
			{
				displayName: 'Group Maximums',
				name: 'groupMax',
				type: 'fixedCollection',
				placeholder: 'Add Group Maximum',
				default: {},
				typeOptions: { multipleValues: true },
				options: [
					{
						displayName: 'Group Maximum',
						name: 'group',
						values: [
							{ displayName: 'Group', name: 'name', type: 'string', default: '', placeholder: 'e.g. Email' },
							{ displayName: 'Maximum', name: 'max', type: 'number', default: 30 },
						],
					},
				],
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone in which calendar days, weeks and months of "At Most N Times per Period" are counted; empty for UTC',
			},
		],
	};
}
