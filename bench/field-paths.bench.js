/**
 * "Map Fields by Path" against the other two ways to feed Event > Score, each a real n8n-core
 * execution (test/harness/run-workflow.js) of a start node emitting the items -> Engagement Score
 * from the built package (dist/), on a SQLite file in a temp folder:
 * - Map Fields by Path: 4 fields (contact id, event type, properties, event id) read from nested
 *   paths of each item, e.g. `contact.id`, as a webhook or CRM export delivers them (target);
 * - Use Item As Event: the same events already shaped { contactId, type, properties, id };
 * - Define Below: the same 4 fields as n8n expressions (fewer events: it is two orders slower).
 * Each side scores the same events on a profile of its own with the same rules, and the bench
 * fails unless every side gives every event the same delta.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const EVENTS = 100_000;
const EXPRESSION_EVENTS = 5_000;
const ROUNDS = 5;
const CONTACTS = 10_000;
const TARGET = 50_000;
const TYPE = 'n8n-nodes-engagement-score.engagementScore';

const RULES = [
	{ id: 'opened', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'opened' }], points: 2 },
	{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 5 },
	{ id: 'vip-tag', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'equals', value: 'vip' }], points: 15 },
	{ id: 'payment', eventType: 'payment_received', conditions: [{ property: 'amount', operator: 'greaterThan', value: 0 }], points: 10 },
	{ id: 'form', eventType: 'form_submitted', points: 8 },
	{ id: 'webinar', eventType: 'webinar_attended', conditions: [{ property: 'minutes', operator: 'greaterThan', value: 20 }], points: 10 },
];

function eventAt(serial) {
	const contactId = `contact-${serial % CONTACTS}`;
	const id = `event-${serial}`;
	switch (serial % 5) {
		case 0:
			return { contactId, type: 'email_event', properties: { event: serial % 10 === 0 ? 'opened' : 'clicked' }, id };
		case 1:
			return { contactId, type: 'contact_tag', properties: { tag: serial % 4 === 1 ? 'vip' : 'newsletter', action: 'added' }, id };
		case 2:
			return { contactId, type: 'payment_received', properties: { amount: serial % 1000, currency: 'USD' }, id };
		case 3:
			return { contactId, type: 'form_submitted', properties: { form: 'demo-request' }, id };
		default:
			return { contactId, type: 'webinar_attended', properties: { minutes: serial % 60 }, id };
	}
}

/** The same event as a webhook-like item: nothing where Use Item As Event wants it. */
function nestedItem({ contactId, type, properties, id }) {
	return { json: { contact: { id: contactId, email: `${contactId}@example.com` }, event: { name: type, data: properties, id }, source: 'crm' } };
}

async function run(report) {
	const dist = path.join(__dirname, '..', 'dist');
	const { EngagementScore } = require(path.join(dist, 'nodes', 'EngagementScore', 'EngagementScore.node.js'));
	const { runWorkflow } = require(path.join(__dirname, '..', 'test', 'harness', 'run-workflow.js'));
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-bench-paths-'));
	const nodeTypes = { [TYPE]: new EngagementScore() };
	const store = { store: 'sqlite', databasePath: path.join(folder, 'bench.sqlite') };
	const locator = (value) => ({ __rl: true, mode: 'id', value });

	const execute = async (parameters, items) => {
		const result = await runWorkflow({
			nodeTypes,
			nodes: [{ name: 'Engagement Score', type: TYPE, typeVersion: 1, parameters: { ...store, ...parameters } }],
			items,
		});
		if (result.error) throw new Error(`bench execution failed: ${result.error.message}`);
		return result.output('Engagement Score');
	};
	const timed = async (parameters, items) => {
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		const output = await execute(parameters, items);
		const seconds = (performance.now() - started) / 1000;
		const cpu = process.cpuUsage(cpuBefore);
		if (output.length !== items.length) throw new Error(`expected ${items.length} output items, got ${output.length}`);
		const cpuSeconds = (cpu.user + cpu.system) / 1e6;
		return { rate: items.length / seconds, cpuRate: items.length / cpuSeconds, deltas: output.map((item) => item.json.delta) };
	};

	const sides = {
		paths: {
			resource: 'event',
			operation: 'score',
			profileId: locator('paths'),
			mapping: 'fieldPaths',
			contactIdField: 'contact.id',
			eventTypeField: 'event.name',
			propertiesField: 'event.data',
			eventIdField: 'event.id',
		},
		items: { resource: 'event', operation: 'score', profileId: locator('items'), mapping: 'autoMap' },
		expressions: {
			resource: 'event',
			operation: 'score',
			profileId: locator('expressions'),
			mapping: 'defineBelow',
			contactId: '={{ $json.contact.id }}',
			eventType: 'custom',
			customEventType: '={{ $json.event.name }}',
			propertiesSource: 'json',
			propertiesJson: '={{ $json.event.data }}',
			eventId: '={{ $json.event.id }}',
		},
	};

	try {
		for (const profileId of Object.keys(sides)) {
			await execute(
				{ resource: 'profile', operation: 'create', name: profileId, newProfileId: profileId, rulesSource: 'json', rulesJson: JSON.stringify(RULES), publish: true },
				[{ json: {} }],
			);
		}
		const eventsOf = (count, offset) => Array.from({ length: count }, (_, index) => eventAt(offset + index));
		const sameDeltas = (what, expected, actual) => {
			for (let index = 0; index < expected.length; index++) {
				if (expected[index] !== actual[index]) throw new Error(`${what}: event ${index} scored ${actual[index]}, Use Item As Event ${expected[index]}`);
			}
		};

		const warmUp = eventsOf(2_000, 9_000_000);
		await execute(sides.items, warmUp.map((json) => ({ json })));
		await execute(sides.paths, warmUp.map(nestedItem));

		// The two fast sides in turn, each round on new event ids for the same contacts.
		const rates = { paths: [], items: [] };
		const cpuRates = { paths: [], items: [] };
		let firstRoundDeltas;
		for (let round = 0; round < ROUNDS; round++) {
			const events = eventsOf(EVENTS, round * EVENTS);
			const first = round % 2 === 0 ? 'paths' : 'items';
			const results = {};
			for (const side of first === 'paths' ? ['paths', 'items'] : ['items', 'paths']) {
				const items = side === 'paths' ? events.map(nestedItem) : events.map((json) => ({ json }));
				results[side] = await timed(sides[side], items);
				rates[side].push(results[side].rate);
				cpuRates[side].push(results[side].cpuRate);
			}
			sameDeltas('Map Fields by Path', results.items.deltas, results.paths.deltas);
			firstRoundDeltas ??= results.items.deltas;
		}

		const expressionEvents = eventsOf(EXPRESSION_EVENTS, 0);
		const byExpression = await timed(sides.expressions, expressionEvents.map(nestedItem));
		sameDeltas('Define Below', firstRoundDeltas.slice(0, EXPRESSION_EVENTS), byExpression.deltas);

		const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
		const list = (values) => values.map((value) => Math.round(value).toLocaleString('en-US')).join(' · ');
		const count = EVENTS.toLocaleString('en-US');
		report(
			`Score Event, 4 fields mapped by path (Map Fields by Path), ${count} events in one n8n-core execution, median of ${ROUNDS}`,
			Math.round(median(rates.paths)),
			'events/s',
			{ min: TARGET },
		);
		console.log(`  each execution: ${list(rates.paths)} events/s; by process CPU time (includes GC threads, errs low): ${list(cpuRates.paths)}`);
		report(`Score Event, the same events as items (Use Item As Event), median of ${ROUNDS}`, Math.round(median(rates.items)), 'events/s');
		console.log(`  each execution: ${list(rates.items)} events/s; by process CPU time: ${list(cpuRates.items)}`);
		report(
			`Score Event, the same 4 fields as n8n expressions (Define Below), ${EXPRESSION_EVENTS.toLocaleString('en-US')} events`,
			Math.round(byExpression.rate),
			'events/s',
		);
		console.log(`  by process CPU time: ${list([byExpression.cpuRate])} events/s`);
		console.log(`  every side gave every event the delta Use Item As Event gave it`);
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

module.exports = { run };
