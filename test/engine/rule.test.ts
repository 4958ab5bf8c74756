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

describe('parseRules: how often a rule counts, expiry and group', () => {
	const parsed = (extra: Record<string, unknown>) => parseRules([{ id: 'r', eventType: 'email_event', points: 1, ...extra }])[0];

	it('reads counts as "once", "everyTime" or { times, per, days }', () => {
		expect(parsed({ counts: 'once' }).counts).toEqual({ times: 1, per: 'contact' });
		expect(parsed({ counts: 'everyTime' })).not.toHaveProperty('counts');
		expect(parsed({ counts: { times: '3', per: 'day' } }).counts).toEqual({ times: 3, per: 'day' });
		expect(parsed({ counts: { times: 2, per: 'rollingDays', days: 30 } }).counts).toEqual({ times: 2, per: 'rollingDays', days: 30 });
	});

	it('reads expiresAfterDays and group, and leaves them out when empty', () => {
		expect(parsed({ expiresAfterDays: '90', group: ' Email ' })).toMatchObject({ expiresAfterDays: 90, group: 'Email' });
		const plain = parsed({ expiresAfterDays: '', group: null, counts: null });
		expect(Object.keys(plain)).toEqual(['id', 'eventType', 'conditions', 'points']);
	});

	it('is idempotent on parsed rules with the new fields', () => {
		const rules = parseRules([{ eventType: 'a', points: 1, counts: { times: 2, per: 'week' }, expiresAfterDays: 7, group: 'Sales' }]);
		expect(parseRules(rules)).toEqual(rules);
		expect(parseRules(JSON.stringify(rules))).toEqual(rules);
	});

	it('names the field of a bad count, period, days or group', () => {
		expect(fieldOf([{ eventType: 'a', points: 1, counts: 'twice' }])).toBe('rules[0].counts');
		expect(fieldOf([{ eventType: 'a', points: 1, counts: { times: 0, per: 'day' } }])).toBe('rules[0].counts.times');
		expect(fieldOf([{ eventType: 'a', points: 1, counts: { per: 'day' } }])).toBe('rules[0].counts.times');
		expect(fieldOf([{ eventType: 'a', points: 1, counts: { times: 1, per: 'year' } }])).toBe('rules[0].counts.per');
		expect(fieldOf([{ eventType: 'a', points: 1, counts: { times: 1, per: 'rollingDays' } }])).toBe('rules[0].counts.days');
		expect(fieldOf([{ eventType: 'a', points: 1, counts: { times: 1, per: 'day', days: 3 } }])).toBe('rules[0].counts.days');
		expect(fieldOf([{ eventType: 'a', points: 1, expiresAfterDays: 0 }])).toBe('rules[0].expiresAfterDays');
		expect(fieldOf([{ eventType: 'a', points: 1, expiresAfterDays: 'soon' }])).toBe('rules[0].expiresAfterDays');
		expect(fieldOf([{ eventType: 'a', points: 1, group: { name: 'x' } }])).toBe('rules[0].group');
	});
});
