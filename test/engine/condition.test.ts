import { compileCondition, toCondition } from '../../src/condition';
import { InvalidInputError } from '../../src/errors';

function matches(condition: Record<string, unknown>, properties: Record<string, unknown>): boolean {
	return compileCondition(toCondition(condition, 'c'))(properties);
}

function fieldOf(raw: unknown): string | undefined {
	try {
		toCondition(raw, 'rules[1].conditions[0]');
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).field;
	}
	throw new Error('expected an InvalidInputError');
}

describe('condition validation', () => {
	it('rejects an unknown operator naming its precise path', () => {
		expect(fieldOf({ property: 'a', operator: 'like', value: 'x' })).toBe('rules[1].conditions[0].operator');
		expect(fieldOf({ property: 'a', value: 'x' })).toBe('rules[1].conditions[0].operator');
	});

	it('requires a property and a value the operator can use', () => {
		expect(fieldOf({ operator: 'equals', value: 'x' })).toBe('rules[1].conditions[0].property');
		expect(fieldOf({ property: 'a', operator: 'equals' })).toBe('rules[1].conditions[0].value');
		expect(fieldOf({ property: 'a', operator: 'equals', value: { x: 1 } })).toBe('rules[1].conditions[0].value');
		expect(fieldOf({ property: 'a', operator: 'greaterThan', value: 'ten' })).toBe('rules[1].conditions[0].value');
		expect(fieldOf({ property: 'a', operator: 'in', value: ' , ' })).toBe('rules[1].conditions[0].value');
		expect(fieldOf({ property: 'a', operator: 'in', value: 5 })).toBe('rules[1].conditions[0].value');
		expect(fieldOf('equals')).toBe('rules[1].conditions[0]');
	});

	it('normalises operator case, numeric thresholds and comma-separated lists', () => {
		expect(toCondition({ property: ' amount ', operator: 'GreaterThan', value: '10' }, 'c')).toEqual({
			property: 'amount',
			operator: 'greaterThan',
			value: 10,
		});
		expect(toCondition({ property: 'tag', operator: 'in', value: 'vip, gold,' }, 'c').value).toEqual(['vip', 'gold']);
		expect(toCondition({ property: 'tag', operator: 'exists', value: 'ignored' }, 'c')).toEqual({ property: 'tag', operator: 'exists' });
	});
});

describe('condition semantics', () => {
	it('equals: text trimmed and case-insensitive, numbers numerically, booleans as text', () => {
		const opened = { property: 'event', operator: 'equals', value: 'Opened' };
		expect(matches(opened, { event: ' opened ' })).toBe(true);
		expect(matches(opened, { event: 'clicked' })).toBe(false);
		expect(matches(opened, {})).toBe(false);
		const five = { property: 'n', operator: 'equals', value: 5 };
		expect(matches(five, { n: '5.0' })).toBe(true);
		expect(matches(five, { n: 5 })).toBe(true);
		expect(matches(five, { n: 6 })).toBe(false);
		expect(matches(five, { n: '' })).toBe(false);
		expect(matches({ property: 'vip', operator: 'equals', value: true }, { vip: 'TRUE' })).toBe(true);
		expect(matches({ property: 'vip', operator: 'equals', value: 'true' }, { vip: true })).toBe(true);
		expect(matches({ property: 'vip', operator: 'equals', value: 'yes' }, { vip: true })).toBe(false);
	});

	it('notEquals is the exact negation: a missing property does not equal anything', () => {
		const notCancelled = { property: 'status', operator: 'notEquals', value: 'cancelled' };
		expect(matches(notCancelled, { status: 'CANCELLED' })).toBe(false);
		expect(matches(notCancelled, { status: 'confirmed' })).toBe(true);
		expect(matches(notCancelled, {})).toBe(true);
	});

	it('contains: case-insensitive substring in text, element in arrays', () => {
		const promo = { property: 'link', operator: 'contains', value: 'PROMO' };
		expect(matches(promo, { link: 'https://x.io/spring-promo?a=1' })).toBe(true);
		expect(matches(promo, { link: 'https://x.io/' })).toBe(false);
		expect(matches(promo, { link: ['home', 'promo'] })).toBe(true);
		expect(matches(promo, { link: ['promotion'] })).toBe(false);
		expect(matches({ property: 'zip', operator: 'contains', value: '902' }, { zip: 90210 })).toBe(true);
		expect(matches({ property: 'ids', operator: 'contains', value: 3 }, { ids: ['1', '3'] })).toBe(true);
		expect(matches(promo, { link: { promo: true } })).toBe(false);
		expect(matches({ property: 'link', operator: 'notContains', value: 'promo' }, { link: 'home' })).toBe(true);
		expect(matches({ property: 'link', operator: 'notContains', value: 'promo' }, { link: 'promo' })).toBe(false);
	});

	it('greater/less compare numbers (numeric text counts) and never match non-numbers', () => {
		const cases: Array<[string, unknown, boolean]> = [
			['greaterThan', 101, true],
			['greaterThan', 100, false],
			['greaterThanOrEqual', '100', true],
			['greaterThanOrEqual', 99.99, false],
			['lessThan', ' 99.5 ', true],
			['lessThan', 100, false],
			['lessThanOrEqual', 100, true],
			['lessThanOrEqual', 100.01, false],
		];
		for (const [operator, amount, expected] of cases) {
			expect([operator, amount, matches({ property: 'amount', operator, value: 100 }, { amount })]).toEqual([operator, amount, expected]);
		}
		for (const amount of ['lots', '', null, true, [200], '0x200', undefined]) {
			expect(matches({ property: 'amount', operator: 'greaterThan', value: -1 }, { amount })).toBe(false);
			expect(matches({ property: 'amount', operator: 'lessThan', value: 1e9 }, { amount })).toBe(false);
		}
	});

	it('in / notIn take an array or comma-separated text; an array property matches if any element is listed', () => {
		const vip = { property: 'tag', operator: 'in', value: 'VIP, gold' };
		expect(matches(vip, { tag: 'vip' })).toBe(true);
		expect(matches(vip, { tag: 'silver' })).toBe(false);
		expect(matches(vip, { tag: ['silver', 'Gold'] })).toBe(true);
		expect(matches({ property: 'n', operator: 'in', value: [1, 2] }, { n: '2' })).toBe(true);
		expect(matches({ property: 'tag', operator: 'notIn', value: ['vip'] }, { tag: 'new' })).toBe(true);
		expect(matches({ property: 'tag', operator: 'notIn', value: ['vip'] }, { tag: 'VIP' })).toBe(false);
	});

	it('exists means present and neither null nor empty text', () => {
		const exists = { property: 'email', operator: 'exists' };
		expect(matches(exists, { email: 'a@b.c' })).toBe(true);
		expect(matches(exists, { email: 0 })).toBe(true);
		expect(matches(exists, { email: false })).toBe(true);
		expect(matches(exists, { email: '  ' })).toBe(false);
		expect(matches(exists, { email: null })).toBe(false);
		expect(matches(exists, {})).toBe(false);
		expect(matches({ property: 'email', operator: 'notExists' }, {})).toBe(true);
		expect(matches({ property: 'email', operator: 'notExists' }, { email: 'x' })).toBe(false);
	});

	it('reads dotted paths from own properties only', () => {
		const total = { property: 'order.total', operator: 'greaterThan', value: 50 };
		expect(matches(total, { order: { total: 60 } })).toBe(true);
		expect(matches(total, { order: { total: 40 } })).toBe(false);
		expect(matches(total, { order: null })).toBe(false);
		expect(matches(total, { 'order.total': 70 })).toBe(true);
		expect(matches({ property: 'items.1.sku', operator: 'equals', value: 'b' }, { items: [{ sku: 'a' }, { sku: 'b' }] })).toBe(true);
		const inherited = Object.create({ total: 99 });
		expect(matches(total, { order: inherited })).toBe(false);
	});

	it('treats __proto__ and constructor as ordinary keys, never the prototype', () => {
		expect(matches({ property: 'constructor', operator: 'exists' }, {})).toBe(false);
		expect(matches({ property: '__proto__', operator: 'exists' }, {})).toBe(false);
		expect(matches({ property: 'toString', operator: 'exists' }, {})).toBe(false);
		expect(matches({ property: 'a.constructor.name', operator: 'equals', value: 'Object' }, { a: {} })).toBe(false);
		const own = JSON.parse('{"__proto__": {"plan": "pro"}, "constructor": "x"}');
		expect(matches({ property: '__proto__.plan', operator: 'equals', value: 'pro' }, own)).toBe(true);
		expect(matches({ property: 'constructor', operator: 'equals', value: 'X' }, own)).toBe(true);
	});
});
