import { compileRules } from '../../src/evaluator';
import { parseRules } from '../../src/rule';

const rules = parseRules([
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 },
	{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 },
	{ id: 'promo', eventType: 'email_event', conditions: [{ property: 'link', operator: 'contains', value: 'promo' }], points: 3 },
	{ id: 'any-email', eventType: 'email_event', points: 0.1 },
	{ id: 'unsub', eventType: 'email_event', conditions: [{ property: 'event', operator: 'in', value: 'unsubscribed, complained' }], points: -10 },
	{ id: 'vip', eventType: 'contact_tag', conditions: [{ property: 'action', operator: 'equals', value: 'added' }, { property: 'tag', operator: 'equals', value: 'VIP' }], points: 20 },
	{ id: 'big-order', eventType: 'order_placed', conditions: [{ property: 'amount', operator: 'greaterThanOrEqual', value: 100 }], points: 15 },
	{ id: 'order', eventType: 'order_placed', points: 0.2 },
]);

describe('compileRules', () => {
	const evaluator = compileRules(rules);

	it('sums the points of every matching rule, in rule order', () => {
		expect(evaluator.evaluate({ type: 'email_event', properties: { event: 'clicked', link: 'https://x/promo' } })).toEqual({
			delta: 13.1,
			matchedRuleIds: ['clicked', 'promo', 'any-email'],
		});
		expect(evaluator.evaluate({ type: 'order_placed', properties: { amount: '150' } })).toEqual({ delta: 15.2, matchedRuleIds: ['big-order', 'order'] });
		expect(evaluator.evaluate({ type: 'email_event', properties: { event: 'complained' } })).toEqual({ delta: -9.9, matchedRuleIds: ['any-email', 'unsub'] });
	});

	it('applies a rule only when all its conditions hold', () => {
		expect(evaluator.evaluate({ type: 'contact_tag', properties: { action: 'added', tag: 'vip' } }).delta).toBe(20);
		expect(evaluator.evaluate({ type: 'contact_tag', properties: { action: 'removed', tag: 'vip' } })).toEqual({ delta: 0, matchedRuleIds: [] });
	});

	it('matches nothing for other event types', () => {
		expect(evaluator.evaluate({ type: 'survey_submitted', properties: {} })).toEqual({ delta: 0, matchedRuleIds: [] });
	});

	it('keeps fractional sums exact (0.1 + 0.2 is 0.3)', () => {
		const fractions = compileRules(parseRules([{ eventType: 'x', points: 0.1 }, { eventType: 'x', points: 0.2 }]));
		expect(fractions.evaluate({ type: 'x', properties: {} }).delta).toBe(0.3);
	});

	it('returns equal results for repeated evaluations, frozen so that sharing them is safe', () => {
		const first = evaluator.evaluate({ type: 'email_event', properties: { event: 'opened' } });
		const again = evaluator.evaluate({ type: 'email_event', properties: { event: 'OPENED' } });
		expect(again).toEqual({ delta: 5.1, matchedRuleIds: ['opened', 'any-email'] });
		expect(again).toEqual(first);
		expect(Object.isFrozen(first) && Object.isFrozen(first.matchedRuleIds)).toBe(true);
	});

	it('handles more rules per type than fit in a mask', () => {
		const many = parseRules(Array.from({ length: 40 }, (_, index) => ({ eventType: 'x', conditions: [{ property: 'n', operator: 'greaterThan', value: index }], points: 1 })));
		const result = compileRules(many).evaluate({ type: 'x', properties: { n: 35 } });
		expect(result.delta).toBe(35);
		expect(result.matchedRuleIds).toHaveLength(35);
		expect(result.matchedRuleIds[34]).toBe('rule-35');
	});
});
