/**
 * The comparison a user would make: the same events scored with n8n's own nodes versus Score
 * Event, in the pinned live n8n (`n8n start` of scripts/lib/runtime.js, a fresh user folder, the
 * package installed as a community package), same events, same run:
 *  (a) n8n's Redis node, one command per item, versus Score Event on the Redis store;
 *  (b) a Code node keeping scores in $getWorkflowStaticData('global') versus Score Event on SQLite.
 *
 * Why the live n8n and not n8n-core's WorkflowExecute (test/harness/run-workflow.js): the Code node
 * (n8n-nodes-base 2.41) hands its JavaScript to n8n's task runner (executeFunctions.startJob ->
 * additionalData.startRunnerTask -> the CLI's TaskRequester -> the task broker -> @n8n/task-runner,
 * a separate process running the code in node:vm). Only the n8n server provides that; n8n-core
 * alone has no runner. So both pairs run in one live n8n, each workflow published and called on
 * its production webhook, as a user runs them.
 *
 * Every workflow is Webhook (responds when the last node is done) -> Split Out (the posted events
 * become items) -> the node compared. The figure is that node's own time as n8n records it in the
 * execution (runData executionTime), so the shared webhook and split-out cost is left out; the
 * whole execution (n8n's startedAt -> stoppedAt) is printed too. The Code node pair runs at two
 * sizes: the Code node's rate rises with the execution's size (a fixed cost per execution spread
 * over more items), so the ratio shrinks as executions grow.
 *
 * Webhook calls go out on a connection each (bench/lib/post-json.js), not fetch's keep-alive pool:
 * n8n closes a connection idle for 5 s, and a POST written into one that closed while this process
 * was busy fails with "other side closed". The bench prints its own longest event-loop stall.
 *
 * n8n's Redis node has no INCRBY: its Increment operation is INCR (by 1). So the Redis-node
 * workflow counts each contact's events per rule, one INCR per item on `<contact>:<rule>` with the
 * rule picked by an expression, and a contact's score is sum(count x points) when read. Neither
 * baseline dedupes, logs changes or keeps history; Score Event does all of that.
 *
 * Options (environment): BENCH_BUILTIN_EVENTS (default 10000), BENCH_BUILTIN_LARGE_EVENTS (50000,
 * the second size of the Code node pair), BENCH_BUILTIN_CONTACTS (2000), BENCH_BUILTIN_RUNS (5), BENCH_N8N_ENV (JSON of extra n8n settings, e.g.
 * '{"N8N_EXPRESSION_ENGINE":"legacy"}'), BENCH_BUILTIN_PAIRS (`redis,sqlite`: the pairs to run) and
 * BENCH_BUILTIN_LARGE_FIRST (1: the Code node pair's larger size first, to tell the size from the
 * SQLite change log growing over the run). `npm run bench -- builtin` runs only this file.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const { ensureRuntime, N8N_VERSION } = require('../scripts/lib/runtime');
const { installPackage } = require('../scripts/lib/install-package');
const { startN8n, freePort } = require('../scripts/lib/n8n-process');
const { N8nRestClient } = require('../scripts/lib/n8n-rest');
const { scratchDir } = require('../scripts/lib/paths');
const { postJson } = require('./lib/post-json');
const { startRedis } = require('./lib/redis-server');

const EVENTS = Number(process.env.BENCH_BUILTIN_EVENTS ?? 10_000);
const CONTACTS = Number(process.env.BENCH_BUILTIN_CONTACTS ?? 2_000);
const RUNS = Number(process.env.BENCH_BUILTIN_RUNS ?? 5);
const LARGE_EVENTS = Number(process.env.BENCH_BUILTIN_LARGE_EVENTS ?? 50_000);
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV ?? '{}');
const PAIRS = (process.env.BENCH_BUILTIN_PAIRS ?? 'redis,sqlite').split(',').map((name) => name.trim());
const LARGE_FIRST = process.env.BENCH_BUILTIN_LARGE_FIRST === '1';
for (const name of PAIRS) if (name !== 'redis' && name !== 'sqlite') throw new Error(`BENCH_BUILTIN_PAIRS: unknown pair "${name}" (redis, sqlite)`);
const WARM_UP_EVENTS = 1_000;

const OWNER = { email: 'bench@engagement-score.local', password: 'Engagement-Score-Bench-1', firstName: 'Bench', lastName: 'Owner' };
const SCORE_TYPE = 'n8n-nodes-engagement-score.engagementScore';
const REDIS_PROFILE = 'bench-redis';
const SQLITE_PROFILE = 'bench-sqlite';
const INCR_KEY_PREFIX = 'bench-incr:';

/** A handful of the demo profile's rules; every benchmark event matches exactly one. */
const RULES = [
	{ id: 'email-opened', eventType: 'email_event', points: 5, conditions: [{ property: 'event', operator: 'equals', value: 'opened' }] },
	{ id: 'email-clicked', eventType: 'email_event', points: 10, conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }] },
	{ id: 'email-lost', eventType: 'email_event', points: -15, conditions: [{ property: 'event', operator: 'in', value: ['bounced', 'unsubscribed'] }] },
	{
		id: 'became-customer',
		eventType: 'contact_changed',
		points: 30,
		conditions: [
			{ property: 'field', operator: 'equals', value: 'lifecycleStage' },
			{ property: 'to', operator: 'equals', value: 'customer' },
		],
	},
	{ id: 'form', eventType: 'form_submitted', points: 15 },
	{ id: 'appointment-cancelled', eventType: 'appointment_status_changed', points: -10, conditions: [{ property: 'status', operator: 'in', value: ['cancelled', 'noshow'] }] },
];
const POINTS_BY_RULE = Object.fromEntries(RULES.map((rule) => [rule.id, rule.points]));

/** Event `serial`, with the id of the rule it matches (for the bench's own expected scores). */
function eventAt(serial) {
	const contactId = `contact-${(serial * 7919) % CONTACTS}`;
	switch (serial % 10) {
		case 0:
		case 1:
		case 2:
		case 3:
			return [{ contactId, type: 'email_event', properties: { event: 'opened', campaign: 'spring' } }, 'email-opened'];
		case 4:
		case 5:
			return [{ contactId, type: 'email_event', properties: { event: 'clicked', campaign: 'spring' } }, 'email-clicked'];
		case 6:
			return [{ contactId, type: 'email_event', properties: { event: serial % 20 === 6 ? 'bounced' : 'unsubscribed' } }, 'email-lost'];
		case 7:
			return [{ contactId, type: 'form_submitted', properties: { form: 'demo request' } }, 'form'];
		case 8:
			return [{ contactId, type: 'contact_changed', properties: { field: 'lifecycleStage', from: 'lead', to: 'customer' } }, 'became-customer'];
		default:
			return [{ contactId, type: 'appointment_status_changed', properties: { status: 'cancelled', calendar: 'sales' } }, 'appointment-cancelled'];
	}
}

/** The Redis node's key, as a user would write it: the rule an event matches, picked by an expression. */
const INCR_KEY_EXPRESSION =
	"={{ '" +
	INCR_KEY_PREFIX +
	"' + $json.contactId + ':' + ($json.type === 'email_event'" +
	" ? ({ opened: 'email-opened', clicked: 'email-clicked', bounced: 'email-lost', unsubscribed: 'email-lost' })[$json.properties.event]" +
	" : $json.type === 'contact_changed' && $json.properties.field === 'lifecycleStage' && $json.properties.to === 'customer' ? 'became-customer'" +
	" : $json.type === 'form_submitted' ? 'form'" +
	" : $json.type === 'appointment_status_changed' && ['cancelled', 'noshow'].includes($json.properties.status) ? 'appointment-cancelled'" +
	" : 'no-rule') }}";

/** The Code node a user would write: the same rules, scores kept in the workflow's static data. */
const CODE_NODE_JS = `const rules = ${JSON.stringify(RULES)};
const matches = (condition, properties) => {
  const value = properties[condition.property];
  if (condition.operator === 'equals') return value === condition.value;
  if (condition.operator === 'in') return condition.value.includes(value);
  return false;
};
const data = $getWorkflowStaticData('global');
if (!data.scores) data.scores = {};
const scores = data.scores;
const results = [];
for (const item of $input.all()) {
  const event = item.json;
  const properties = event.properties ?? {};
  let delta = 0;
  for (const rule of rules) {
    if (rule.eventType === event.type && (rule.conditions ?? []).every((condition) => matches(condition, properties))) delta += rule.points;
  }
  const previousScore = scores[event.contactId] ?? 0;
  scores[event.contactId] = previousScore + delta;
  results.push({ json: { contactId: event.contactId, previousScore, score: previousScore + delta, delta } });
}
return results;`;

async function run(report) {
	const startedAt = new Date();
	console.log(
		`${startedAt.toISOString()}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}; ` +
			`the pinned live n8n ${N8N_VERSION} (n8n start; its task runner runs the Code node), production webhook executions; ` +
			`${EVENTS.toLocaleString('en-US')} events per execution (the Code node pair also ${LARGE_EVENTS.toLocaleString('en-US')}) over ${CONTACTS.toLocaleString('en-US')} contacts, ${RUNS} runs of the two sides of a pair in turn; pairs: ${PAIRS.join(', ')}${LARGE_FIRST ? ' (the larger size first)' : ''}; extra n8n settings: ${JSON.stringify(N8N_ENV)}`,
	);
	const runtime = await ensureRuntime((line) => console.log(line));
	const flatted = require(path.join(runtime.n8nModules, 'flatted'));
	const redis = await startRedis();
	const stalls = monitorEventLoopDelay({ resolution: 20 });
	stalls.enable();
	fs.mkdirSync(scratchDir, { recursive: true });
	const userFolder = fs.mkdtempSync(path.join(scratchDir, 'bench-builtin-'));
	let n8n;
	let passed = false;
	try {
		installPackage(userFolder);
		n8n = await startN8n(runtime, { userFolder, port: await freePort(), brokerPort: await freePort(), extraEnv: N8N_ENV });
		const client = new N8nRestClient(n8n.baseUrl);
		await client.ensureOwner(OWNER);
		const bench = await setUpWorkflows(client, n8n.baseUrl, redis.port, path.join(userFolder, 'bench.sqlite'));

		const post = async (workflow, from, count) => {
			const events = [];
			for (let serial = from; serial < from + count; serial++) events.push(eventAt(serial)[0]);
			return await executeOnce(client, flatted, workflow, events);
		};
		// Each pair gets its own events (serials), the same for both of its sides. The Code node's
		// fixed cost per execution weighs less the more items it gets, so the SQLite pair is also
		// measured at a larger size.
		const pairs = [
			{
				name: 'redis',
				baseline: bench.redisNode,
				ours: bench.scoreOnRedis,
				sizes: [EVENTS],
				baselineLabel: 'n8n Redis node, Increment (one INCR per item, key by expression)',
				oursLabel: 'Score Event on Redis (Use Item As Event)',
				ratioLabel: `Score Event on Redis / n8n Redis node, both in the live n8n ${N8N_VERSION}, node time`,
				target: 20,
				readScores: [
					['n8n Redis node (INCR counters per rule)', () => incrCounterScores(redis.port)],
					['Score Event on Redis', () => readScores(bench.readRedisScores)],
				],
			},
			{
				name: 'sqlite',
				baseline: bench.codeNode,
				ours: bench.scoreOnSqlite,
				sizes: LARGE_FIRST ? [LARGE_EVENTS, EVENTS] : [EVENTS, LARGE_EVENTS],
				baselineLabel: "Code node (JavaScript, scores in $getWorkflowStaticData('global'))",
				oursLabel: 'Score Event on SQLite (Use Item As Event)',
				ratioLabel: `Score Event on SQLite / Code node with static data, both in the live n8n ${N8N_VERSION}, node time`,
				target: 2,
				readScores: [
					["Code node ($getWorkflowStaticData('global'))", () => staticDataScores(client, bench.codeNode.id)],
					['Score Event on SQLite', () => readScores(bench.readSqliteScores)],
				],
			},
		];
		for (const pair of pairs.filter((candidate) => PAIRS.includes(candidate.name))) {
			const expected = new Map();
			let nextSerial = 0;
			const scoreBoth = async (count) => {
				const from = nextSerial;
				nextSerial += count;
				for (let serial = from; serial < from + count; serial++) {
					const [event, ruleId] = eventAt(serial);
					expected.set(event.contactId, (expected.get(event.contactId) ?? 0) + POINTS_BY_RULE[ruleId]);
				}
				return [await post(pair.baseline, from, count), await post(pair.ours, from, count)];
			};
			await scoreBoth(WARM_UP_EVENTS); // JIT, connections, SQLite pages
			for (const size of pair.sizes) {
				const runs = [];
				// The two sides in turn, each run new events for the same contacts.
				for (let round = 0; round < RUNS; round++) runs.push(await scoreBoth(size));
				reportPair(report, size, runs, pair);
			}
			for (const [label, read] of pair.readScores) checkScores(label, await read(), expected);
			console.log(`  both sides end with the same ${expected.size.toLocaleString('en-US')} contact scores (checked against the bench's own sum of the rules)`);
		}
		passed = true;
	} catch (error) {
		if (n8n) await describeN8nAfterFailure(n8n);
		throw error;
	} finally {
		stalls.disable();
		// n8n closes connections idle for 5 s: a stall longer than that is what broke pooled requests.
		console.log(`  this bench process's longest event-loop stall: ${Math.round(stalls.max / 1e6).toLocaleString('en-US')} ms`);
		if (n8n) await n8n.stop();
		await redis.stop();
		if (passed) fs.rmSync(userFolder, { recursive: true, force: true });
		else console.log(`  n8n's user folder and log are kept in ${userFolder}`);
	}
}

/** Whether n8n still runs (and how it ended if not), and the end of its log. */
async function describeN8nAfterFailure(n8n) {
	const exited = await Promise.race([n8n.exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 100))]);
	console.log(exited ? `  n8n exited (code ${exited.code}, signal ${exited.signal})` : '  n8n is still running');
	const log = fs.readFileSync(n8n.logFile, 'utf8').split('\n');
	console.log(`  the end of n8n's log (${n8n.logFile}):\n${log.slice(-30).join('\n')}`);
}

/** Prints each side's events/s (node time and whole execution) and the ratio, min / median / max over the runs. */
function reportPair(report, size, runs, { baselineLabel, oursLabel, ratioLabel, target }) {
	const count = size.toLocaleString('en-US');
	const rates = (side, field) => runs.map((run) => size / (run[side][field] / 1000));
	const spread = (values, digits = 0) => {
		const sorted = [...values].sort((a, b) => a - b);
		const format = (value) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
		return `min ${format(sorted[0])}, median ${format(median(values))}, max ${format(sorted[sorted.length - 1])}`;
	};
	const pairRatios = (field) => rates(1, field).map((rate, index) => rate / rates(0, field)[index]);
	for (const [side, label] of [[0, baselineLabel], [1, oursLabel]]) {
		report(`${label}, ${count} events in one execution, node time, median of ${RUNS}`, Math.round(median(rates(side, 'nodeMs'))), 'events/s');
		console.log(`  node time: ${spread(rates(side, 'nodeMs'))} events/s; whole execution: ${spread(rates(side, 'executionMs'))} events/s`);
	}
	report(`${ratioLabel}, ${count} events, median of ${RUNS} runs (ratio run by run)`, Number(median(pairRatios('nodeMs')).toFixed(2)), 'x', { min: target });
	console.log(`  node time ratio: ${spread(pairRatios('nodeMs'), 2)}; whole execution ratio: ${spread(pairRatios('executionMs'), 2)}`);
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function setUpWorkflows(client, baseUrl, redisPort, databasePath) {
	const n8nRedis = await client.createCredential({ name: 'Bench Redis', type: 'redis', data: { host: '127.0.0.1', port: redisPort, database: 0 } });
	const ourRedis = await client.createCredential({
		name: 'Bench Engagement Score Redis',
		type: 'engagementScoreRedisApi',
		data: { host: '127.0.0.1', port: redisPort, database: 0, keyPrefix: 'bench-es:' },
	});
	const onRedis = { credentials: { engagementScoreRedisApi: { id: ourRedis.id, name: ourRedis.name } }, store: { store: 'redis' } };
	const onSqlite = { credentials: undefined, store: { store: 'sqlite', databasePath } };
	const scoreNode = ({ credentials, store }, profileId) => ({
		name: 'Score Event',
		type: SCORE_TYPE,
		typeVersion: 1,
		credentials,
		parameters: { ...store, resource: 'event', operation: 'score', profileId: { __rl: true, mode: 'id', value: profileId }, mapping: 'autoMap' },
	});
	const createProfileNode = (name, { credentials, store }, profileId) => ({
		name,
		type: SCORE_TYPE,
		typeVersion: 1,
		credentials,
		parameters: {
			...store,
			resource: 'profile',
			operation: 'create',
			name: profileId,
			newProfileId: profileId,
			rulesSource: 'json',
			rulesJson: JSON.stringify(RULES),
			publish: true,
		},
	});
	const getAllContactsNode = ({ credentials, store }, profileId) => ({
		name: 'Get All Contacts',
		type: SCORE_TYPE,
		typeVersion: 1,
		credentials,
		parameters: { ...store, resource: 'contact', operation: 'getMany', profileId: { __rl: true, mode: 'id', value: profileId }, order: 'desc', returnAll: true, filters: {} },
	});
	const splitOut = {
		name: 'Split Out Events',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'body.events', include: 'noOtherFields', options: {} },
	};
	const publish = async (name, urlPath, nodes, responseData = 'noData') => {
		const webhook = {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: urlPath, responseMode: 'lastNode', responseData, options: {} },
		};
		const chain = [webhook, ...nodes].map((node, index) => ({ id: randomUUID(), position: [index * 220, 0], ...node }));
		const connections = {};
		for (let index = 1; index < chain.length; index++) {
			connections[chain[index - 1].name] = { main: [[{ node: chain[index].name, type: 'main', index: 0 }]] };
		}
		const saved = await client.createWorkflow({ name, nodes: chain, connections, settings: { executionOrder: 'v1' } });
		await client.publishWorkflow(saved.id, saved.versionId);
		await client.waitUntilPublished(saved.id, saved.versionId);
		return { id: saved.id, name, url: `${baseUrl}/webhook/${urlPath}`, measuredNode: nodes[nodes.length - 1].name };
	};

	const setup = await publish('bench: create profiles', 'bench/setup', [
		createProfileNode('Create Profile on Redis', onRedis, REDIS_PROFILE),
		createProfileNode('Create Profile on SQLite', onSqlite, SQLITE_PROFILE),
	]);
	const response = await postJson(setup.url, {});
	if (response.status !== 200) throw new Error(`creating the profiles failed (${response.status}): ${response.text}`);

	return {
		redisNode: await publish('bench: n8n Redis node', 'bench/redis-node', [
			splitOut,
			{
				name: 'Redis',
				type: 'n8n-nodes-base.redis',
				typeVersion: 1,
				credentials: { redis: { id: n8nRedis.id, name: n8nRedis.name } },
				parameters: { operation: 'incr', key: INCR_KEY_EXPRESSION, expire: false },
			},
		]),
		scoreOnRedis: await publish('bench: Score Event on Redis', 'bench/score-redis', [splitOut, scoreNode(onRedis, REDIS_PROFILE)]),
		codeNode: await publish('bench: Code node with static data', 'bench/code-node', [
			splitOut,
			{ name: 'Code', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: CODE_NODE_JS } },
		]),
		scoreOnSqlite: await publish('bench: Score Event on SQLite', 'bench/score-sqlite', [splitOut, scoreNode(onSqlite, SQLITE_PROFILE)]),
		readRedisScores: await publish('bench: read Redis scores', 'bench/read-redis', [getAllContactsNode(onRedis, REDIS_PROFILE)], 'allEntries'),
		readSqliteScores: await publish('bench: read SQLite scores', 'bench/read-sqlite', [getAllContactsNode(onSqlite, SQLITE_PROFILE)], 'allEntries'),
	};
}

/**
 * Posts the events to the workflow's production webhook, waits for the response (sent when the
 * last node is done), then reads the execution n8n saved: the measured node's time and output.
 */
async function executeOnce(client, flatted, workflow, events) {
	const before = new Set((await client.listExecutions(workflow.id)).map((summary) => summary.id));
	const response = await postJson(workflow.url, { events });
	if (response.status !== 200) throw new Error(`${workflow.name} answered ${response.status}: ${response.text.slice(0, 500)}`);
	const deadline = Date.now() + 120_000;
	for (;;) {
		const fresh = (await client.listExecutions(workflow.id)).filter((summary) => !before.has(summary.id));
		if (fresh.length > 1) throw new Error(`${workflow.name}: expected one new execution, found ${fresh.length}`);
		const [summary] = fresh;
		if (summary && summary.status !== 'running' && summary.status !== 'new' && summary.stoppedAt) {
			const execution = await client.getExecution(summary.id);
			const data = flatted.parse(execution.data);
			if (execution.status !== 'success') throw new Error(`${workflow.name}: execution ${summary.id} ended ${execution.status}: ${data.resultData.error?.message}`);
			const [nodeRun] = data.resultData.runData[workflow.measuredNode];
			const output = nodeRun.data.main[0] ?? [];
			if (output.length !== events.length) throw new Error(`${workflow.name}: ${workflow.measuredNode} put out ${output.length} items for ${events.length} events`);
			return {
				nodeMs: Math.max(1, nodeRun.executionTime),
				executionMs: new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime(),
			};
		}
		if (Date.now() > deadline) throw new Error(`${workflow.name}: no finished execution 120 s after the response`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function readScores(workflow) {
	const response = await postJson(workflow.url, {});
	const contacts = response.status === 200 ? JSON.parse(response.text) : undefined;
	if (!Array.isArray(contacts)) throw new Error(`${workflow.name} answered ${response.status}: ${response.text.slice(0, 300)}`);
	return new Map(contacts.map((contact) => [contact.contactId, contact.score]));
}

async function staticDataScores(client, workflowId) {
	const workflow = await client.request('GET', `/workflows/${encodeURIComponent(workflowId)}`);
	const scores = workflow.staticData?.global?.scores;
	if (!scores) throw new Error(`the Code node's workflow has no scores in its static data: ${JSON.stringify(workflow.staticData).slice(0, 300)}`);
	return new Map(Object.entries(scores));
}

/** The Redis-node side's scores: every `<contact>:<rule>` counter times its rule's points. */
async function incrCounterScores(port) {
	const Redis = require('ioredis');
	const redis = new Redis({ host: '127.0.0.1', port });
	try {
		const keys = [];
		let cursor = '0';
		do {
			const [next, batch] = await redis.scan(cursor, 'MATCH', `${INCR_KEY_PREFIX}*`, 'COUNT', 1000);
			keys.push(...batch);
			cursor = next;
		} while (cursor !== '0');
		const counts = keys.length === 0 ? [] : await redis.mget(keys);
		const scores = new Map();
		keys.forEach((key, index) => {
			const [contactId, ruleId] = key.slice(INCR_KEY_PREFIX.length).split(':');
			if (!(ruleId in POINTS_BY_RULE)) throw new Error(`the Redis node's key expression gave an unknown rule: ${key}`);
			scores.set(contactId, (scores.get(contactId) ?? 0) + Number(counts[index]) * POINTS_BY_RULE[ruleId]);
		});
		return scores;
	} finally {
		redis.disconnect();
	}
}

function checkScores(label, actual, expected) {
	const wrong = [...expected].filter(([contactId, score]) => actual.get(contactId) !== score);
	if (actual.size !== expected.size || wrong.length > 0) {
		const sample = wrong.slice(0, 3).map(([contactId, score]) => `${contactId}: ${actual.get(contactId)} instead of ${score}`);
		throw new Error(`${label} ends with other scores than expected (${actual.size} contacts for ${expected.size}; ${sample.join(', ')})`);
	}
}

module.exports = { run };
