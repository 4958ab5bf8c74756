import { firing, groupsMet, holds, toScoreConditionSet } from '../../src/score-condition';

const atLeast50 = toScoreConditionSet({ combinator: 'and', conditions: [{ operator: 'gte', value: 50 }] });

describe('score conditions', () => {
	it('evaluates every operator', () => {
		const check = (operator: string, score: number, value = 10, valueTo?: number) =>
			holds(toScoreConditionSet({ conditions: [{ operator, value, valueTo }] }), score);
		expect([check('gte', 10), check('gte', 9.99)]).toEqual([true, false]);
		expect([check('gt', 10.5), check('gt', 10)]).toEqual([true, false]);
		expect([check('lte', 10), check('lte', 10.01)]).toEqual([true, false]);
		expect([check('lt', 9), check('lt', 10)]).toEqual([true, false]);
		expect([check('eq', 10), check('eq', 11)]).toEqual([true, false]);
		expect([check('ne', 11), check('ne', 10)]).toEqual([true, false]);
		expect([check('between', 10, 10, 20), check('between', 20, 10, 20), check('between', 21, 10, 20), check('between', 15, 20, 10)]).toEqual([true, true, false, true]);
	});

	it('combines with and / or', () => {
		const band = [{ operator: 'gt', value: 0 }, { operator: 'lt', value: 10 }];
		expect(holds(toScoreConditionSet({ combinator: 'and', conditions: band }), 5)).toBe(true);
		expect(holds(toScoreConditionSet({ combinator: 'and', conditions: band }), 15)).toBe(false);
		const outside = [{ operator: 'lt', value: 0 }, { operator: 'gt', value: 100 }];
		expect(holds(toScoreConditionSet({ combinator: 'or', conditions: outside }), 101)).toBe(true);
		expect(holds(toScoreConditionSet({ combinator: 'or', conditions: outside }), 50)).toBe(false);
	});

	it('names the wrong field', () => {
		const field = (raw: unknown) => {
			try {
				toScoreConditionSet(raw);
				return undefined;
			} catch (error) {
				return (error as { field?: string }).field;
			}
		};
		expect(field({ combinator: 'xor', conditions: [] })).toBe('combinator');
		expect(field({ conditions: [{ operator: 'gte', value: 1 }, { operator: '>=', value: 1 }] })).toBe('conditions[1].operator');
		expect(field({ conditions: [{ operator: 'gte', value: 'fifty' }] })).toBe('conditions[0].value');
		expect(field({ conditions: [{ operator: 'between', value: 1 }] })).toBe('conditions[0].valueTo');
		expect(field({ conditions: 'gte 5' })).toBe('conditions');
	});
});

describe('firing', () => {
	it("'enter' fires when the score comes to meet the condition, and again when it re-enters after leaving", () => {
		const scores = [0, 30, 55, 60, 45, 52, 70];
		const fired = scores.slice(1).map((score, index) => firing({ previousScore: scores[index], score }, atLeast50, 'enter'));
		expect(fired).toEqual([false, true, false, false, true, false]);
	});

	it("'everyChange' fires on each change while the condition holds", () => {
		const scores = [0, 30, 55, 60, 45, 52];
		const fired = scores.slice(1).map((score, index) => firing({ previousScore: scores[index], score }, atLeast50, 'everyChange'));
		expect(fired).toEqual([false, true, true, false, true]);
	});

	it('with no conditions every change fires', () => {
		const any = toScoreConditionSet({ conditions: [] });
		expect(firing({ previousScore: 1, score: 2 }, any, 'enter')).toBe(true);
		expect(firing({ previousScore: 1, score: 2 }, any, 'everyChange')).toBe(true);
	});
});

describe('conditions on a group score', () => {
	const sales30 = toScoreConditionSet({ conditions: [{ scoreOf: 'group', group: 'Sales', operator: 'gte', value: 30 }] });

	it("compares the group's subtotal, a group the contact lacks counting as 0, and the total when scoreOf is 'total'", () => {
		expect(holds(sales30, 100, { Sales: 30 })).toBe(true);
		expect(holds(sales30, 100, { Sales: 29.5, Email: 70 })).toBe(false);
		expect(holds(sales30, 100, undefined)).toBe(false);
		expect(holds(toScoreConditionSet({ conditions: [{ scoreOf: 'group', group: 'Sales', operator: 'lt', value: 1 }] }), 9, {})).toBe(true);
		expect(holds(toScoreConditionSet({ conditions: [{ scoreOf: 'total', operator: 'gte', value: 30 }] }), 30, {})).toBe(true);
	});

	it("'enter' fires when the group comes to meet the condition, read from the change's groups before and after", () => {
		const change = (previous: number, next: number) => ({ previousScore: 0, score: 0, previousGroups: { Sales: previous }, groups: { Sales: next } });
		expect(firing(change(20, 40), sales30, 'enter')).toBe(true);
		expect(firing(change(40, 60), sales30, 'enter')).toBe(false);
		expect(firing(change(40, 60), sales30, 'everyChange')).toBe(true);
		expect(firing(change(40, 10), sales30, 'everyChange')).toBe(false);
	});

	it('names the groups whose conditions a change meets', () => {
		const either = toScoreConditionSet({
			combinator: 'or',
			conditions: [
				{ scoreOf: 'group', group: 'Sales', operator: 'gte', value: 30 },
				{ scoreOf: 'group', group: 'Email', operator: 'gte', value: 30 },
				{ operator: 'gte', value: 1000 },
			],
		});
		expect(groupsMet({ score: 70, groups: { Sales: 10, Email: 60 } }, either)).toEqual(['Email']);
	});

	it('refuses an unknown scoreOf and a group condition without a group, naming the field', () => {
		expect(() => toScoreConditionSet({ conditions: [{ scoreOf: 'groups', operator: 'gte', value: 1 }] })).toThrow(
			expect.objectContaining({ field: 'conditions[0].scoreOf' }),
		);
		expect(() => toScoreConditionSet({ conditions: [{ scoreOf: 'group', operator: 'gte', value: 1 }] })).toThrow(
			expect.objectContaining({ field: 'conditions[0].group' }),
		);
	});
});
