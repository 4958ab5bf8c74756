import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EngagementEngine } from '../../src/engine';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { expectRecalculatedBeforeScoredUnder } from '../helpers/version-order';
import { compileSourceForChildProcesses } from './compiled-src';

const CONTACTS = 2500;
const opened = (points: number) => [{ id: 'opened', eventType: 'email_event', conditions: [], points }];
const contactIds = Array.from({ length: CONTACTS }, (_, index) => `c${String(index).padStart(5, '0')}`);

/** Publishes the draft and recalculates; after its first page it stops dead (as a crash would) until killed. */
const PUBLISHER_SCRIPT = `
const [compiledRoot, file] = process.argv.slice(2);
const { SqliteStore } = require(compiledRoot + '/src/stores/sqlite/sqlite-store.js');
const { EngagementEngine } = require(compiledRoot + '/src/engine.js');
(async () => {
	const engine = new EngagementEngine(SqliteStore.open(file));
	await engine.publishAndRecalculate('lead', {
		onProgress: (progress) => {
			process.stdout.write(JSON.stringify(progress) + '\\n');
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
		},
	});
	process.stdout.write('finished\\n');
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Scores one opened event per batch for random contacts until told to stop on stdin; prints how many each got. */
const SCORER_SCRIPT = `
const [compiledRoot, file, ids] = process.argv.slice(2);
const { SqliteStore } = require(compiledRoot + '/src/stores/sqlite/sqlite-store.js');
const { EngagementEngine } = require(compiledRoot + '/src/engine.js');
const contactIds = ids.split(',');
let stop = false;
process.stdin.on('data', () => { stop = true; });
(async () => {
	const engine = new EngagementEngine(SqliteStore.open(file));
	const sent = {};
	let batches = 0;
	while (!stop || batches < 50) {
		const batch = [0, 1, 2].map(() => contactIds[Math.floor(Math.random() * contactIds.length)]);
		await engine.scoreEvents('lead', batch.map((contactId) => ({ contactId, type: 'email_event' })));
		for (const contactId of batch) sent[contactId] = (sent[contactId] || 0) + 1;
		if (++batches === 5) process.stdout.write('scoring\\n');
		// node:sqlite answers synchronously: let the stop message in.
		await new Promise((resolve) => setImmediate(resolve));
	}
	process.stdout.write(JSON.stringify(sent) + '\\n');
	process.stdin.destroy();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('Recalculation on SQLite with several processes', () => {
	let folder: string;
	let compiledRoot: string;
	let file: string;

	beforeAll(() => {
		compiledRoot = compileSourceForChildProcesses();
	});

	afterAll(() => {
		rmSync(compiledRoot, { recursive: true, force: true });
	});

	beforeEach(async () => {
		folder = mkdtempSync(join(tmpdir(), 'engagement-recalculation-'));
		file = join(folder, 'scores.sqlite');
		// Every contact scored twice under version 1 (5 points each), then the draft changed to 3 points.
		const engine = new EngagementEngine(SqliteStore.open(file));
		await engine.createProfile({ id: 'lead', name: 'Lead', rules: opened(5) });
		await engine.publish('lead');
		for (let first = 0; first < CONTACTS; first += 500) {
			const events = contactIds.slice(first, first + 500).flatMap((contactId) => [0, 1].map(() => ({ contactId, type: 'email_event' })));
			await engine.scoreEvents('lead', events);
		}
		await engine.updateDraft('lead', { rules: opened(3) });
	});

	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	it('resumes a recalculation whose process was killed part way, while another scores, and ends as a clean replay', async () => {
		const publisher = startChild(PUBLISHER_SCRIPT, [compiledRoot, file]);
		const firstPage = JSON.parse(await publisher.nextLine()) as { contactsRecalculated: number };
		publisher.child.kill('SIGKILL');
		await publisher.exited;
		expect(firstPage.contactsRecalculated).toBe(1000);

		const store = SqliteStore.open(file);
		const engine = new EngagementEngine(store);
		const profile = await engine.getProfile('lead');
		expect(profile).toMatchObject({ version: 2, recalculation: { fromVersion: 1, toVersion: 2, doneThrough: contactIds[999] } });
		expect((await store.getContact('lead', contactIds[0]))?.score).toBe(6);
		expect((await store.getContact('lead', contactIds[CONTACTS - 1]))?.score).toBe(10);

		// Another process scores meanwhile; this one resumes (the next publish, the trigger's timer or a write would too).
		const scorer = startChild(SCORER_SCRIPT, [compiledRoot, file, contactIds.join(',')]);
		expect(await scorer.nextLine()).toBe('scoring');
		const resumed = await engine.resumeRecalculation('lead');
		scorer.child.stdin?.end('stop\n');
		const sent = JSON.parse(await scorer.nextLine()) as Record<string, number>;
		await scorer.exited;

		expect(resumed).toMatchObject({ fromVersion: 1, toVersion: 2, completed: true });
		expect((await engine.getProfile('lead')).recalculation).toBeUndefined();
		for (const contactId of contactIds) {
			// Each event once, every one at 3 points: none lost, doubled, or scored under version 1's 5.
			const contact = await store.getContact('lead', contactId);
			expect({ contactId, score: contact?.score }).toEqual({ contactId, score: 3 * (2 + (sent[contactId] ?? 0)) });
			const history = await store.getHistory('lead', contactId, 1000);
			expect(history.reduce((sum, change) => sum + change.delta, 0)).toBe(contact?.score);
			expectRecalculatedBeforeScoredUnder(history, 2);
			expect(history.filter((change) => change.cause.kind === 'recalculation')).toHaveLength(1);
		}
		await store.close();
	});

	it('loses and doubles no event scored by another process while a publish recalculates', async () => {
		const scorer = startChild(SCORER_SCRIPT, [compiledRoot, file, contactIds.slice(0, 200).join(',')]);
		expect(await scorer.nextLine()).toBe('scoring');
		const store = SqliteStore.open(file);
		const engine = new EngagementEngine(store);

		const { recalculation } = await engine.publishAndRecalculate('lead');
		scorer.child.stdin?.end('stop\n');
		const sent = JSON.parse(await scorer.nextLine()) as Record<string, number>;
		await scorer.exited;

		expect(recalculation?.completed).toBe(true);
		for (const contactId of contactIds.slice(0, 200)) {
			const contact = await store.getContact('lead', contactId);
			expect({ contactId, score: contact?.score }).toEqual({ contactId, score: 3 * (2 + (sent[contactId] ?? 0)) });
			const history = await store.getHistory('lead', contactId, 1000);
			expect(history.reduce((sum, change) => sum + change.delta, 0)).toBe(contact?.score);
			expectRecalculatedBeforeScoredUnder(history, 2);
		}
		await store.close();
	});

	function startChild(script: string, args: string[]) {
		const path = join(folder, `child-${Math.random().toString(36).slice(2)}.js`);
		writeFileSync(path, script);
		const child: ChildProcess = spawn(process.execPath, [path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
		let stderr = '';
		let buffered = '';
		const lines: string[] = [];
		const waiting: Array<(line: string) => void> = [];
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.stdout?.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			let newline;
			while ((newline = buffered.indexOf('\n')) >= 0) {
				const line = buffered.slice(0, newline);
				buffered = buffered.slice(newline + 1);
				const next = waiting.shift();
				if (next) next(line);
				else lines.push(line);
			}
		});
		const exited = new Promise<void>((resolve, reject) => {
			child.on('error', reject);
			child.on('exit', (code, signal) =>
				code === 0 || signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`)),
			);
		});
		const nextLine = () =>
			new Promise<string>((resolve, reject) => {
				const line = lines.shift();
				if (line !== undefined) return resolve(line);
				waiting.push(resolve);
				exited.then(() => reject(new Error(`child ended without a line: ${stderr}`)), reject);
			});
		return { child, nextLine, exited };
	}
});
