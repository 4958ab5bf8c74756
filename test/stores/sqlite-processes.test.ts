import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { StoreUnavailableError } from '../../src/errors';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { compileSourceForChildProcesses } from './compiled-src';
import { profileFixture } from './conformance';

const WORKERS = 4;
const ROUNDS = 150;
const SHARED_EVENT_IDS = 40;

/** One worker: opens the shared file on its own connection and writes as fast as it can. */
const WORKER_SCRIPT = `
const [compiledRoot, file, worker, rounds, sharedIds] = process.argv.slice(2);
const { SqliteStore } = require(compiledRoot + '/src/stores/sqlite/sqlite-store.js');
const { applyBatch } = require(compiledRoot + '/src/score-writes.js');
const opened = (contactId, delta, at, eventId) =>
	({ contactId, operation: { kind: 'event', eventId, eventType: 'email.opened', delta, matchedRuleIds: ['opened'], at } });
(async () => {
	const store = SqliteStore.open(file);
	for (let round = 0; round < Number(rounds); round++) {
		await applyBatch(store, 'p1', [
			{ contactId: 'shared', operation: { kind: 'modify', operation: 'add', points: 1, countsAsActivity: true, at: round } },
		]);
		await applyBatch(store, 'p1', [
			opened('shared', 2, round),
			opened('deduped', 1, round, 'shared-' + (round % Number(sharedIds))),
			opened('w' + worker, 1, round),
		], 1);
	}
	await store.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** One worker appending journal entries only (as for a draft profile): two per plan, one of a contact all workers share. */
const JOURNAL_WORKER_SCRIPT = `
const [compiledRoot, file, worker, rounds] = process.argv.slice(2);
const { SqliteStore } = require(compiledRoot + '/src/stores/sqlite/sqlite-store.js');
const event = (contactId, serial) => ({ kind: 'event', contactId, type: 'form_submitted', properties: { worker: Number(worker) }, occurredAt: serial, receivedAt: serial });
(async () => {
	const store = SqliteStore.open(file);
	for (let round = 0; round < Number(rounds); round++) {
		const serial = Number(worker) * 1000000 + round * 2;
		await store.transact('p1', { contactIds: [] }, () => ({
			contacts: [], changes: [], seenEventIds: [], result: null,
			journal: [event('shared', serial), event('w' + worker, serial + 1)],
		}));
	}
	await store.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('SQLite store shared by several processes', () => {
	let folder: string;
	let compiledRoot: string;

	beforeAll(() => {
		compiledRoot = compileSourceForChildProcesses();
	});

	afterAll(() => {
		rmSync(compiledRoot, { recursive: true, force: true });
	});

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'engagement-processes-'));
	});

	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	it('loses no increment and counts each event id once when processes write one file at the same time', async () => {
		const file = join(folder, 'shared.sqlite');
		const store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1'));
		const script = join(folder, 'worker.js');
		writeFileSync(script, WORKER_SCRIPT);

		await Promise.all(
			Array.from({ length: WORKERS }, (_, worker) =>
				runChild(process.execPath, [script, compiledRoot, file, String(worker), String(ROUNDS), String(SHARED_EVENT_IDS)]),
			),
		);

		expect((await store.getContact('p1', 'shared'))?.score).toBe(WORKERS * ROUNDS * 3);
		expect((await store.getContact('p1', 'deduped'))?.score).toBe(SHARED_EVENT_IDS);
		for (let worker = 0; worker < WORKERS; worker++) {
			expect((await store.getContact('p1', `w${worker}`))?.score).toBe(ROUNDS);
		}
		const changes = await store.readChanges('p1', 0, 1_000_000);
		expect(changes).toHaveLength(WORKERS * ROUNDS * 3 + SHARED_EVENT_IDS);
		const shared = changes.filter((change) => change.contactId === 'shared');
		shared.forEach((change, index) => {
			if (index > 0) expect(change.previousScore).toBe(shared[index - 1].score);
		});
		await store.close();
	});

	it('gives the journal entries of processes appending at the same time distinct increasing journalSeqs, losing none', async () => {
		const file = join(folder, 'journal.sqlite');
		const store = SqliteStore.open(file);
		await store.insertProfile(profileFixture('p1', { status: 'draft' }));
		const script = join(folder, 'journal-worker.js');
		writeFileSync(script, JOURNAL_WORKER_SCRIPT);

		await Promise.all(
			Array.from({ length: WORKERS }, (_, worker) => runChild(process.execPath, [script, compiledRoot, file, String(worker), String(ROUNDS)])),
		);

		const ids = ['shared', ...Array.from({ length: WORKERS }, (_, worker) => `w${worker}`)];
		const { byContact } = await store.readJournals('p1', ids);
		const all = ids.flatMap((id) => byContact.get(id) ?? []);
		expect(all).toHaveLength(WORKERS * ROUNDS * 2);
		expect(new Set(all.map((record) => record.journalSeq)).size).toBe(all.length);
		const seqOf = new Map(all.map((record) => [(record as { occurredAt: number }).occurredAt, record.journalSeq]));
		for (const id of ids) {
			const seqs = (byContact.get(id) ?? []).map((record) => record.journalSeq);
			expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		}
		// A plan's two entries are consecutive: no other process's entry came between them.
		for (let worker = 0; worker < WORKERS; worker++) {
			for (let round = 0; round < ROUNDS; round++) {
				const serial = worker * 1000000 + round * 2;
				expect(seqOf.get(serial + 1)).toBe((seqOf.get(serial) as number) + 1);
			}
		}
		expect(await store.journalContactIds('p1', undefined, 100)).toEqual(ids.slice().sort());
		await store.close();
	});

	const olderNode = '/usr/bin/node';
	const olderNodeVersion = existsSync(olderNode) ? execFileSync(olderNode, ['--version'], { encoding: 'utf8' }).trim() : '';
	const isOlderThan2213 = /^v(1\d|2[01])\.|^v22\.(\d|1[0-2])\./.test(olderNodeVersion);

	(isOlderThan2213 ? it : it.skip)(
		`loads on an older Node.js (${olderNodeVersion || 'none found'}) and says clearly that SQLite needs Node.js 22.13`,
		async () => {
			const script = join(folder, 'old-node.js');
			writeFileSync(
				script,
				`const { SqliteStore } = require(${JSON.stringify(join(compiledRoot, 'src/stores/sqlite/sqlite-store.js'))});
				 try { SqliteStore.open(${JSON.stringify(join(folder, 'x.sqlite'))}); console.log('opened'); }
				 catch (error) { console.log(JSON.stringify({ name: error.name, field: error.field, message: error.message })); }`,
			);
			const output = JSON.parse(execFileSync(olderNode, [script], { encoding: 'utf8' })) as StoreUnavailableError;
			expect(output.name).toBe('StoreUnavailableError');
			expect(output.message).toContain('needs Node.js 22.13 or newer');
			expect(output.message).toContain(olderNodeVersion.slice(1));
		},
	);
});

function runChild(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${child.pid} exited with ${code}: ${stderr}`))));
	});
}
