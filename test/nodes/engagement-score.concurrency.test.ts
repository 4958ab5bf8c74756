import { createProfile, runEngagementScore, scoreEvents, sqliteStoreIn, tempFolder } from '../harness/engagement-score-nodes';

const folder = tempFolder();
afterAll(() => folder.cleanup());

const EXECUTIONS = 50;
const ITEMS_PER_EXECUTION = 20;
const CONTACTS = 7;

test('1,000 events from 50 concurrent executions on one SQLite file: final scores exact, duplicates once', async () => {
	const store = sqliteStoreIn(folder.path);
	await createProfile(store, {
		id: 'lead',
		rules: [
			{ id: 'ten', eventType: 'custom_ten', points: 10 },
			{ id: 'three', eventType: 'custom_three', points: 3 },
		],
	});

	const batches = Array.from({ length: EXECUTIONS }, (_, execution) =>
		Array.from({ length: ITEMS_PER_EXECUTION }, (_, item) => {
			const serial = execution * ITEMS_PER_EXECUTION + item;
			// Every tenth item re-sends an event that another execution sends too: it must count once.
			if (item % 10 === 9) return { id: `shared-${(execution + item) % EXECUTIONS}`, contactId: 'c0', type: 'custom_ten' };
			return { id: `e-${serial}`, contactId: `c${serial % CONTACTS}`, type: serial % 3 === 0 ? 'custom_three' : 'custom_ten' };
		}),
	);

	const runs = await Promise.all(batches.map(async (batch) => await scoreEvents(store, 'lead', batch)));
	expect(runs.map((run) => run.error)).toEqual(runs.map(() => undefined));
	expect(runs.reduce((sum, run) => sum + run.json.length, 0)).toBe(EXECUTIONS * ITEMS_PER_EXECUTION);

	const expected = new Map<string, number>();
	const counted = new Set<string>();
	for (const event of batches.flat()) {
		if (counted.has(event.id)) continue;
		counted.add(event.id);
		expected.set(event.contactId, (expected.get(event.contactId) ?? 0) + (event.type === 'custom_ten' ? 10 : 3));
	}
	const duplicates = runs.flatMap((run) => run.json).filter((json) => json.duplicate === true);
	expect(duplicates).toHaveLength(EXECUTIONS * ITEMS_PER_EXECUTION - counted.size);

	const listed = await runEngagementScore(store, {
		resource: 'contact',
		operation: 'getMany',
		profileId: { __rl: true, mode: 'id', value: 'lead' },
		returnAll: true,
	});
	const actual = new Map(listed.json.map((contact) => [contact.contactId as string, contact.score as number]));
	expect(actual).toEqual(expected);

	// Each execution saw a consistent score sequence: every output's previous score is the score
	// some change started from, and per contact the deltas add up to the final score.
	const changes = runs.flatMap((run) => run.json).filter((json) => json.duplicate === false);
	for (const [contactId, finalScore] of expected) {
		const sum = changes.filter((json) => json.contactId === contactId).reduce((total, json) => total + (json.delta as number), 0);
		expect(sum).toBe(finalScore);
		const scoresAfter = changes.filter((json) => json.contactId === contactId).map((json) => json.score as number);
		expect(new Set(scoresAfter).size).toBe(scoresAfter.length);
	}
});
