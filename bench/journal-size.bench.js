/**
 * What keeping the journal (issue 11) costs each store, measured on the built package: bytes per
 * journaled event, and Score Event through the engine and store with and without journaling,
 * paired (rounds alternate, medians compared). `npm run bench -- journal` runs only this file.
 *
 * The engine journals every write; for the side "without the journal" a thin wrapper drops the
 * plan's entries (Plan.journal) before the store sees them. That side still builds the entries, so
 * the cost printed is the store's share (encoding and writing them); the engine's share is measured
 * by comparing `node-sqlite` against a build from before the journal (docs/journal.md). A realistic
 * event: a type, three properties, an event id, a contact id like "contact-1234".
 * ENGAGEMENT_SCORE_DIST may point at another build.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { commandStats, startRedis } = require('./lib/redis-server');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
const T0 = Date.UTC(2026, 0, 1);
const EVENTS = 100_000;
const CONTACTS = 10_000;
const ROUNDS = 3;

function eventAt(serial) {
	return {
		id: `evt-${serial}`,
		contactId: `contact-${(serial * 7919) % CONTACTS}`,
		type: serial % 3 === 0 ? 'email_event' : 'form_submitted',
		properties: serial % 3 === 0 ? { event: 'clicked', campaign: 'spring-sale', url: '/pricing' } : { form: 'demo-request', source: 'website', plan: 'pro' },
		occurredAt: T0 + serial,
	};
}

/** The store; while `journaled` is false, each plan's journal entries are dropped before the store sees them. */
function journaling(store) {
	const wrapper = {
		journaled: false,
		store: new Proxy(store, {
			get(target, property) {
				if (property === 'transact') {
					return (profileId, keys, plan) => {
						if (wrapper.journaled) return target.transact(profileId, keys, plan);
						return target.transact(profileId, keys, (snapshot) => ({ ...plan(snapshot), journal: undefined }));
					};
				}
				const value = target[property];
				return typeof value === 'function' ? value.bind(target) : value;
			},
		}),
	};
	return wrapper;
}

function profile(id) {
	const rules = [
		{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 },
		{ id: 'form', eventType: 'form_submitted', conditions: [], points: 15 },
	];
	return { id, name: id, description: 'benchmark', status: 'published', draftRules: rules, publishedRules: rules, version: 1, publishedAt: T0, createdAt: T0, updatedAt: T0 };
}

/** Every contact's journal, read as a recalculation pages through it: contact ids a page at a time, then their journals. Returns entries/s. */
async function readWholeJournal(store, expected) {
	const PAGE = 1_000;
	let entries = 0;
	const started = process.hrtime.bigint();
	for (let page = await store.journalContactIds('bench', undefined, PAGE); page.length > 0; page = await store.journalContactIds('bench', page[page.length - 1], PAGE)) {
		const { byContact } = await store.readJournals('bench', page);
		for (const journal of byContact.values()) entries += journal.length;
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (entries !== expected) throw new Error(`read ${entries} journal entries, expected ${expected}`);
	return Math.round(entries / seconds);
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (values) => values.map((value) => Math.round(value).toLocaleString('en-US')).join(', ');

/**
 * Runs `round(journaled)` (it scores EVENTS events and returns the seconds) ROUNDS times each way,
 * alternating, and reports both medians and the cost, by wall clock and by this process's CPU
 * time (on a shared machine the wall clock also counts other processes' turns).
 */
async function paired(label, report, round) {
	const runs = { false: { wall: [], cpu: [] }, true: { wall: [], cpu: [] } };
	for (let index = 0; index < ROUNDS; index++) {
		for (const journaled of [false, true]) {
			const cpuBefore = process.cpuUsage();
			const seconds = await round(journaled);
			const cpu = process.cpuUsage(cpuBefore);
			runs[journaled].wall.push(EVENTS / seconds);
			runs[journaled].cpu.push(EVENTS / ((cpu.user + cpu.system) / 1e6));
		}
	}
	for (const clock of ['wall', 'cpu']) {
		const plain = median(runs.false[clock]);
		const journaled = median(runs.true[clock]);
		const per = clock === 'wall' ? 'wall clock' : 'per second of this process\'s CPU time';
		report(`${label}, without the journal, ${per} (median of ${ROUNDS})`, Math.round(plain), 'events/s');
		report(`${label}, journaling every event, ${per} (median of ${ROUNDS})`, Math.round(journaled), 'events/s');
		console.log(`  rounds without: ${format(runs.false[clock])}; with: ${format(runs.true[clock])} events/s`);
		// Issue 11: keeping the journal costs Score Event at most 20%.
		report(`${label}, cost of the journal, ${per}`, Number((100 * (1 - journaled / plain)).toFixed(1)), '%', { max: 20 });
	}
}

async function run(report) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-journal-bench-'));
	try {
		await sqlite(folder, report);
		await staticData(report);
		await redis(report);
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

async function sqlite(folder, report) {
	const { SqliteStore } = require(path.join(DIST, 'src', 'stores', 'sqlite', 'sqlite-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const { DatabaseSync } = require('node:sqlite');

	// Bytes: 100k journaled events into a file of their own; the journal table's pages, and the file's growth.
	const file = path.join(folder, 'size.sqlite');
	const sized = journaling(SqliteStore.open(file));
	await sized.store.insertProfile(profile('bench'));
	const engine = new EngagementEngine(sized.store);
	await engine.scoreEvents('bench', [eventAt(EVENTS * 10)]);
	const checkpointedSize = () => {
		const db = new DatabaseSync(file);
		db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
		db.close();
		return fs.statSync(file).size;
	};
	const events = Array.from({ length: EVENTS }, (_, index) => eventAt(index));
	const before = checkpointedSize();
	await engine.scoreEvents('bench', events);
	const plainGrowth = checkpointedSize() - before;
	const journaledEvents = Array.from({ length: EVENTS }, (_, index) => eventAt(EVENTS + index));
	sized.journaled = true;
	const beforeJournaled = checkpointedSize();
	await engine.scoreEvents('bench', journaledEvents);
	const journaledGrowth = checkpointedSize() - beforeJournaled;
	const db = new DatabaseSync(file);
	let tableBytes;
	try {
		tableBytes = db.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name IN ('journal', 'journal_by_contact')").get().bytes;
	} catch {
		tableBytes = undefined; // a node:sqlite built without the dbstat table
	}
	// Each row holds a contact's entries of one transaction, a line each.
	const rows = db.prepare("SELECT sum(length(entries) - length(replace(entries, char(10), '')) + 1) AS n FROM journal").get().n;
	db.close();
	report('SQLite reading the whole journal back (journalContactIds pages of 1,000 + readJournals), 100k entries', await readWholeJournal(sized.store, EVENTS), 'entries/s');
	await sized.store.close();
	if (rows !== EVENTS) throw new Error(`expected ${EVENTS} journal rows, found ${rows}`);
	if (tableBytes !== undefined) report('SQLite journal, bytes per event (dbstat: the journal table\'s and its index\'s pages / 100k events over 10k contacts)', Number((tableBytes / EVENTS).toFixed(1)), 'bytes');
	report('SQLite file growth per event, 100k events scored and journaled (WAL checkpointed)', Number((journaledGrowth / EVENTS).toFixed(1)), 'bytes');
	report('  the same 100k events scored without the journal', Number((plainGrowth / EVENTS).toFixed(1)), 'bytes');

	// Throughput: 100k new events in one call (one transaction) on a warm file, with and without journaling.
	const timedFile = path.join(folder, 'speed.sqlite');
	const timed = journaling(SqliteStore.open(timedFile));
	await timed.store.insertProfile(profile('bench'));
	const timedEngine = new EngagementEngine(timed.store);
	await timedEngine.scoreEvents('bench', Array.from({ length: 2_000 }, (_, index) => eventAt(10 * EVENTS + index)));
	let serial = 0;
	// How long the COMMIT of each call holds the event loop: its WAL writes, and the checkpoint SQLite runs in it once the log passes 1,000 pages.
	const commit = timed.store.statements.commit;
	const runCommit = commit.run.bind(commit);
	let commitNanoseconds = 0n;
	commit.run = (...parameters) => {
		const started = process.hrtime.bigint();
		try {
			return runCommit(...parameters);
		} finally {
			commitNanoseconds += process.hrtime.bigint() - started;
		}
	};
	const commitMilliseconds = { false: [], true: [] };
	await paired('SQLite Score Event (engine + store), 100k events over 10k contacts in one call', report, async (journaled) => {
		const batch = Array.from({ length: EVENTS }, () => eventAt(serial++));
		timed.journaled = journaled;
		const commitsBefore = commitNanoseconds;
		const started = process.hrtime.bigint();
		await timedEngine.scoreEvents('bench', batch);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		commitMilliseconds[journaled].push(Number(commitNanoseconds - commitsBefore) / 1e6);
		return seconds;
	});
	for (const journaled of [false, true]) {
		const label = journaled ? 'journaling every event' : 'without the journal';
		report(`  SQLite COMMIT of each such call, ${label} (median of ${ROUNDS})`, Math.round(median(commitMilliseconds[journaled])), 'ms');
	}
	await timed.store.close();
}

async function staticData(report) {
	const { StaticDataStore } = require(path.join(DIST, 'src', 'stores', 'static-data', 'static-data-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const COUNT = 10_000;
	const container = {};
	const wrapped = journaling(new StaticDataStore(container));
	await wrapped.store.insertProfile(profile('bench'));
	const engine = new EngagementEngine(wrapped.store);
	const events = Array.from({ length: COUNT }, (_, index) => eventAt(index));
	await engine.scoreEvents('bench', events);
	const before = Buffer.byteLength(JSON.stringify(container));
	const journaled = Array.from({ length: COUNT }, (_, index) => eventAt(COUNT + index));
	wrapped.journaled = true;
	await engine.scoreEvents('bench', journaled);
	// Scoring the second 10k events adds as many changes (and event ids) as the first; the rest of the growth is the journal.
	const withJournal = Buffer.byteLength(JSON.stringify(container));
	const journalBytes = Buffer.byteLength(JSON.stringify(container.engagementScoreStore.profiles['p:bench'].journal));
	report('Static data journal, bytes per event in the saved JSON (10k events over 10k contacts)', Number((journalBytes / COUNT).toFixed(1)), 'bytes');
	report('  the static data document\'s growth per event scored and journaled', Number(((withJournal - before) / COUNT).toFixed(1)), 'bytes');
}

async function redis(report) {
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const server = await startRedis();
	const { connect } = server;
	const BATCH = 1_000;
	try {
		const raw = connect();
		let prefixes = 0;
		// Redis's own time in the scripts, per event: the server's CPU, which the client's CPU time leaves out.
		const scriptMicroseconds = { false: [], true: [] };
		const scoreAll = async (journaled) => {
			const prefix = `bench-journal-${++prefixes}:`;
			await raw.call('CONFIG', 'RESETSTAT');
			const wrapped = journaling(new RedisStore(connect(), { keyPrefix: prefix }));
			wrapped.journaled = journaled;
			await wrapped.store.insertProfile(profile('bench'));
			const engine = new EngagementEngine(wrapped.store);
			const started = process.hrtime.bigint();
			for (let start = 0; start < EVENTS; start += BATCH) {
				const batch = Array.from({ length: BATCH }, (_, index) => eventAt(start + index));
				await engine.scoreEvents('bench', batch);
			}
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const { usec } = commandStats(await raw.call('INFO', 'commandstats'));
			scriptMicroseconds[journaled].push(((usec.evalsha ?? 0) + (usec.eval ?? 0)) / EVENTS);
			return { seconds, prefix };
		};
		await scoreAll(false); // warm-up: scripts loaded, JIT
		let last;
		await paired(`Redis Score Event (engine + store), 100k events in batches of ${BATCH}`, report, async (journaled) => {
			const { seconds, prefix } = await scoreAll(journaled);
			if (journaled) last = prefix;
			return seconds;
		});
		const plainUs = median(scriptMicroseconds.false.slice(1));
		const journaledUs = median(scriptMicroseconds.true);
		report('  Redis time in the scripts per event, without the journal (median)', Number(plainUs.toFixed(2)), 'us');
		report('  Redis time in the scripts per event, journaling every event (median)', Number(journaledUs.toFixed(2)), 'us');
		console.log(`  rounds without: ${scriptMicroseconds.false.slice(1).map((value) => value.toFixed(2)).join(', ')}; with: ${scriptMicroseconds.true.map((value) => value.toFixed(2)).join(', ')} us`);
		// Bytes: every journal key of the last journaled run (lists per contact, profile-wide list, seq, contact ids).
		let bytes = 0;
		let cursor = '0';
		do {
			const [next, keys] = await raw.call('SCAN', cursor, 'MATCH', `${last}{bench}:journal*`, 'COUNT', 1000);
			cursor = next;
			for (const key of keys) bytes += Number(await raw.call('MEMORY', 'USAGE', key, 'SAMPLES', 0));
		} while (cursor !== '0');
		report('Redis journal, bytes per event (MEMORY USAGE of its keys / 100k events over 10k contacts)', Number((bytes / EVENTS).toFixed(1)), 'bytes');
		report('Redis reading the whole journal back (journalContactIds pages of 1,000 + readJournals), 100k entries', await readWholeJournal(new RedisStore(raw, { keyPrefix: last }), EVENTS), 'entries/s');
	} finally {
		await server.stop();
	}
}

module.exports = { run };
