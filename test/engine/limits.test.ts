import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EngagementEngine } from '../../src/engine';
import { InvalidInputError } from '../../src/errors';
import { toScoreEvent } from '../../src/event';
import { MAX_POINTS } from '../../src/limits';
import { toDecayPolicy } from '../../src/decay';
import { parseRules } from '../../src/rule';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';

const NOW = Date.UTC(2025, 5, 1);

function fieldOf(action: () => unknown): string | undefined {
	try {
		action();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).field;
	}
	return undefined;
}

describe('points stay within ±1e9', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'limits-test-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const stores = [
		{ name: 'static data', open: () => new StaticDataStore({}) },
		{ name: 'SQLite', open: () => SqliteStore.open(join(dir, `${Math.random()}.sqlite`)) },
	];

	test.each(stores)('$name: Set and Add at the bound give finite scores equal to the sum of history; beyond it nothing is written', async ({ open }) => {
		const engine = new EngagementEngine(open(), { now: () => NOW });
		await engine.createProfile({ id: 'p', name: 'P' });
		const modify = (operation: string, points: unknown) => engine.modifyScore('p', { contactId: 'c', operation, points });

		expect((await modify('set', MAX_POINTS)).score).toBe(MAX_POINTS);
		expect((await modify('add', MAX_POINTS)).score).toBe(2 * MAX_POINTS);
		expect((await modify('subtract', -MAX_POINTS)).score).toBe(3 * MAX_POINTS);
		for (const points of [1e308, -1e308, MAX_POINTS + 1, '1e10', Infinity, NaN]) {
			await expect(modify('add', points)).rejects.toMatchObject({ field: 'points' });
			await expect(modify('set', points)).rejects.toMatchObject({ field: 'points' });
		}
		const set0 = await modify('set', 0);
		expect(set0).toMatchObject({ score: 0, delta: -3 * MAX_POINTS });
		const history = await engine.getHistory('p', 'c', 100);
		expect(history).toHaveLength(4);
		expect(history.reduce((sum, change) => sum + change.delta, 0)).toBe(0);
		expect(history.every((change) => Number.isFinite(change.delta) && Number.isFinite(change.score))).toBe(true);
	});

	test('a rule beyond the range is refused when the profile is saved, naming the rule', () => {
		expect(fieldOf(() => parseRules([{ eventType: 'email_event', points: 5 }, { eventType: 'email_event', points: 1e308 }]))).toBe('rules[1].points');
		expect(parseRules([{ eventType: 'email_event', points: -MAX_POINTS }])[0].points).toBe(-MAX_POINTS);
	});

	test('decay numbers and score filters are held to the same range; the window to 100 years', () => {
		const policy = { mode: 'subtract', inactiveDays: 30, points: 5 };
		expect(fieldOf(() => toDecayPolicy({ ...policy, inactiveDays: 1e308 }))).toBe('inactiveDays');
		expect(fieldOf(() => toDecayPolicy({ ...policy, inactiveDays: 36_501 }))).toBe('inactiveDays');
		expect(fieldOf(() => toDecayPolicy({ ...policy, points: 1e13 }))).toBe('points');
		expect(fieldOf(() => toDecayPolicy({ ...policy, floor: -1e300 }))).toBe('floor');
		expect(toDecayPolicy({ ...policy, inactiveDays: 36_500 }).inactiveDays).toBe(36_500);
	});
});

describe('ids', () => {
	test('a lone UTF-16 surrogate is refused in contact, event, profile and rule ids; a pair is fine', async () => {
		expect(fieldOf(() => toScoreEvent({ contactId: 'x\ud800y', type: 'email_event' }, NOW))).toBe('contactId');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c', id: '\udc00', type: 'email_event' }, NOW))).toBe('id');
		expect(fieldOf(() => parseRules([{ id: 'r\ud800', eventType: 'email_event', points: 1 }]))).toBe('rules[0].id');
		expect(toScoreEvent({ contactId: 'x\ud83d\ude00y', type: 'email_event' }, NOW).contactId).toBe('x😀y');
		const engine = new EngagementEngine(new StaticDataStore({}), { now: () => NOW });
		await expect(engine.createProfile({ id: 'p\ud800', name: 'P' })).rejects.toMatchObject({ field: 'id' });
	});

	test('ids longer than 1,000 characters are refused; NaN and Infinity are no ids', () => {
		expect(fieldOf(() => toScoreEvent({ contactId: 'c'.repeat(1001), type: 'email_event' }, NOW))).toBe('contactId');
		expect(toScoreEvent({ contactId: 'c'.repeat(1000), type: 'email_event' }, NOW).contactId).toHaveLength(1000);
		expect(fieldOf(() => toScoreEvent({ contactId: NaN, type: 'email_event' }, NOW))).toBe('contactId');
		expect(fieldOf(() => toScoreEvent({ contactId: Infinity, type: 'email_event' }, NOW))).toBe('contactId');
	});
});

describe('occurredAt', () => {
	test('up to a day ahead of the clock and from 1970 on; year 99999 is refused', () => {
		const event = (occurredAt: unknown) => toScoreEvent({ contactId: 'c', type: 'email_event', occurredAt }, NOW);
		expect(event(NOW + 86_400_000).occurredAt).toBe(NOW + 86_400_000);
		expect(event(0).occurredAt).toBe(0);
		for (const occurredAt of ['+099999-01-01T00:00:00Z', NOW + 86_400_001, -1, '1969-12-31T23:59:59Z']) {
			expect(fieldOf(() => event(occurredAt))).toBe('occurredAt');
		}
	});
});
