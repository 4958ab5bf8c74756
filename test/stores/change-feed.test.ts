import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ChangeFeed } from '../../src/change-feed';
import { changeNotifier } from '../../src/change-notifier';
import type { ScoreStore } from '../../src/store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import type { ScoreChange } from '../../src/types';
import { compileSourceForChildProcesses } from './compiled-src';
import { profileFixture, scoredEvent } from './conformance';
import { scoring } from '../helpers/scoring';

/** Long enough that only an in-process wake-up can explain a prompt delivery. */
const NO_POLLING = 60_000;

describe('ChangeFeed', () => {
	let folder: string;
	let file: string;
	let store: SqliteStore;
	const feeds: ChangeFeed[] = [];

	beforeEach(async () => {
		folder = mkdtempSync(join(tmpdir(), 'engagement-feed-'));
		file = join(folder, 'scores.sqlite');
		store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1'));
		await store.insertProfile(profileFixture('p2'));
	});

	afterEach(async () => {
		await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
		await store.close();
		rmSync(folder, { recursive: true, force: true });
	});

	const collector = () => {
		const received: ScoreChange[] = [];
		return { received, onChanges: (changes: ScoreChange[]) => void received.push(...changes) };
	};
	const feedOf = (target: ScoreStore, consumerId: string, onChanges: (changes: ScoreChange[]) => void | Promise<void>, options = {}) => {
		const feed = new ChangeFeed(target, 'p1', consumerId, onChanges, { pollIntervalMs: NO_POLLING, ...options });
		feeds.push(feed);
		return feed;
	};

	it('starts at the newest change and is woken at once by writes in this process', async () => {
		await scoring(store).applyEvents('p1', 1, [scoredEvent('before-start', 5)]);
		const { received, onChanges } = collector();
		await feedOf(store, 'trigger:w1', onChanges).start();

		await scoring(store).applyEvents('p1', 1, [scoredEvent('alice', 5), scoredEvent('bob', 3)]);
		await scoring(store).adjustScore('p1', { contactId: 'alice', operation: 'add', points: 1, at: 0 });
		await scoring(store).applyEvents('p2', 1, [scoredEvent('other-profile', 1)]);
		await waitFor(() => received.length >= 3);

		expect(received.map((change) => [change.contactId, change.score])).toEqual([
			['alice', 5],
			['bob', 3],
			['alice', 6],
		]);
		expect(await store.getCursor('trigger:w1')).toBe(received[2].seq);
	});

	it('finds changes written by another process by polling', async () => {
		const compiledRoot = compileSourceForChildProcesses();
		try {
			const { received, onChanges } = collector();
			await feedOf(store, 'trigger:w1', onChanges, { pollIntervalMs: 50 }).start();
			const script = join(folder, 'writer.js');
			writeFileSync(
				script,
				`const { SqliteStore } = require(${JSON.stringify(join(compiledRoot, 'src/stores/sqlite/sqlite-store.js'))});
				 const { applyBatch } = require(${JSON.stringify(join(compiledRoot, 'src/score-writes.js'))});
				 const store = SqliteStore.open(${JSON.stringify(file)});
				 applyBatch(store, 'p1', [1, 2, 3].map((n) => ({ contactId: 'remote' + n, operation: { kind: 'event',
				   eventType: 'form.submitted', delta: n, matchedRuleIds: ['form'], at: n } }))).then(() => store.close());`,
			);
			await runChild(script);
			await waitFor(() => received.length >= 3);
			expect(received.map((change) => change.contactId)).toEqual(['remote1', 'remote2', 'remote3']);
		} finally {
			rmSync(compiledRoot, { recursive: true, force: true });
		}
	});

	it('resumes after a stop without losing or repeating a change', async () => {
		const first = collector();
		const feed = feedOf(store, 'trigger:w1', first.onChanges);
		await feed.start();
		await scoring(store).applyEvents('p1', 1, [scoredEvent('a', 1), scoredEvent('b', 1)]);
		await waitFor(() => first.received.length >= 2);
		await feed.stop();

		await scoring(store).applyEvents('p1', 1, [scoredEvent('c', 1), scoredEvent('d', 1)]);
		const second = collector();
		await feedOf(store, 'trigger:w1', second.onChanges).start();
		await scoring(store).applyEvents('p1', 1, [scoredEvent('e', 1)]);
		await waitFor(() => second.received.length >= 3);
		await new Promise((resolve) => setTimeout(resolve, 50));

		expect(first.received.map((change) => change.contactId)).toEqual(['a', 'b']);
		expect(second.received.map((change) => change.contactId)).toEqual(['c', 'd', 'e']);
	});

	it('gives every consumer of a profile every change', async () => {
		const one = collector();
		const two = collector();
		await feedOf(store, 'trigger:w1', one.onChanges).start();
		await feedOf(store, 'trigger:w2', two.onChanges).start();
		await scoring(store).applyEvents('p1', 1, [scoredEvent('a', 1), scoredEvent('b', 2)]);
		await waitFor(() => one.received.length >= 2 && two.received.length >= 2);
		expect(one.received).toEqual(two.received);
	});

	it('never reads twice at once: a slow consumer gets every change once, in order, in batches', async () => {
		const received: ScoreChange[] = [];
		let inside = 0;
		let mostInside = 0;
		const slow = async (changes: ScoreChange[]) => {
			inside++;
			mostInside = Math.max(mostInside, inside);
			await new Promise((resolve) => setTimeout(resolve, 5));
			received.push(...changes);
			inside--;
		};
		const batches: number[] = [];
		await feedOf(store, 'trigger:w1', (changes) => (batches.push(changes.length), slow(changes)), { batchSize: 7 }).start();
		for (let index = 0; index < 60; index++) await scoring(store).applyEvents('p1', 1, [scoredEvent(`c${index}`, 1)]);
		await waitFor(() => received.length >= 60);
		await new Promise((resolve) => setTimeout(resolve, 50));

		expect(mostInside).toBe(1);
		expect(received.map((change) => change.contactId)).toEqual(Array.from({ length: 60 }, (_, index) => `c${index}`));
		expect(Math.max(...batches)).toBeLessThanOrEqual(7);
	});

	it('offers the same changes again when the consumer fails, and reports the failure', async () => {
		const received: ScoreChange[] = [];
		const errors: unknown[] = [];
		let failNext = true;
		const feed = feedOf(
			store,
			'trigger:w1',
			(changes) => {
				if (failNext) {
					failNext = false;
					throw new Error('workflow could not start');
				}
				received.push(...changes);
			},
			{ onError: (error: unknown) => errors.push(error) },
		);
		await feed.start();
		await scoring(store).applyEvents('p1', 1, [scoredEvent('a', 1)]);
		await waitFor(() => errors.length === 1);
		expect(received).toEqual([]);
		await scoring(store).applyEvents('p1', 1, [scoredEvent('b', 1)]);
		await waitFor(() => received.length >= 2);
		expect(received.map((change) => change.contactId)).toEqual(['a', 'b']);
	});

	it('stops listening when stopped', async () => {
		const { received, onChanges } = collector();
		const feed = feedOf(store, 'trigger:w1', onChanges);
		await feed.start();
		expect(changeNotifier.listenerCount(store.key, 'p1')).toBe(1);
		await feed.stop();
		expect(changeNotifier.listenerCount(store.key, 'p1')).toBe(0);
		await scoring(store).applyEvents('p1', 1, [scoredEvent('a', 1)]);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(received).toEqual([]);
	});

	it('works on the workflow static data store too', async () => {
		const documentStore = new StaticDataStore({});
		await documentStore.insertProfile(profileFixture('p1'));
		const { received, onChanges } = collector();
		await feedOf(documentStore, 'trigger:w1', onChanges).start();
		await scoring(documentStore).adjustScore('p1', { contactId: 'alice', operation: 'set', points: 50, at: 0 });
		await waitFor(() => received.length >= 1);
		expect(received[0]).toMatchObject({ contactId: 'alice', score: 50, previousScore: 0 });
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the feed');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

function runChild(script: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}: ${stderr}`))));
	});
}
