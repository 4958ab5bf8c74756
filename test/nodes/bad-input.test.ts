/**
 * Issue 13: bad input never corrupts a score, on every store, through the nodes. Each case is one
 * that broke before: a finite but huge number, ids that stores merged, errors that failed a whole
 * batch or lost the item and field, values silently coerced, zoneless times read in a drifting zone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { closeRedisConnections } from '../../nodes/shared/redis';
import { freeLoopbackPort, RedisTestServer } from '../helpers/redis-server';
import {
	type AnyStore,
	createProfileOn,
	ENGAGEMENT_SCORE_TYPE,
	freshStore,
	MODIFY_TYPE,
	runOn,
	scoresAndHistorySums,
	type StoreName,
} from '../harness/any-store';
import { profileLocator, tempFolder } from '../harness/engagement-score-nodes';
import { redisCredential } from '../harness/redis-nodes';

const RULES = [{ id: 'opened', eventType: 'email_event', points: 5 }];
const folder = tempFolder('bad-input-');
let redis: RedisTestServer;

beforeAll(async () => {
	redis = await RedisTestServer.start();
});
afterAll(async () => {
	await closeRedisConnections();
	await redis.destroy();
	folder.cleanup();
});

const modify = (store: AnyStore, items: IDataObject[], node: IDataObject = {}, parameters: IDataObject = {}) =>
	runOn(
		store,
		MODIFY_TYPE,
		{
			profileId: profileLocator('p'),
			contactId: '={{ $json.contactId }}',
			operation: 'add',
			points: '={{ $json.points }}',
			...parameters,
		},
		items.map((json) => ({ json })),
		node,
	);

const score = (store: AnyStore, events: IDataObject[], node: IDataObject = {}) =>
	runOn(
		store,
		ENGAGEMENT_SCORE_TYPE,
		{ resource: 'event', operation: 'score', profileId: profileLocator('p'), mapping: 'autoMap' },
		events.map((json) => ({ json })),
		node,
	);

const contact = (store: AnyStore, operation: string, parameters: IDataObject, items: IDataObject[] = [{}], node: IDataObject = {}) =>
	runOn(
		store,
		ENGAGEMENT_SCORE_TYPE,
		{ resource: 'contact', operation, profileId: profileLocator('p'), ...parameters },
		items.map((json) => ({ json })),
		node,
	);

const tolerant = { continueOnFail: true };

describe.each<StoreName>(['sqlite', 'workflowStaticData', 'redis'])('on %s', (storeName) => {
	let store: AnyStore;
	beforeEach(async () => {
		store = freshStore(storeName, folder.path, redis);
		await createProfileOn(store, 'p', RULES);
	});

	test('1. points beyond ±1e9 are an error on that item; Set and Add at the bound stay finite and equal the history', async () => {
		const set = { operation: 'set' };
		const first = await modify(store, [{ contactId: 'huge', points: 1e308 }, { contactId: 'c', points: 1e9 }], tolerant, set);
		const added = await modify(store, [{ contactId: 'c', points: 1e9 }, { contactId: 'c', points: '1e10' }], tolerant);
		const setHuge = await modify(store, [{ contactId: 'c', points: -1e308 }], tolerant, set);
		expect([...first.json, ...added.json, ...setHuge.json].map((json) => json.error ?? json.score)).toEqual([
			'Item 0: Points: Points must be between -1000000000 and 1000000000, got "1e+308"',
			1e9,
			2e9,
			'Item 1: Points: Points must be between -1000000000 and 1000000000, got "1e10"',
			'Item 0: Points: Points must be between -1000000000 and 1000000000, got "-1e+308"',
		]);
		const set0 = await modify(store, [{ contactId: 'c', points: 0 }], {}, set);
		expect(set0.json[0]).toMatchObject({ score: 0, delta: -2e9 });
		expect(await scoresAndHistorySums(store, 'p')).toEqual([{ contactId: 'c', score: 0, historySum: 0, changes: 3 }]);
	});

	test('2. a rule with points 1e308 is refused when the profile is saved, naming the rule; nothing is created', async () => {
		const run = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'profile',
			operation: 'create',
			name: 'Huge',
			newProfileId: 'huge',
			rulesSource: 'json',
			rulesJson: JSON.stringify([...RULES, { eventType: 'email_event', points: 1e308 }]),
			publish: true,
		});
		expect(run.error?.message).toMatch(/^Item 0: Rules › rules\[1\]\.points: Points must be between/);
		expect(await store.read(async (direct) => await direct.getProfile('huge'))).toBeUndefined();
	});

	test('3. ids that differ only after a NUL byte keep their own score and history; deleting one leaves the other', async () => {
		const run = await score(store, [
			{ contactId: 'n\u0000a', type: 'email_event' },
			{ contactId: 'n\u0000b', type: 'email_event' },
			{ contactId: 'n\u0000b', type: 'email_event' },
		]);
		expect(run.error).toBeUndefined();
		const history = async (contactId: string) =>
			(await contact(store, 'getHistory', { contactId: '={{ $json.id }}', limit: 50 }, [{ id: contactId }])).json;
		expect((await history('n\u0000a')).map((json) => json.contactId)).toEqual(['n\u0000a']);
		expect((await history('n\u0000b')).map((json) => json.contactId)).toEqual(['n\u0000b', 'n\u0000b']);
		await contact(store, 'delete', { contactId: '={{ $json.id }}' }, [{ id: 'n\u0000a' }]);
		expect(await history('n\u0000b')).toHaveLength(2);
		expect(await scoresAndHistorySums(store, 'p')).toEqual([{ contactId: 'n\u0000b', score: 10, historySum: 10, changes: 2 }]);
	});

	test('4. ids with a lone UTF-16 surrogate are an error on their item only; the batch goes on', async () => {
		const run = await score(
			store,
			[
				{ contactId: 'x\ud800y', type: 'email_event' },
				{ contactId: 'x\udbffy', type: 'email_event' },
				{ contactId: 'ok', type: 'email_event' },
				{ contactId: 'ok', type: 'email_event', id: 'e\udc00' },
			],
			tolerant,
		);
		expect(run.json.map((json) => json.error ?? json.score)).toEqual([
			'Item 0: contactId: The contact id contains an unpaired UTF-16 surrogate (broken Unicode text)',
			'Item 1: contactId: The contact id contains an unpaired UTF-16 surrogate (broken Unicode text)',
			5,
			'Item 3: id: The event id contains an unpaired UTF-16 surrogate (broken Unicode text)',
		]);
		expect(await scoresAndHistorySums(store, 'p')).toEqual([{ contactId: 'ok', score: 5, historySum: 5, changes: 1 }]);
	});

	test('8. wrong types get messages naming the field by its label', async () => {
		const reset = await contact(store, 'reset', { contactId: 'c', reason: '={{ $json.reason }}' }, [{ reason: { a: 1 } }]);
		expect(reset.error?.message).toBe('Item 0: Reason: Must be a text, got "{"a":1}"');
		const history = await contact(store, 'getHistory', { contactId: 'c', limit: '={{ $json.limit }}' }, [{ limit: 1e308 }]);
		expect(history.error?.message).toBe('Item 0: Limit: Must be a whole number of at least 1, got "1e+308"');
		const decay = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'decay',
			operation: 'apply',
			profileId: profileLocator('p'),
			mode: 'subtract',
			inactiveDays: 1e308,
			points: 5,
		});
		expect(decay.error?.message).toMatch(/^Item 0: Inactive for \(Days\): The number of days must be a number more than 0 and at most 36500/);
		const created = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
			resource: 'profile',
			operation: 'create',
			name: 'Numeric',
			newProfileId: '={{ 42 }}',
			rulesSource: 'json',
			rulesJson: '[]',
		});
		expect(created.error).toBeUndefined();
		expect(created.json[0]).toMatchObject({ id: '42' });
	});

	test('9. limits, score filters, Counts as Activity and profile ids are never silently coerced', async () => {
		const limits = [0, -1, NaN, 'abc', [], true, '0x10', 1.5, BigInt(10)];
		const getMany = await contact(store, 'getMany', { limit: '={{ $json.limit }}' }, limits.map((limit) => ({ limit }) as IDataObject), tolerant);
		expect(getMany.json.map((json) => String(json.error).replace(/, got .*/, ''))).toEqual(
			limits.map((_, index) => `Item ${index}: Limit: Must be a whole number of at least 1`),
		);
		const filters = [[], ' ', false, 'abc'];
		const filtered = await contact(
			store,
			'getMany',
			{ limit: 10, filters: { minScore: '={{ $json.minScore }}' } },
			filters.map((minScore) => ({ minScore })),
			tolerant,
		);
		expect(filtered.json.map((json) => String(json.error).replace(/ must be .*/, ''))).toEqual(
			filters.map((_, index) => `Item ${index}: Min Score: The score`),
		);
		const activity = await modify(store, [{ contactId: 'c', points: 1 }], tolerant, {
			options: { countsAsActivity: '={{ "false" }}' },
		});
		expect(activity.json[0].error).toBe('Item 0: Counts as Activity: Must be true or false, got "false"');
		const profileIds = await modify(store, [{ contactId: 'c', points: 1 }, { contactId: 'c', points: 1 }], tolerant, {
			profileId: profileLocator('={{ $itemIndex === 0 ? NaN : Infinity }}'),
		});
		expect(profileIds.json.map((json) => json.error)).toEqual([
			'Item 0: Score Profile: "null" is not a score profile id (a text or a number)',
			'Item 1: Score Profile: "null" is not a score profile id (a text or a number)',
		]);
		const future = await score(store, [{ contactId: 'c', type: 'email_event', occurredAt: '+099999-01-01T00:00:00Z' }], tolerant);
		expect(future.json[0].error).toBe('Item 0: occurredAt: "+099999-01-01T00:00:00Z" is more than a day in the future');
		expect(await scoresAndHistorySums(store, 'p')).toEqual([]);
	});

	test('10. a zoneless occurredAt is UTC whatever luxon\'s default zone (which n8n sets) is', async () => {
		const defaultZone = Settings.defaultZone;
		Settings.defaultZone = 'America/Chicago';
		try {
			const run = await score(store, [{ contactId: 'c', type: 'email_event', occurredAt: '2024-01-01T10:00:00' }]);
			expect(run.json[0].occurredAt).toBe('2024-01-01T10:00:00.000Z');
		} finally {
			Settings.defaultZone = defaultZone;
		}
	});

	test('a message that happens to contain an error code (EPERM, ENOENT) keeps its own text', async () => {
		const run = await score(store, [{ contactId: 'c', type: 'email_event' }], {}).then(() =>
			runOn(store, ENGAGEMENT_SCORE_TYPE, { resource: 'profile', operation: 'get', profileId: profileLocator('keepermost-enoent') }),
		);
		expect(run.error?.message).toBe('Item 0: Score Profile: Score profile "keepermost-enoent" does not exist');
	});
});

describe('the store cannot be opened', () => {
	test('5. with On Error → Continue (using error output) every item goes to the error output with the error', async () => {
		const notAFolder = join(folder.path, 'a-file');
		writeFileSync(notAFolder, '');
		const store = { ...freshStore('sqlite', folder.path), parameters: { store: 'sqlite', databasePath: join(notAFolder, 'x.sqlite') } };
		const run = await modify(store, [{ contactId: 'a', points: 1 }, { contactId: 'b', points: 1 }], {
			onError: 'continueErrorOutput',
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toEqual([]);
		expect(run.errorItems.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Item 0: Database File: Cannot open the SQLite store /),
			expect.stringMatching(/^Item 1: Database File: Cannot open the SQLite store /),
		]);
	});

	test('6. a Database File under /proc, /sys or /dev is refused before the file system is touched', async () => {
		for (const databasePath of ['/proc/self/x/y.sqlite', '/sys/x.sqlite', '/dev/shm/../x/y.sqlite']) {
			const store = { ...freshStore('sqlite', folder.path), parameters: { store: 'sqlite', databasePath } };
			const run = await modify(store, [{ contactId: 'a', points: 1 }]);
			expect(run.error?.message).toMatch(/^Item 0: Database File: ".*" is under \/proc, \/sys or \/dev: choose a folder on a disk$/);
		}
	});

	test('7. Redis refusing the connection keeps the package\'s own message, naming the item and the remedy', async () => {
		const closedPort = await freeLoopbackPort();
		const store = { ...freshStore('redis', folder.path, redis) };
		const refused = { ...store, credential: redisCredential({ host: '127.0.0.1', port: closedPort } as RedisTestServer) };
		const run = await modify(refused, [{ contactId: 'a', points: 1 }]);
		expect(run.error?.message).toMatch(
			new RegExp(`^Item 0: credentials: Redis at 127\\.0\\.0\\.1:${closedPort} is not reachable \\(.*ECONNREFUSED.*\\)\\. Check that Redis is running`),
		);
	});
});
