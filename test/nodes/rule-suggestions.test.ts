/**
 * The rule form's suggestions, as the editor loads them: n8n-core's LoadOptionsContext over the
 * node's current parameters, with the path of the condition field whose list is opened.
 */
import type { IDataObject, INodeParameters, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { EngagementScore } from '../../nodes/EngagementScore/EngagementScore.node';

import { EVENT_TYPES } from '../../src/index';
import { callNodeMethod } from '../harness/run-workflow';
import { ENGAGEMENT_SCORE_TYPE, nodeTypes } from '../harness/engagement-score-nodes';

function ruleForm(rules: IDataObject[]): IDataObject {
	return { resource: 'profile', operation: 'create', name: 'Lead Score', rulesSource: 'fields', rules: { rule: rules } };
}

async function suggestions(
	parameters: IDataObject,
	method: 'getConditionProperties' | 'getConditionValues',
	rule: number,
	condition: number,
): Promise<INodePropertyOptions[]> {
	const field = method === 'getConditionProperties' ? 'property' : 'value';
	return await callNodeMethod<INodePropertyOptions[]>({
		nodeTypes,
		node: { name: 'Engagement Score', type: ENGAGEMENT_SCORE_TYPE, typeVersion: 1, parameters },
		kind: 'loadOptions',
		method,
		path: `parameters.rules.rule[${rule}].conditions.condition[${condition}].${field}`,
	});
}

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value);
const emptyCondition = { property: '', operator: 'equals', value: '' };

describe('rule form suggestions', () => {
	test("Property offers the chosen event type's properties, from the engine's table", async () => {
		const form = ruleForm([
			{ eventType: 'form_submitted', points: 3, conditions: { condition: [{ property: 'form', operator: 'equals', value: 'demo' }] } },
			{ eventType: 'email_event', points: 5, conditions: { condition: [emptyCondition] } },
		]);
		const email = await suggestions(form, 'getConditionProperties', 1, 0);
		expect(values(email)).toEqual(['event', 'campaign', 'link']);
		expect(email[0].description).toBe('What happened to the email');

		const tag = await suggestions(
			ruleForm([{ eventType: 'contact_tag', points: 20, conditions: { condition: [emptyCondition] } }]),
			'getConditionProperties',
			0,
			0,
		);
		expect(values(tag)).toEqual(EVENT_TYPES.find((type) => type.id === 'contact_tag')!.properties.map((p) => p.name));
	});

	test('Value offers the known values of the chosen property, and a list for In List', async () => {
		const form = ruleForm([
			{ eventType: 'email_event', points: 5, conditions: { condition: [{ property: 'event', operator: 'equals', value: '' }] } },
			{
				eventType: 'appointment_status_changed',
				points: -5,
				conditions: { condition: [{ property: 'status', operator: 'in', value: ['noshow'] }] },
			},
		]);
		expect(values(await suggestions(form, 'getConditionValues', 0, 0))).toEqual([
			'opened',
			'clicked',
			'delivered',
			'bounced',
			'unsubscribed',
			'complained',
			'replied',
			'failed',
		]);
		expect(values(await suggestions(form, 'getConditionValues', 1, 0))).toEqual(['confirmed', 'showed', 'noshow', 'cancelled', 'rescheduled']);
	});

	test('a saved custom property or value stays listed, so the form shows it as chosen', async () => {
		const form = ruleForm([
			{
				eventType: 'order_placed',
				points: 10,
				conditions: { condition: [{ property: 'order.total', operator: 'greaterThan', value: '100' }] },
			},
			{ eventType: 'email_event', points: 2, conditions: { condition: [{ property: 'event', operator: 'equals', value: 'forwarded' }] } },
		]);
		const properties = await suggestions(form, 'getConditionProperties', 0, 0);
		expect(values(properties)).toEqual(['order.total', 'amount', 'currency', 'product']);
		expect(properties[0].description).toBe('Not a known property of this event type');
		const emailValues = await suggestions(form, 'getConditionValues', 1, 0);
		expect(emailValues[0]).toEqual({ name: 'forwarded', value: 'forwarded', description: 'Not a known value of this property' });
		expect(values(emailValues)).toContain('opened');
	});

	test('two rules of different types with the same still-empty condition get the suggestions of both', async () => {
		const form = ruleForm([
			{ eventType: 'contact_replied', points: 4, conditions: { condition: [emptyCondition] } },
			{ eventType: 'survey_submitted', points: 2, conditions: { condition: [emptyCondition] } },
		]);
		const options = await suggestions(form, 'getConditionProperties', 1, 0);
		expect(values(options)).toEqual(['channel', 'survey']);
		expect(options[1].description).toBe('Survey Submitted: Name or id of the survey');
	});

	test('a custom event type has no known properties', async () => {
		const form = ruleForm([
			{ eventType: 'custom', customEventType: 'webinar_attended', points: 20, conditions: { condition: [emptyCondition] } },
		]);
		expect(await suggestions(form, 'getConditionProperties', 0, 0)).toEqual([]);
	});
});

describe("the condition's Value field, as the editor shows it", () => {
	const node = new EngagementScore();
	const description = NodeHelpers.getVersionedNodeType(node, 1).description;
	const rules = description.properties.find((property) => property.name === 'rules')!;
	const ruleValues = (rules.options![0] as INodePropertyCollection).values;
	const conditionFields = (ruleValues.find((field) => field.name === 'conditions')!.options![0] as INodePropertyCollection).values;

	const shownValueField = (condition: IDataObject) =>
		conditionFields
			.filter((field) => field.name === 'value' && NodeHelpers.displayParameter(condition as INodeParameters, field, null, description))
			.map((field) => field.type);

	test.each([
		[{ property: 'event', operator: 'equals' }, ['options']],
		[{ property: 'status', operator: 'notIn' }, ['multiOptions']],
		[{ property: 'status', operator: 'in', value: ['noshow', 'cancelled'] }, ['multiOptions']],
		[{ property: 'event', operator: 'in', value: 'bounced, unsubscribed' }, ['string']],
		[{ property: 'tag', operator: 'equals' }, ['string']],
		[{ property: 'amount', operator: 'greaterThan' }, ['string']],
		[{ property: '', operator: 'equals' }, ['string']],
		[{ property: '={{ "event" }}', operator: 'equals' }, ['string']],
		[{ property: 'event', operator: 'exists' }, []],
		[{ property: 'tag', operator: 'notExists' }, []],
	])('%j shows %j', (condition, shown) => {
		expect(shownValueField(condition)).toEqual(shown);
	});
});
