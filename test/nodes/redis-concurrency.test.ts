/**
 * Many executions at once on the Redis store, as queue-mode workers run them: 1,000 events from 50
 * parallel executions of the Engagement Score node, while "another worker" adjusts scores over its
 * own connection. Real redis-server; final scores must be exact and each event id count once.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { createRedisProfile, otherProcessStore, redisCredential, scoreOnRedis } from '../harness/redis-nodes';
import { scoring } from '../helpers/scoring';

const EXECUTIONS = 50;
const ITEMS_PER_EXECUTION = 20;
const CONTACTS = 7;
const ADJUSTMENTS = 100;

let server: RedisTestServer;
beforeAll(async () => {
	server = await RedisTestServer.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});

test('1,000 events from 50 parallel executions plus 100 adjustments from another connection: exact scores, duplicates once', async () => {
	const credential = redisCredential(server, { keyPrefix: 'concurrency:' });
	await createRedisProfile(credential, {
		id: 'lead',
		rules: [
			{ id: 'ten', eventType: 'custom_ten', points: 10 },
			{ id: 'three', eventType: 'custom_three', points: 3 },
		],
	});

	const batches: IDataObject[][] = Array.from({ length: EXECUTIONS }, (_, execution) =>
		Array.from({ length: ITEMS_PER_EXECUTION }, (_, item) => {
			const serial = execution * ITEMS_PER_EXECUTION + item;
			// Every tenth item re-sends an event another execution sends too: it must count once.
			if (item % 10 === 9) return { id: `shared-${(execution + item) % EXECUTIONS}`, contactId: 'c0', type: 'custom_ten' };
			return { id: `e-${serial}`, contactId: `c${serial % CONTACTS}`, type: serial % 3 === 0 ? 'custom_three' : 'custom_ten' };
		}),
	);

	const worker = otherProcessStore(credential);
	const adjustments = Array.from({ length: ADJUSTMENTS }, (_, index) => ({
		contactId: `c${index % CONTACTS}`,
		points: index % 2 === 0 ? 2 : -1,
	}));
	let runs;
	try {
		[runs] = await Promise.all([
			Promise.all(batches.map(async (batch) => await scoreOnRedis(credential, 'lead', batch))),
			Promise.all(
				adjustments.map(
					async ({ contactId, points }) =>
						await scoring(worker).adjustScore('lead', { contactId, operation: 'add', points, at: Date.now(), countsAsActivity: true }),
				),
			),
		]);
	} finally {
		await worker.close();
	}
	expect(runs.map((run) => run.error)).toEqual(runs.map(() => undefined));
	expect(runs.reduce((sum, run) => sum + run.json.length, 0)).toBe(EXECUTIONS * ITEMS_PER_EXECUTION);

	const expected = new Map<string, number>();
	const counted = new Set<unknown>();
	for (const event of batches.flat()) {
		if (counted.has(event.id)) continue;
		counted.add(event.id);
		const contactId = event.contactId as string;
		expected.set(contactId, (expected.get(contactId) ?? 0) + (event.type === 'custom_ten' ? 10 : 3));
	}
	for (const { contactId, points } of adjustments) expected.set(contactId, (expected.get(contactId) ?? 0) + points);

	const duplicates = runs.flatMap((run) => run.json).filter((json) => json.duplicate === true);
	expect(duplicates).toHaveLength(EXECUTIONS * ITEMS_PER_EXECUTION - counted.size);

	const reader = otherProcessStore(credential);
	try {
		const contacts = await reader.listContacts('lead', { order: 'desc', limit: 100, offset: 0 });
		expect(new Map(contacts.map((contact) => [contact.contactId, contact.score]))).toEqual(expected);
		// The change log holds every applied change once, in a gapless order the trigger can follow.
		const changes = await reader.readChanges('lead', 0, 10_000);
		expect(changes).toHaveLength(counted.size + ADJUSTMENTS);
		expect(changes.map((change) => change.seq)).toEqual(changes.map((_, index) => index + 1));
		for (const [contactId, score] of expected) {
			const own = changes.filter((change) => change.contactId === contactId);
			expect(own.reduce((sum, change) => sum + change.delta, 0)).toBe(score);
		}
	} finally {
		await reader.close();
	}
});
