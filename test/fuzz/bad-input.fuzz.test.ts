/**
 * Generated bad input (seeded, so every run sends the same) through Event > Score and Modify
 * Engagement Score on every store, mixed with good items in the same batches. For each bad input:
 * an error on that item naming the field by its label (or one of the documented accepts below),
 * nothing written for it, the good items of its batch applied; and afterwards every contact's
 * score is the sum of its history, and only the expected contacts exist.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { closeRedisConnections } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { seededRandom } from '../helpers/seeded-random';
import {
	type AnyStore,
	type AnyStoreRun,
	createProfileOn,
	ENGAGEMENT_SCORE_TYPE,
	freshStore,
	MODIFY_TYPE,
	runOn,
	scoresAndHistorySums,
	type StoreName,
} from '../harness/any-store';
import { profileLocator, tempFolder } from '../harness/engagement-score-nodes';

const BAD_INPUTS_PER_STORE = 1200;
const BATCH_SIZE = 60;
const DAY_MS = 86_400_000;

type Pick = <T>(values: readonly T[]) => T;

const loneSurrogate = (pick: Pick) => String.fromCharCode(0xd800 + Math.floor(pick([0, 0.3, 0.6, 0.99]) * 0x800));

/** Values no id may be: each is an error naming the id's field. */
const badIds = (pick: Pick): unknown[] => [
	null,
	'',
	'   ',
	{},
	[],
	['c1'],
	true,
	false,
	NaN,
	Infinity,
	-Infinity,
	`x${loneSurrogate(pick)}y`,
	`${loneSurrogate(pick)}`,
	'c'.repeat(1001),
	{ id: 'c1' },
];

/** Values that are no points within ±1e9. */
const badPoints: unknown[] = [1e308, -1e308, 1e9 + 1, -1e9 - 1, '1e10', 'abc', '', ' ', '0x10', NaN, Infinity, -Infinity, [], [5], {}, true, false, null, '5 points'];

interface Case {
	/** The item's JSON. */
	readonly json: IDataObject;
	/** The label the error must name, or undefined for an item that must be applied. */
	readonly label?: string;
	/** For an applied item: the contact it scores (after trimming / number to text) and its delta. */
	readonly contactId?: string;
	readonly delta?: number;
}

const OPENED = { event: 'opened' };

/** One bad Event > Score item (Use Item As Event: fields are named by the item's keys). */
function badEvent(pick: Pick, n: number, now: number): Case {
	const contactId = `bad-${n}`;
	const base = { contactId, type: 'email_event', properties: OPENED };
	const field = pick(['contactId', 'type', 'properties', 'occurredAt', 'id'] as const);
	switch (field) {
		case 'contactId':
			return { json: { ...base, contactId: pick(badIds(pick)) } as IDataObject, label: 'contactId' };
		case 'type':
			return { json: { ...base, type: pick([undefined, '', '  ', 'not a type!', 5, {}, [], 'a b', `x${loneSurrogate(pick)}`, 'é']) } as IDataObject, label: 'type' };
		case 'properties':
			return { json: { ...base, properties: pick(['not json', '[1,2]', 5, true, [1], '"text"', '{"a":']) } as IDataObject, label: 'properties' };
		case 'occurredAt':
			return {
				json: {
					...base,
					occurredAt: pick(['soon', '2025-02-30T00:00:00Z', '+099999-01-01T00:00:00Z', 9e15, 1e308, NaN, -1, {}, true, now + 2 * DAY_MS, '1969-12-31T23:59:59Z', '2024-13-01']),
				} as IDataObject,
				label: 'occurredAt',
			};
		case 'id':
			return { json: { ...base, id: pick([{}, [], true, NaN, Infinity, `e${loneSurrogate(pick)}`, 'e'.repeat(1001)]) } as IDataObject, label: 'id' };
	}
}

/**
 * Odd-looking input the README documents as accepted: numbers as ids, ids trimmed, __proto__, ids
 * differing after a NUL byte, surrogate pairs, zoneless and epoch times, event ids as numbers.
 */
function acceptedEvent(pick: Pick, n: number, now: number): Case {
	const good = pick([0, 1, 2, 3, 4, 5, 6, 7]);
	const variants: Array<[unknown, string]> = [
		[`good-${good}`, `good-${good}`],
		[`  good-${good}\t`, `good-${good}`],
		[4200 + good, String(4200 + good)],
		['__proto__', '__proto__'],
		['constructor', 'constructor'],
		[`n\u0000${good}`, `n\u0000${good}`],
		[`emoji-\ud83d\ude00-${good}`, `emoji-\ud83d\ude00-${good}`],
	];
	const [raw, contactId] = pick(variants);
	const occurredAt = pick([undefined, '2024-01-01T10:00:00', now - DAY_MS, String(now - DAY_MS), '2024-06-01 08:00:00', now + DAY_MS - 60_000]);
	const id = pick([undefined, `event-${n}`, 900_000 + n]);
	const json: IDataObject = { contactId: raw as string, type: pick(['email_event', 'Email Events', 'EMAIL_EVENT']), properties: OPENED };
	if (occurredAt !== undefined) json.occurredAt = occurredAt;
	if (id !== undefined) json.id = id;
	return { json, contactId, delta: 5 };
}

/** One bad Modify Engagement Score item (fields are parameters, named by their labels). */
function badModify(pick: Pick, n: number): Case {
	const base = { contactId: `mbad-${n}`, points: 3 };
	const field = pick(['Contact ID', 'Points', 'Points', 'Reason', 'Counts as Activity'] as const);
	switch (field) {
		case 'Contact ID':
			return { json: { ...base, contactId: pick(badIds(pick)) } as IDataObject, label: field };
		case 'Points':
			return { json: { ...base, points: pick(badPoints) } as IDataObject, label: field };
		case 'Reason':
			return { json: { ...base, reason: pick([{}, [], true, false, ['why']]) } as IDataObject, label: field };
		case 'Counts as Activity':
			return { json: { ...base, countsAsActivity: pick(['false', 'true', 1, 0, 'yes', [], {}]) } as IDataObject, label: field };
	}
}

function acceptedModify(pick: Pick): Case {
	const good = pick([0, 1, 2, 3, 4, 5, 6, 7]);
	const points = pick<unknown>([1, -2, 2.5, '4', ' -1.5 ', 1e9, -1e9, 0]);
	const json: IDataObject = { contactId: pick([`good-${good}`, ` good-${good} `]), points: points as number };
	const reason = pick<unknown>([undefined, 'ok', 12345, '   ']);
	if (reason !== undefined) json.reason = reason as string;
	return { json, contactId: `good-${good}`, delta: Number(points) };
}

/** The outcome of each input item, whether it came out on the success or the error output. */
function outcomes(run: AnyStoreRun, count: number): IDataObject[] {
	const byItem: IDataObject[] = new Array(count);
	const place = (item: INodeExecutionData) => {
		const paired = item.pairedItem as { item: number };
		expect(byItem[paired.item]).toBeUndefined();
		byItem[paired.item] = item.json;
	};
	run.items.forEach(place);
	run.errorItems.forEach(place);
	return byItem;
}

const folder = tempFolder('fuzz-');
let redis: RedisTestServer;
beforeAll(async () => {
	redis = await RedisTestServer.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await redis.destroy();
	folder.cleanup();
});

describe.each<StoreName>(['sqlite', 'workflowStaticData', 'redis'])('%s: generated bad input', (storeName) => {
	test(`${BAD_INPUTS_PER_STORE} bad inputs: each an error on its item naming the field by its label, nothing written for it, scores = sums of history`, async () => {
		const store: AnyStore = freshStore(storeName, folder.path, redis);
		await createProfileOn(store, 'fuzz', [{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 5 }]);
		const next = seededRandom(13);
		const pick: Pick = (values) => values[Math.floor(next() * values.length)];
		const expectedScores = new Map<string, { score: number; changes: number }>();
		const apply = (contactId: string, delta: number) => {
			// Adding 0 is no change: nothing is logged.
			if (delta === 0) return;
			const current = expectedScores.get(contactId) ?? { score: 0, changes: 0 };
			expectedScores.set(contactId, { score: Math.round((current.score + delta) * 1e6) / 1e6, changes: current.changes + 1 });
		};

		let bad = 0;
		for (let batch = 0; bad < BAD_INPUTS_PER_STORE; batch++) {
			const events = batch % 2 === 0;
			const now = Date.now();
			const cases: Case[] = [];
			for (let index = 0; index < BATCH_SIZE; index++) {
				const isBad = next() < 0.75;
				if (isBad) bad++;
				if (events) cases.push(isBad ? badEvent(pick, bad, now) : acceptedEvent(pick, batch * BATCH_SIZE + index, now));
				else cases.push(isBad ? badModify(pick, bad) : acceptedModify(pick));
			}
			const items = cases.map(({ json }) => ({ json }));
			const onError = batch % 4 < 2 ? 'continueRegularOutput' : 'continueErrorOutput';
			const run = events
				? await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'event', operation: 'score', profileId: profileLocator('fuzz'), mapping: 'autoMap' }, items, { onError })
				: await runOn(
						store,
						MODIFY_TYPE,
						{
							profileId: profileLocator('fuzz'),
							contactId: '={{ $json.contactId }}',
							operation: 'add',
							points: '={{ $json.points }}',
							reason: '={{ $json.reason }}',
							options: { countsAsActivity: '={{ $json.countsAsActivity === undefined ? true : $json.countsAsActivity }}' },
						},
						items,
						{ onError },
					);
			expect(run.error).toBeUndefined();
			const results = outcomes(run, cases.length);
			cases.forEach((testCase, index) => {
				const result = results[index];
				if (testCase.label !== undefined) {
					expect([index, testCase.json, result.error]).toEqual([index, testCase.json, expect.stringMatching(new RegExp(`^Item ${index}: ${testCase.label}: \\S`))]);
				} else {
					expect([index, testCase.json, result.error, result.contactId, result.delta]).toEqual([index, testCase.json, undefined, testCase.contactId, testCase.delta]);
					apply(testCase.contactId!, testCase.delta!);
				}
			});
		}

		// One bad item without On Error → Continue stops the node naming it, and nothing of that batch is written.
		const stopped = await runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'event', operation: 'score', profileId: profileLocator('fuzz'), mapping: 'autoMap' }, [
			{ json: { contactId: 'good-0', type: 'email_event', properties: OPENED } },
			{ json: { contactId: 'good-1', type: 'email_event', properties: OPENED, occurredAt: 1e308 } },
		]);
		expect(stopped.error?.message).toMatch(/^Item 1: occurredAt: /);

		expect(bad).toBeGreaterThanOrEqual(BAD_INPUTS_PER_STORE);
		const stored = await scoresAndHistorySums(store, 'fuzz');
		// Only the contacts of applied items exist: no bad item wrote anything, no two ids merged.
		expect(new Map(stored.map(({ contactId, score, changes }) => [contactId, { score, changes }]))).toEqual(expectedScores);
		for (const contact of stored) expect([contact.contactId, contact.score]).toEqual([contact.contactId, contact.historySum]);
	});
});
