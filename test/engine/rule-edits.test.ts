import { EngagementEngine } from '../../src/engine';
import { InvalidInputError } from '../../src/errors';
import { parseRules } from '../../src/rule';
import { addRules, removeRules, updateRules } from '../../src/rule-edits';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';

const draft = parseRules([
	{ eventType: 'email_event', points: 5 },
	{ id: 'vip', eventType: 'contact_tag', points: 20 },
	{ eventType: 'form_submitted', points: 3 },
]);

function errorOf(edit: () => unknown): InvalidInputError {
	try {
		edit();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return error as InvalidInputError;
	}
	throw new Error('expected an InvalidInputError');
}

describe('rule edits', () => {
	it('adds after the draft rules, a rule without an id getting the first free rule-<position>', () => {
		const rules = addRules(draft, [{ eventType: 'order_placed', points: 10 }, { id: 'rule-4', eventType: 'survey_submitted', points: 1 }]);
		expect(rules.map((rule) => rule.id)).toEqual(['rule-1', 'vip', 'rule-3', 'rule-4-2', 'rule-4']);
	});

	it('updates a rule in its place and removes rules by id, from a list or comma-separated text', () => {
		expect(updateRules(draft, '[{"id":"vip","eventType":"contact_tag","points":25}]').map((rule) => rule.points)).toEqual([5, 25, 3]);
		expect(removeRules(draft, 'rule-1, rule-3')).toEqual([draft[1]]);
		expect(removeRules(draft, ['vip'])).toEqual([draft[0], draft[2]]);
	});

	it('refuses a change naming a rule the draft lacks, or an add of an id it has, naming the field', () => {
		expect(errorOf(() => updateRules(draft, [{ id: 'VIP', eventType: 'contact_tag', points: 1 }])).field).toBe('rules[0].id');
		expect(errorOf(() => updateRules(draft, [{ eventType: 'contact_tag', points: 1 }])).message).toBe('Give the ID of the rule to update');
		const missing = errorOf(() => removeRules(draft, 'vip,nope'));
		expect([missing.field, missing.message]).toEqual(['ruleIds[1]', 'The draft has no rule with the ID "nope" (its rules: "rule-1", "vip", "rule-3")']);
		expect(errorOf(() => removeRules(draft, ' , ')).field).toBe('ruleIds');
		expect(errorOf(() => addRules(draft, [{ id: 'vip', eventType: 'contact_tag', points: 1 }])).field).toBe('rules[0].id');
		expect(errorOf(() => addRules(draft, [{ eventType: 'contact_tag', points: 'many' }])).field).toBe('rules[0].points');
	});

	it('two edits of one draft at the same time both land', async () => {
		const engine = new EngagementEngine(new StaticDataStore({}));
		await engine.createProfile({ id: 'p', name: 'P', rules: [] });
		await Promise.all([
			engine.editDraftRules('p', 'add', [{ id: 'a', eventType: 'email_event', points: 1 }]),
			engine.editDraftRules('p', 'add', [{ id: 'b', eventType: 'email_event', points: 2 }]),
		]);
		expect((await engine.getProfile('p')).draftRules.map((rule) => rule.id).sort()).toEqual(['a', 'b']);
	});
});
