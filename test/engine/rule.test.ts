import { InvalidInputError } from '../../src/errors';
import { parseRules } from '../../src/rule';

function fieldOf(input: unknown): string | undefined {
	try {
		parseRules(input);
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).field;
	}
	throw new Error('expected an InvalidInputError');
}

describe('parseRules', () => {
	it('normalises an array of rule-like objects', () => {
		const rules = parseRules([
			{ id: 'open', eventType: 'Email Events', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: '5', description: ' Opened an email ' },
			{ eventType: 'contact_tag', points: -2.5 },
		]);
		expect(rules).toEqual([
			{ id: 'open', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5, description: 'Opened an email' },
			{ id: 'rule-2', eventType: 'contact_tag', conditions: [], points: -2.5 },
		]);
	});

	it('accepts JSON text, and empty text as no rules', () => {
		expect(parseRules('[{"eventType":"order_placed","points":10}]')).toEqual([
			{ id: 'rule-1', eventType: 'order_placed', conditions: [], points: 10 },
		]);
		expect(parseRules('  ')).toEqual([]);
	});

	it('generates ids unique within the list, never clashing with given ones', () => {
		const rules = parseRules([{ eventType: 'a', points: 1 }, { id: 'rule-1', eventType: 'b', points: 1 }, { eventType: 'c', points: 1 }]);
		expect(rules.map((rule) => rule.id)).toEqual(['rule-1-2', 'rule-1', 'rule-3']);
		expect(parseRules([{ id: 7, eventType: 'a', points: 1 }])[0].id).toBe('7');
	});

	it('is idempotent on already parsed rules', () => {
		const rules = parseRules([{ eventType: 'a', points: 1, conditions: [{ property: 'x', operator: 'in', value: 'a,b' }] }]);
		expect(parseRules(rules)).toEqual(rules);
	});

	it('names the field of each mistake', () => {
		expect(fieldOf('[{"eventType": "a", points: 1}]')).toBe('rules');
		expect(fieldOf('{"eventType": "a"}')).toBe('rules');
		expect(fieldOf([{ eventType: 'a', points: 1 }, 'rule'])).toBe('rules[1]');
		expect(fieldOf([{ eventType: 'a', points: 'five' }])).toBe('rules[0].points');
		expect(fieldOf([{ eventType: 'a', points: Infinity }])).toBe('rules[0].points');
		expect(fieldOf([{ eventType: 'a' }])).toBe('rules[0].points');
		expect(fieldOf([{ points: 1 }])).toBe('rules[0].eventType');
		expect(fieldOf([{ eventType: 'a', points: 1, conditions: {} }])).toBe('rules[0].conditions');
		expect(fieldOf([{ eventType: 'a', points: 1 }, { eventType: 'a', points: 1, conditions: [{}, { property: 'x', operator: 'matches', value: 1 }] }])).toBe(
			'rules[1].conditions[0].property',
		);
		expect(fieldOf([{ eventType: 'a', points: 1, conditions: [{ property: 'x', operator: 'matches', value: 1 }] }])).toBe('rules[0].conditions[0].operator');
		expect(fieldOf([{ id: 'x', eventType: 'a', points: 1 }, { id: ' x ', eventType: 'b', points: 2 }])).toBe('rules[1].id');
		expect(fieldOf([{ id: {}, eventType: 'a', points: 1 }])).toBe('rules[0].id');
		expect(fieldOf([{ eventType: 'a', points: 1, description: 5 }])).toBe('rules[0].description');
	});
});
