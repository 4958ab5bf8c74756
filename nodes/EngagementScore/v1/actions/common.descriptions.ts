import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	CONDITION_OPERATORS,
	EVENT_TYPES,
	PROPERTIES_WITH_KNOWN_VALUES,
	type ConditionOperator,
} from '../../../../src/index';

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

const EXPRESSION_LINK = '<a href="https://docs.n8n.io/code/expressions/">expression</a>';

const LIST_OPERATORS: ConditionOperator[] = ['in', 'notIn'];
const NO_VALUE_OPERATORS: ConditionOperator[] = ['exists', 'notExists'];
/** Matches a property name with no known values (and an expression, which starts with "="). */
const WITHOUT_KNOWN_VALUES = `^(?!(${PROPERTIES_WITH_KNOWN_VALUES.map(escapeRegExp).join('|')})$)`;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A condition's fields. Property and Value offer what the engine knows of the rule's event type
 * (methods/rule-suggestions.ts); anything else is given as an expression. Value is one parameter
 * shown in one of these forms: a dropdown where the property has known values, a multi-select for
 * In List / Not In List there (a text box for a list saved as text), else a text box.
 */
/** A list saved as text ("bounced, unsubscribed"), as rules made before Values was a multi-select keep it. */
const LIST_AS_TEXT = { _cnd: { includes: ',' } } as const;

const conditionFields: INodeProperties[] = [
	{
		displayName: 'Property',
		name: 'property',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getConditionProperties' },
		allowArbitraryValues: true,
		default: '',
		description: `The event property to test: one of the event type's, or any other name (or a dotted path such as order.total) as an ${EXPRESSION_LINK}. After changing the event type, choose Refresh List in this field's menu.`,
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
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getConditionValues', loadOptionsDependsOn: ['&property'] },
		allowArbitraryValues: true,
		default: '',
		description: `A value this property is known to take, or any other value as an ${EXPRESSION_LINK}`,
		displayOptions: {
			hide: { property: [{ _cnd: { regex: WITHOUT_KNOWN_VALUES } }], operator: [...LIST_OPERATORS, ...NO_VALUE_OPERATORS] },
		},
	},
	{
		displayName: 'Values',
		name: 'value',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getConditionValues', loadOptionsDependsOn: ['&property'] },
		allowArbitraryValues: true,
		default: [],
		description: `The event matches when the property has any of these values; others can be given as an ${EXPRESSION_LINK}`,
		displayOptions: {
			show: { operator: LIST_OPERATORS },
			hide: { property: [{ _cnd: { regex: WITHOUT_KNOWN_VALUES } }], value: [LIST_AS_TEXT] },
		},
	},
	{
		displayName: 'Values',
		name: 'value',
		type: 'string',
		default: '',
		description: 'Values separated by commas. Clear the field to choose them from a list instead.',
		displayOptions: {
			show: { operator: LIST_OPERATORS, value: [LIST_AS_TEXT] },
			hide: { property: [{ _cnd: { regex: WITHOUT_KNOWN_VALUES } }] },
		},
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'For In List / Not In List: values separated by commas',
		displayOptions: {
			show: { property: [{ _cnd: { regex: WITHOUT_KNOWN_VALUES } }] },
			hide: { operator: NO_VALUE_OPERATORS },
		},
	},
];

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
			description: allowKeep
				? 'How to give the rules. Rule Changes says whether they replace the draft rules or change some; publish to make them score.'
				: 'How to give the rules. Publish to make them score.',
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
			displayOptions: { show: { ...show, rulesSource: ['fields'] }, hide: { rulesEditMode: ['remove'] } },
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
										...conditionFields,
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
			displayOptions: { show: { ...show, rulesSource: ['json'] }, hide: { rulesEditMode: ['remove'] } },
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
