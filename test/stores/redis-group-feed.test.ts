import Redis from 'ioredis';

import { RedisGroupFeed, type RedisGroupFeedOptions } from '../../src/stores/redis/group-feed';
import { RedisStore } from '../../src/stores/redis/redis-store';
import type { ScoreChange } from '../../src/types';
import { closeRedisConnections, openRedisGroupFeed, redisConnectionSettings } from '../../nodes/shared/redis';
import { RedisTestServer } from '../helpers/redis-server';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

/**
 * The trigger's reader on Redis: a consumer group on the profile's change-log Stream, against a
 * real redis-server. Changes are written by a store on another connection with another
 * `location`, as by another n8n process; `raw` is a plain connection for what a test does by hand
 * (a consumer that died holding entries) and for what Redis says is pending.
 */
let server: RedisTestServer;
const clients: Redis[] = [];
const feeds: Array<{ stop(): Promise<void> }> = [];
let prefixCounter = 0;
let writer: RedisStore;
let raw: Redis;
let log: string;

beforeAll(async () => {
	server = await RedisTestServer.start({ persistent: true });
});
afterAll(async () => {
	await closeRedisConnections();
	await server.destroy();
});
beforeEach(async () => {
	raw = connect();
	writer = new RedisStore(connect(), { keyPrefix: `group-feed-${++prefixCounter}:`, location: 'worker-process' });
	await writer.insertProfile(profileFixture('p'));
	log = writer.changeLogKey('p');
});
afterEach(async () => {
	await Promise.all(feeds.splice(0).map(async (feed) => await feed.stop()));
	for (const client of clients.splice(0)) if (client.status !== 'end') client.disconnect();
});

function connect(): Redis {
	const client = new Redis({ host: server.host, port: server.port });
	clients.push(client);
	return client;
}

interface RunningFeed {
	readonly feed: RedisGroupFeed;
	readonly client: Redis;
	readonly received: ScoreChange[];
	readonly errors: unknown[];
	stop(): Promise<void>;
}

/** A feed on a connection of its own; `onChanges` runs after the change was recorded as received. */
async function startFeed(
	group: string,
	options: RedisGroupFeedOptions = {},
	onChanges: (changes: ScoreChange[]) => void | Promise<void> = () => undefined,
): Promise<RunningFeed> {
	const client = connect();
	const received: ScoreChange[] = [];
	const errors: unknown[] = [];
	const feed = new RedisGroupFeed(
		client,
		writer,
		'p',
		group,
		async (changes) => {
			received.push(...changes);
			await onChanges(changes);
		},
		{ blockMs: 100, onError: (error) => errors.push(error), ...options },
	);
	await feed.start();
	const running = {
		feed,
		client,
		received,
		errors,
		async stop() {
			await feed.stop();
			if (client.status !== 'end') client.disconnect();
		},
	};
	feeds.push(running);
	return running;
}

async function setScore(contactId: string, points: number): Promise<ScoreChange> {
	const { change } = await scoring(writer).adjustScore('p', { contactId, operation: 'set', points, at: Date.now() });
	return change!;
}

const scores = (changes: readonly ScoreChange[]) => changes.map((change) => [change.contactId, change.score]);

/** What Redis holds as read but not acknowledged for the group: [total, [[consumer, count], ...]]. */
async function pending(group: string): Promise<[number, Array<[string, string]>]> {
	const [total, , , consumers] = (await raw.call('XPENDING', log, group)) as [number, unknown, unknown, Array<[string, string]> | null];
	return [total, consumers ?? []];
}

/** XINFO GROUPS of the log, each group as an object. */
async function groupInfo(): Promise<Array<Record<string, unknown>>> {
	const groups = (await raw.call('XINFO', 'GROUPS', log)) as unknown[][];
	return groups.map((fields) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, index) => fields.slice(index * 2, index * 2 + 2))));
}

/** A consumer that reads the group's next entries and dies before acknowledging them. */
async function readAndDie(group: string, consumer: string): Promise<void> {
	await raw.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 100, 'STREAMS', log, '>');
}

it('hands over each change written on another connection at once, in order, and leaves nothing pending', async () => {
	await setScore('before-start', 1);
	const { received } = await startFeed('trigger:w1', { blockMs: 10_000 });

	const written = Date.now();
	await setScore('alice', 5);
	await waitFor(() => received.length === 1);
	expect(Date.now() - written).toBeLessThan(1_000);

	await scoring(writer).applyEvents(
		'p',
		1,
		Array.from({ length: 250 }, (_, index) => scoredEvent(`c${index}`, index + 1)),
	);
	await waitFor(() => received.length === 251);
	expect(received[0]).toMatchObject({ contactId: 'alice', score: 5 });
	expect(received.slice(1).map((change) => change.contactId)).toEqual(Array.from({ length: 250 }, (_, index) => `c${index}`));
	const seqs = received.map((change) => change.seq);
	expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
	expect(new Set(seqs).size).toBe(251);
	expect(await pending('trigger:w1')).toEqual([0, []]);
	expect(await groupInfo()).toEqual([expect.objectContaining({ name: 'trigger:w1', pending: 0 })]);
});

it('a new group starts at the newest change; changes made while it is stopped come at the next start, none twice', async () => {
	await setScore('history', 9);
	const first = await startFeed('trigger:w1');
	await setScore('a', 1);
	await waitFor(() => first.received.length === 1);
	await first.stop();

	await setScore('b', 2);
	await setScore('c', 3);
	const second = await startFeed('trigger:w1');
	await waitFor(() => second.received.length === 2);
	await setScore('d', 4);
	await waitFor(() => second.received.length === 3);
	await settle();
	expect(scores(first.received)).toEqual([['a', 1]]);
	expect(scores(second.received)).toEqual([
		['b', 2],
		['c', 3],
		['d', 4],
	]);
});

it('two groups each see every change', async () => {
	const one = await startFeed('trigger:w1');
	const two = await startFeed('trigger:w2');
	await setScore('x', 1);
	await setScore('y', 2);
	await waitFor(() => one.received.length === 2 && two.received.length === 2);
	await settle();
	expect(scores(one.received)).toEqual([
		['x', 1],
		['y', 2],
	]);
	expect(scores(two.received)).toEqual(scores(one.received));
});

it('a crash between handing over and acknowledging: the next feed of the group gets exactly those changes again, once', async () => {
	const crashing = await startFeed('trigger:w1', {}, (changes) => {
		// The process dies right after emitting: its connection is gone before the XACK.
		if (changes.length > 0) crashing.client.disconnect();
	});
	await scoring(writer).applyEvents('p', 1, [scoredEvent('alice', 5), scoredEvent('bob', 3)]);
	await waitFor(() => crashing.received.length === 2);
	await crashing.stop();
	expect((await pending('trigger:w1'))[0]).toBe(2);

	// The default claim idle time is 30 s: what comes back at once is the restarted consumer's own.
	const restarted = await startFeed('trigger:w1');
	await waitFor(() => restarted.received.length === 2);
	await setScore('carol', 7);
	await waitFor(() => restarted.received.length === 3);
	await settle();
	expect(restarted.received.slice(0, 2)).toEqual(crashing.received);
	expect(scores(restarted.received)).toEqual([
		['alice', 5],
		['bob', 3],
		['carol', 7],
	]);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('a throwing onChanges is reported and handed the same changes again until it succeeds; then they are acknowledged', async () => {
	let failures = 2;
	const feed = await startFeed('trigger:w1', {}, () => {
		if (failures-- > 0) throw new Error('emit failed');
	});
	await setScore('alice', 5);
	await waitFor(() => feed.received.length === 3);
	await setScore('bob', 6);
	await waitFor(() => feed.received.length === 4);
	await settle();
	expect(scores(feed.received)).toEqual([
		['alice', 5],
		['alice', 5],
		['alice', 5],
		['bob', 6],
	]);
	expect(feed.errors.map(String)).toEqual(['Error: emit failed', 'Error: emit failed']);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('entries another consumer read and never acknowledged are taken over once idle for claimIdleMs', async () => {
	await raw.call('XGROUP', 'CREATE', log, 'trigger:w1', '$', 'MKSTREAM');
	await setScore('a', 1);
	await setScore('b', 2);
	await readAndDie('trigger:w1', 'worker-that-died');
	await setScore('c', 3);

	const feed = await startFeed('trigger:w1', { claimIdleMs: 1_500 });
	await waitFor(() => feed.received.length === 1);
	// Younger than the idle time: the other consumer might still be acknowledging them.
	expect(scores(feed.received)).toEqual([['c', 3]]);
	await waitFor(() => feed.received.length === 3, 10_000);
	await settle();
	expect(scores(feed.received)).toEqual([
		['c', 3],
		['a', 1],
		['b', 2],
	]);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('an entry deleted while pending on this consumer (its contact deleted) is acknowledged and skipped', async () => {
	let firstAttempt = true;
	const feed = await startFeed('trigger:w1', {}, async () => {
		if (!firstAttempt) return;
		firstAttempt = false;
		await writer.deleteContact('p', 'bob');
		throw new Error('emit failed');
	});
	await scoring(writer).applyEvents('p', 1, [scoredEvent('alice', 5), scoredEvent('bob', 3), scoredEvent('carol', 1)]);
	await waitFor(() => feed.received.length === 5);
	await setScore('dave', 2);
	await waitFor(() => feed.received.length === 6);
	await settle();
	expect(scores(feed.received.slice(3))).toEqual([
		['alice', 5],
		['carol', 1],
		['dave', 2],
	]);
	expect(feed.errors).toHaveLength(1);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('an entry deleted while pending on a dead consumer is dropped when the others are taken over', async () => {
	await raw.call('XGROUP', 'CREATE', log, 'trigger:w1', '$', 'MKSTREAM');
	await scoring(writer).applyEvents('p', 1, [scoredEvent('alice', 5), scoredEvent('bob', 3)]);
	await readAndDie('trigger:w1', 'worker-that-died');
	await writer.deleteContact('p', 'alice');

	const feed = await startFeed('trigger:w1', { claimIdleMs: 0 });
	await waitFor(() => feed.received.length === 1);
	await settle();
	expect(scores(feed.received)).toEqual([['bob', 3]]);
	expect(feed.errors).toEqual([]);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('the profile deleted and created again under a running feed: it reports the gap, then carries on with the new changes', async () => {
	const feed = await startFeed('trigger:w1');
	await setScore('alice', 10);
	await waitFor(() => feed.received.length === 1);

	await writer.deleteProfile('p');
	await waitFor(() => feed.errors.length > 0);
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	// Retried with a growing pause (0.1 s, 0.2 s, 0.4 s, ...), not in a tight loop.
	expect(feed.errors.length).toBeLessThanOrEqual(6);
	expect(String(feed.errors[feed.errors.length - 1])).toMatch(/change log of profile "p" is gone \(was the profile deleted\?\)/);

	await writer.insertProfile(profileFixture('p'));
	await setScore('bob', 20);
	await waitFor(() => feed.received.length === 2, 10_000);
	await settle();
	expect(scores(feed.received)).toEqual([
		['alice', 10],
		['bob', 20],
	]);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('Redis restarting under a running feed: the outage is reported, it reconnects by itself and hands over later changes once', async () => {
	const settings = redisConnectionSettings({ host: server.host, port: server.port, keyPrefix: `group-feed-${prefixCounter}:` });
	const received: ScoreChange[] = [];
	const errors: unknown[] = [];
	const feed = openRedisGroupFeed(settings, writer, 'p', 'trigger:w1', (changes) => void received.push(...changes), {
		blockMs: 200,
		onError: (error) => errors.push(error),
	});
	await feed.start();
	feeds.push(feed);
	await setScore('before', 1);
	await waitFor(() => received.length === 1);

	await server.stop();
	await waitFor(() => errors.length > 0);
	await new Promise((resolve) => setTimeout(resolve, 500));
	await server.launch();
	const afterRestart = new RedisStore(connect(), { keyPrefix: settings.keyPrefix, location: 'worker-process' });
	await scoring(afterRestart).adjustScore('p', { contactId: 'after', operation: 'set', points: 2, at: Date.now() });
	await waitFor(() => received.length === 2, 10_000);
	await settle();
	expect(scores(received)).toEqual([
		['before', 1],
		['after', 2],
	]);
	expect(String(errors[0])).toMatch(/Redis at 127\.0\.0\.1:\d+ is not reachable/);
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

it('starting at "now" hands over neither older changes nor what the group still had pending', async () => {
	const failing = await startFeed('trigger:w1:manual', { startAt: 'now' }, () => {
		throw new Error('listening was cancelled');
	});
	await setScore('old', 1);
	await waitFor(() => failing.received.length > 0);
	await failing.stop();
	expect((await pending('trigger:w1:manual'))[0]).toBe(1);

	const listening = await startFeed('trigger:w1:manual', { startAt: 'now' });
	await setScore('new', 2);
	await waitFor(() => listening.received.length === 1);
	await settle();
	expect(scores(listening.received)).toEqual([['new', 2]]);
	expect(await pending('trigger:w1:manual')).toEqual([0, []]);
});

it('stop() waits for a hand-over in progress and acknowledges it', async () => {
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	const feed = await startFeed('trigger:w1', {}, async () => await gate);
	await setScore('alice', 5);
	await waitFor(() => feed.received.length === 1);

	let stopped = false;
	const stopping = feed.stop().then(() => (stopped = true));
	await settle();
	expect(stopped).toBe(false);
	release();
	await stopping;
	expect(await pending('trigger:w1')).toEqual([0, []]);
});

/** Time for a hand-over that should not come. */
async function settle(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 300));
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
