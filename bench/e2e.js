#!/usr/bin/env node
/**
 * `npm run bench:e2e`: the package in a live n8n (the pinned runtime, fresh user folder, demo
 * workflows published), measured only from outside over HTTP:
 *  - events per second through the scoring webhook workflow (Webhook -> Score Event -> Respond),
 *    with n8n's default settings (every production execution is saved in n8n's database);
 *  - latency from an event's HTTP response to the trigger workflow's notification reaching a sink
 *    on loopback, for events that take a contact's score across 50 (p50, p99).
 * For scale, the same load is also sent to a bare Webhook -> Respond to Webhook workflow: what n8n
 * itself costs per webhook execution on this machine.
 * Options (environment): BENCH_EVENTS (default 500), BENCH_CONCURRENCY (default 8),
 * BENCH_CROSSINGS (default 50), BENCH_N8N_ENV (JSON of extra n8n settings, e.g.
 * '{"EXECUTIONS_DATA_SAVE_ON_SUCCESS":"none"}').
 */
const { bootDemo } = require('../scripts/lib/live-demo');
const { DATA_TABLE_WORKFLOW_ID } = require('../scripts/lib/demo');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CROSSINGS = Number(process.env.BENCH_CROSSINGS ?? 50);
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV ?? '{}');

const opened = { type: 'email_event', properties: { event: 'opened' } }; // +5 in the demo profile
const customer = { type: 'contact_changed', properties: { field: 'lifecycleStage', to: 'customer' } }; // +30
const form = { type: 'form_submitted', properties: { form: 'contact-us' } }; // +15
const clicked = { type: 'email_event', properties: { event: 'clicked' } }; // +10

async function main() {
	const os = require('node:os');
	console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg()[0].toFixed(1)}; n8n settings: ${JSON.stringify(N8N_ENV)}`);
	// Without the Data Table workflow, so that its executions do not share the CPU with the ones measured.
	const demo = await bootDemo({ extraEnv: N8N_ENV, skipWorkflows: [DATA_TABLE_WORKFLOW_ID] });
	try {
		await measureBareWebhook(demo);
		await measureThroughput(demo);
		await measureTriggerLatency(demo);
	} finally {
		await demo.close();
		demo.removeUserFolder();
	}
}

/** n8n's own cost per webhook execution: Webhook -> Respond to Webhook, nothing else. */
async function measureBareWebhook(demo) {
	const workflow = {
		id: 'BenchBareWebhook',
		name: 'bench: bare webhook',
		nodes: [
			{
				id: 'w1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '0b9c7d1e-5e4c-4bb1-8a2e-000000000001',
				parameters: { httpMethod: 'POST', path: 'bench/bare', responseMode: 'responseNode', options: {} },
			},
			{
				id: 'w2',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [260, 0],
				parameters: { respondWith: 'json', responseBody: '={{ $json.body }}', options: {} },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const saved = await demo.client.createWorkflow(workflow);
	await demo.client.publishWorkflow(saved.id, saved.versionId);
	await demo.client.waitUntilPublished(saved.id, saved.versionId);
	const send = (index) =>
		fetch(`${demo.baseUrl}/webhook/bench/bare`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ contactId: `bare-${index}`, ...opened }),
		}).then((response) => response.text());
	await runWithConcurrency(100, CONCURRENCY, send);
	const started = process.hrtime.bigint();
	await runWithConcurrency(EVENTS, CONCURRENCY, send);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	console.log(`\n# n8n alone: Webhook -> Respond to Webhook, ${EVENTS} requests, ${CONCURRENCY} in flight`);
	report('requests per second through a bare webhook workflow', EVENTS / seconds, 'req/s');
}

async function measureThroughput(demo) {
	// Warm-up: JIT, n8n's caches, SQLite pages.
	await runWithConcurrency(100, CONCURRENCY, (index) => demo.scoreEvent({ contactId: `warm-${index}`, ...opened }));

	// Two events per contact, 10 points each contact: nobody crosses 50, so only scoring is measured.
	const contacts = Math.ceil(EVENTS / 2);
	const latencies = [];
	const started = process.hrtime.bigint();
	await runWithConcurrency(EVENTS, CONCURRENCY, async (index) => {
		const sent = process.hrtime.bigint();
		const { status, body } = await demo.scoreEvent({ contactId: `tp-${index % contacts}`, ...opened, id: `tp-evt-${index}` });
		if (status !== 200 || body.delta !== 5) throw new Error(`unexpected answer ${status}: ${JSON.stringify(body)}`);
		latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
	});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;

	const { body } = await demo.topContacts(contacts + 10);
	const scored = body.contacts.filter((contact) => contact.contactId.startsWith('tp-'));
	const wrong = scored.filter((contact) => contact.score !== 10);
	if (scored.length !== contacts || wrong.length > 0) throw new Error(`scores are wrong after the run: ${JSON.stringify(wrong.slice(0, 5))}`);

	console.log(`\n# scoring webhook workflow, ${EVENTS} events, ${CONCURRENCY} requests in flight`);
	report('events per second through the webhook workflow', EVENTS / seconds, 'events/s');
	report('HTTP round trip per event, p50', percentile(latencies, 50), 'ms');
	report('HTTP round trip per event, p99', percentile(latencies, 99), 'ms');
}

async function measureTriggerLatency(demo) {
	// Every contact at 45 first (no firing), then one event at a time takes one contact to 55.
	await runWithConcurrency(CROSSINGS, CONCURRENCY, async (index) => {
		await demo.scoreEvent({ contactId: `lat-${index}`, ...customer });
		await demo.scoreEvent({ contactId: `lat-${index}`, ...form });
	});
	const latencies = [];
	for (let index = 0; index < CROSSINGS; index++) {
		const contactId = `lat-${index}`;
		const { status, body, receivedAt } = await demo.scoreEvent({ contactId, ...clicked });
		if (status !== 200 || body.score !== 55) throw new Error(`unexpected answer ${status}: ${JSON.stringify(body)}`);
		const [notification] = await demo.sink.waitFor(
			(received) => received.some((entry) => entry.body.contactId === contactId),
			30_000,
		).then((received) => received.filter((entry) => entry.body.contactId === contactId));
		latencies.push(notification.at - receivedAt);
	}
	const firings = demo.sink.received.filter((entry) => entry.body.contactId.startsWith('lat-'));
	if (firings.length !== CROSSINGS) throw new Error(`expected ${CROSSINGS} notifications, got ${firings.length}`);

	console.log(`\n# trigger latency, ${CROSSINGS} contacts crossing 50 one after another`);
	report('event HTTP response -> notification at the sink, p50', percentile(latencies, 50), 'ms');
	report('event HTTP response -> notification at the sink, p99', percentile(latencies, 99), 'ms');
}

async function runWithConcurrency(count, concurrency, task) {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(name, value, unit) {
	console.log(`${name}: ${value.toFixed(unit === 'ms' ? 1 : 0)} ${unit}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
