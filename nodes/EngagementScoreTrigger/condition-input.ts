import type { INodeProperties } from 'n8n-workflow';

import { toScoreConditionSet, type ScoreConditionSet, type ScoreOperator } from '../../src/index';

/**
 * The trigger's condition editor and how its values become the engine's condition set.
 * Values arrive as n8n stores them: `{ condition: [{ scoreOf, group, operator, value, valueTo }] }`.
 */

export const SCORE_OPERATOR_OPTIONS = [
	{ name: 'Is Greater Than or Equal To (>=)', value: 'gte' },
	{ name: 'Is Greater Than (>)', value: 'gt' },
	{ name: 'Is Less Than or Equal To (<=)', value: 'lte' },
	{ name: 'Is Less Than (<)', value: 'lt' },
	{ name: 'Is Equal To (=)', value: 'eq' },
	{ name: 'Is Not Equal To (!=)', value: 'ne' },
	{ name: 'Is Between (Inclusive)', value: 'between' },
] satisfies ReadonlyArray<{ name: string; value: ScoreOperator }>;

export const conditionProperties: INodeProperties[] = [
	{
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Condition',
		default: { condition: [{ operator: 'gte', value: 50 }] },
		description: "Conditions on the contact's total score or a group's score",
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Score Of',
						name: 'scoreOf',
						type: 'options',
						options: [
							{ name: 'Total Score', value: 'total', description: "The contact's whole score" },
							{ name: 'Group', value: 'group', description: "One group's subtotal, e.g. the points of the rules in group Sales" },
						],
						default: 'total',
						description: 'Which score the condition compares',
					},
					{
						displayName: 'Group',
						name: 'group',
						type: 'string',
						default: '',
						placeholder: 'e.g. Sales',
						description: "The group's name as the rules' Group field names it; a contact without points in it is at 0",
						displayOptions: { show: { scoreOf: ['group'] } },
					},
					{
						displayName: 'Score',
						name: 'operator',
						type: 'options',
						options: [...SCORE_OPERATOR_OPTIONS],
						default: 'gte',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'number',
						default: 0,
						description: 'The score to compare with; the lower bound for "Is Between"',
					},
					{
						displayName: 'Upper Bound',
						name: 'valueTo',
						type: 'number',
						default: 100,
						description: 'The upper bound (inclusive) for "Is Between"',
						displayOptions: { show: { operator: ['between'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Match',
		name: 'combinator',
		type: 'options',
		options: [
			{ name: 'All Conditions (AND)', value: 'and' },
			{ name: 'Any Condition (OR)', value: 'or' },
		],
		default: 'and',
		description: 'Whether every condition must hold, or at least one',
	},
];

/**
 * The engine's condition set from the editor's values; the engine validates it.
 * @throws InvalidInputError naming the field, e.g. "conditions[1].operator"
 */
export function conditionSetFrom(combinator: unknown, conditionsValue: unknown): ScoreConditionSet {
	const rows =
		typeof conditionsValue === 'object' && conditionsValue !== null
			? (conditionsValue as { condition?: unknown }).condition
			: undefined;
	return toScoreConditionSet({ combinator, conditions: rows ?? [] });
}
