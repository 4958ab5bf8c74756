/**
 * Where Redis spends Score Event's commit: the same workload as redis.bench.js (100k events over
 * 10k contacts in batches of 1,000, every event with an id and journaled), run with a copy of the
 * commit script in which each `-- section:` line (lua-commit.ts) adds the time since the last one
 * to that section (redis.call('TIME'), microseconds). Prints each section's time per event, the
 * data commands' own time per event (INFO commandstats), what one redis.call costs inside a
 * script (the part of a section that is neither Lua nor the command's own work), and how the
 * client's wall clock divides: reading the snapshot, the commit script's call, and the rest
 * (planning in JS and encoding the script's arguments, which nothing overlaps).
 * `npm run bench -- commit-script` runs only this file. ENGAGEMENT_SCORE_DIST may point at another build.
 */
const path = require('node:path');

const { benchProfile, scoringEvents } = require('./lib/redis-batch-workload');
const { commandStats, startRedis } = require('./lib/redis-server');

const DIST = process.env.ENGAGEMENT_SCORE_DIST ?? path.join(__dirname, '..', 'dist');
const EVENTS = 100_000;
const CONTACTS = 10_000;
const BATCH = 1_000;
const TIMINGS_KEY = 'bench-commit-sections';
/** A line `-- section: <name>` of the commit script (lua-commit.ts), with its indentation. */
const SECTION_LINE = /^(\s*)-- section: (\S+)$/gm;

async function run(report) {
	const server = await startRedis();
	try {
		await commitSections(server.connect, report);
		await callCosts(server.connect(), report);
	} finally {
		await server.stop();
	}
}

async function commitSections(connect, report) {
	const { SCRIPTS, RedisScript } = require(path.join(DIST, 'src', 'stores', 'redis', 'scripts.js'));
	const { COMMIT_LUA } = require(path.join(DIST, 'src', 'stores', 'redis', 'lua-commit.js'));
	const { RedisStore } = require(path.join(DIST, 'src', 'stores', 'redis', 'redis-store.js'));
	const { EngagementEngine } = require(path.join(DIST, 'src', 'engine.js'));
	const sections = [...COMMIT_LUA.matchAll(SECTION_LINE)].map((match) => match[2]);
	if (sections.length === 0) throw new Error('the commit script has no "-- section:" lines to time');
	SCRIPTS.commit = new RedisScript(timedCommitScript(COMMIT_LUA), 'writes');

	const events = scoringEvents(EVENTS, CONTACTS);
	const store = new RedisStore(connect(), { keyPrefix: 'bench-sections:' });
	const engine = new EngagementEngine(store);
	await store.insertProfile(benchProfile('bench'));
	const stats = connect();
	await stats.call('CONFIG', 'RESETSTAT');
	const clock = clientClock(RedisStore, EngagementEngine, SCRIPTS.commit);
	for (let start = 0; start < EVENTS; start += BATCH) await engine.scoreEvents('bench', events.slice(start, start + BATCH));
	clock.stop();
	if ((await store.latestChangeSeq('bench')) !== EVENTS) throw new Error('not every event was logged');

	const timings = await stats.call('HGETALL', TIMINGS_KEY);
	const perEvent = new Map();
	for (let index = 0; index < timings.length; index += 2) perEvent.set(timings[index], Number(timings[index + 1]) / EVENTS);
	let sum = 0;
	for (const section of sections) {
		const micros = perEvent.get(section) ?? 0;
		sum += micros;
		report(`Redis commit script, section "${section}", per event`, Number(micros.toFixed(2)), 'us');
	}
	report('Redis commit script, all sections, per event', Number(sum.toFixed(2)), 'us');
	const { scoreEvents, readSnapshot, commitScript } = clock.nanoseconds;
	const perEventMicros = (nanoseconds) => Number((nanoseconds / 1000 / EVENTS).toFixed(2));
	report('Redis Score Event, client wall clock per event', perEventMicros(scoreEvents), 'us');
	report('  of which reading the snapshot (one pipelined round trip)', perEventMicros(readSnapshot), 'us');
	report('  of which the commit script\'s call (EVALSHA, round trip included)', perEventMicros(commitScript), 'us');
	report('  the rest: the engine and the store in JS (planning, encoding the arguments)', perEventMicros(scoreEvents - readSnapshot - commitScript), 'us');
	const { calls, usec } = commandStats(await stats.call('INFO', 'commandstats'));
	// One call per event each (one per change, one per contact and list); the others take a whole batch per call.
	for (const command of ['xadd', 'rpush']) report(`  ${command.toUpperCase()} calls per event`, Number(((calls[command] ?? 0) / EVENTS).toFixed(2)), 'calls');
	for (const command of ['xadd', 'rpush', 'zadd', 'hset', 'hmget', 'zmscore']) {
		report(`  ${command.toUpperCase()}'s own time per event (all its calls, in the scripts and the snapshot reads)`, Number(((usec[command] ?? 0) / EVENTS).toFixed(2)), 'us');
	}
}

/** Adds up the wall clock of the engine's scoreEvents, the store's snapshot reads and its commit script's calls, until stop(). */
function clientClock(RedisStore, EngagementEngine, commitScript) {
	const nanoseconds = { scoreEvents: 0, readSnapshot: 0, commitScript: 0 };
	const restore = [];
	const time = (owner, method, name) => {
		const original = owner[method];
		if (typeof original !== 'function') throw new Error(`${method} is gone: update this bench`);
		owner[method] = async function (...args) {
			const started = process.hrtime.bigint();
			try {
				return await original.apply(this, args);
			} finally {
				nanoseconds[name] += Number(process.hrtime.bigint() - started);
			}
		};
		restore.push(() => (owner[method] = original));
	};
	time(EngagementEngine.prototype, 'scoreEvents', 'scoreEvents');
	time(RedisStore.prototype, 'readSnapshot', 'readSnapshot');
	time(commitScript, 'run', 'commitScript');
	return { nanoseconds, stop: () => restore.forEach((undo) => undo()) };
}

/**
 * The commit script with each `-- section: name` line replaced by a call that adds the time since
 * the previous one to the previous section, and a last one before it returns "ok".
 */
function timedCommitScript(source) {
	const timer = `
local timed_section, timed_since
local function section_starts(name)
	local time = redis.call('TIME')
	local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
	if timed_section then redis.call('HINCRBY', '${TIMINGS_KEY}', timed_section, now - timed_since) end
	timed_section, timed_since = name, now
end
`;
	const returnOk = "return { 'ok'";
	if (!source.includes(returnOk)) throw new Error('the commit script no longer returns { \'ok\', ... }');
	return (
		timer +
		source.replace(SECTION_LINE, "$1section_starts('$2')").replace(returnOk, `section_starts(nil)\n${returnOk}`)
	);
}

/**
 * What a redis.call costs inside a script, 1,000 per script, less an empty loop: TIME (no data),
 * RPUSH of one element to one list, and to 1,000 of 10,000 lists (10 elements of 100 bytes each,
 * like the contacts' journal lists), a different one each call.
 */
async function callCosts(client, report) {
	const LISTS = 10_000;
	const element = 'x'.repeat(100);
	for (let first = 0; first < LISTS; first += 500) {
		const pipeline = client.pipeline();
		for (let index = first; index < first + 500; index++) pipeline.call('RPUSH', `bench-call-list:${index}`, ...new Array(10).fill(element));
		await pipeline.exec();
	}
	const measure = async (body) => {
		await client.call('CONFIG', 'RESETSTAT');
		for (let run = 0; run < 20; run++) await client.call('EVAL', body, 0, run, LISTS);
		const { usec } = commandStats(await client.call('INFO', 'commandstats'));
		return usec.eval / 20 / 1000;
	};
	const listOf = "'bench-call-list:' .. ((tonumber(ARGV[1]) * 1000 + i * 7919) % tonumber(ARGV[2]))";
	const empty = await measure(`for i = 1, 1000 do local key = ${listOf} end return 1`);
	const time = await measure(`for i = 1, 1000 do local key = ${listOf} redis.call('TIME') end return 1`);
	const oneList = await measure(`for i = 1, 1000 do local key = ${listOf} redis.call('RPUSH', 'bench-call-list:0', '${element}') end return 1`);
	const manyLists = await measure(`for i = 1, 1000 do redis.call('RPUSH', ${listOf}, '${element}') end return 1`);
	report("Redis one redis.call('TIME') inside a script", Number((time - empty).toFixed(2)), 'us');
	report("Redis one redis.call('RPUSH') of one element, always to the same list", Number((oneList - empty).toFixed(2)), 'us');
	report(`Redis one redis.call('RPUSH') of one element, to a different one of ${LISTS.toLocaleString('en-US')} lists each call`, Number((manyLists - empty).toFixed(2)), 'us');
}

module.exports = { run };
