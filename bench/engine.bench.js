/**
 * Engine evaluation in memory: one event against a realistic 50-rule profile spread over the 12
 * HighLevel action types (conditions on text, numbers, lists, paths), as scoreEvents does per item.
 */
const path = require('node:path');

const dist = path.join(__dirname, '../dist/src');
const { parseRules } = require(path.join(dist, 'rule'));
const { compileRules } = require(path.join(dist, 'evaluator'));

const EVENT_COUNT = 1_000_000;
const MEASURE_MS = 2000;

const is = (property, value) => ({ property, operator: 'equals', value });
const has = (property, value) => ({ property, operator: 'contains', value });
const atLeast = (property, value) => ({ property, operator: 'greaterThanOrEqual', value });
const oneOf = (property, value) => ({ property, operator: 'in', value });

/** 50 rules, the way a marketer would write them. */
const RULES = [
	['email_event', [is('event', 'opened')], 5],
	['email_event', [is('event', 'clicked')], 10],
	['email_event', [is('event', 'clicked'), has('link', 'promo')], 3],
	['email_event', [is('event', 'bounced')], -5],
	['email_event', [is('event', 'unsubscribed')], -10],
	['email_event', [is('event', 'complained')], -15],
	['email_event', [is('event', 'delivered')], 0.5],
	['email_event', [is('event', 'replied')], 8],
	['contact_changed', [is('field', 'lifecycleStage'), is('to', 'qualified')], 15],
	['contact_changed', [is('field', 'lifecycleStage'), is('to', 'customer')], 25],
	['contact_changed', [is('field', 'phone'), { property: 'to', operator: 'exists' }], 3],
	['contact_changed', [is('field', 'email'), { property: 'to', operator: 'notExists' }], -5],
	['contact_tag', [is('action', 'added'), is('tag', 'vip')], 20],
	['contact_tag', [is('action', 'added'), oneOf('tag', 'hot, warm')], 10],
	['contact_tag', [is('action', 'removed'), is('tag', 'vip')], -20],
	['contact_tag', [is('action', 'added'), is('tag', 'cold')], -5],
	['contact_tag', [is('action', 'added'), has('tag', 'webinar')], 4],
	['payment_received', [{ property: 'amount', operator: 'greaterThan', value: 0 }], 10],
	['payment_received', [atLeast('amount', 500)], 20],
	['payment_received', [atLeast('amount', 1000)], 30],
	['payment_received', [oneOf('currency', ['USD', 'EUR'])], 1],
	['contact_replied', [is('channel', 'email')], 8],
	['contact_replied', [is('channel', 'sms')], 6],
	['contact_replied', [is('channel', 'chat')], 4],
	['contact_replied', [], 2],
	['form_submitted', [has('form', 'demo')], 15],
	['form_submitted', [is('form', 'newsletter')], 3],
	['form_submitted', [], 5],
	['order_form_submission', [], 10],
	['order_form_submission', [atLeast('amount', 100)], 5],
	['order_form_submission', [has('form', 'vip')], 5],
	['order_placed', [], 15],
	['order_placed', [{ property: 'amount', operator: 'greaterThan', value: 200 }], 10],
	['order_placed', [has('product', 'premium')], 10],
	['order_placed', [{ property: 'currency', operator: 'notIn', value: 'USD' }], 1],
	['survey_submitted', [], 5],
	['survey_submitted', [is('survey', 'nps')], 5],
	['survey_submitted', [{ property: 'answers.score', operator: 'greaterThanOrEqual', value: 9 }], 10],
	['trigger_link_clicked', [has('link', 'pricing')], 10],
	['trigger_link_clicked', [has('link', 'promo')], 5],
	['trigger_link_clicked', [], 2],
	['trigger_link_clicked', [{ property: 'link', operator: 'notContains', value: 'unsubscribe' }], 1],
	['appointment_booked', [], 20],
	['appointment_booked', [is('calendar', 'sales-demo')], 10],
	['appointment_booked', [oneOf('calendar', 'onboarding,support')], 5],
	['appointment_status_changed', [is('status', 'confirmed')], 5],
	['appointment_status_changed', [is('status', 'showed')], 15],
	['appointment_status_changed', [is('status', 'noshow')], -10],
	['appointment_status_changed', [is('status', 'cancelled')], -5],
	['appointment_status_changed', [is('status', 'rescheduled'), is('calendar', 'sales-demo')], -2],
].map(([eventType, conditions, points]) => ({ eventType, conditions, points }));

const pick = (random, list) => list[Math.floor(random() * list.length)];

/** Property shapes per type; values vary the way real webhooks do (case, numeric text, misses). */
const PROPERTY_MAKERS = {
	email_event: (r) => ({ event: pick(r, ['opened', 'Opened', 'clicked', 'delivered', 'bounced', 'unsubscribed', 'complained', 'replied']), link: pick(r, ['https://x.io/promo', 'https://x.io/blog', undefined]), campaign: 'spring' }),
	contact_changed: (r) => ({ field: pick(r, ['lifecycleStage', 'phone', 'email', 'city']), from: 'new', to: pick(r, ['qualified', 'customer', '', '+1 555 0100']) }),
	contact_tag: (r) => ({ action: pick(r, ['added', 'removed']), tag: pick(r, ['VIP', 'hot', 'warm', 'cold', 'webinar-2025', 'newsletter']) }),
	payment_received: (r) => ({ amount: pick(r, [49, 120, '500', 999.99, 1500, 0]), currency: pick(r, ['USD', 'eur', 'GBP']) }),
	contact_replied: (r) => ({ channel: pick(r, ['email', 'SMS', 'chat', 'whatsapp']) }),
	form_submitted: (r) => ({ form: pick(r, ['Book a Demo', 'newsletter', 'contact-us']) }),
	order_form_submission: (r) => ({ form: pick(r, ['checkout', 'vip-checkout']), amount: pick(r, [30, 150, '250']) }),
	order_placed: (r) => ({ amount: pick(r, [19, 250, '1200']), currency: pick(r, ['USD', 'EUR']), product: pick(r, ['Premium Plan', 'Starter Plan', 'e-book']) }),
	survey_submitted: (r) => ({ survey: pick(r, ['NPS', 'onboarding']), answers: { score: pick(r, [3, 7, 9, 10]) } }),
	trigger_link_clicked: (r) => ({ link: pick(r, ['https://x.io/pricing', 'https://x.io/promo-may', 'https://x.io/unsubscribe']) }),
	appointment_booked: (r) => ({ calendar: pick(r, ['sales-demo', 'onboarding', 'support', 'other']) }),
	appointment_status_changed: (r) => ({ status: pick(r, ['confirmed', 'showed', 'noshow', 'cancelled', 'rescheduled']), calendar: pick(r, ['sales-demo', 'support']) }),
	'page.viewed': () => ({ url: 'https://x.io/' }),
};

/** Deterministic (mulberry32) so every run measures the same events. */
function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function buildEvents(count) {
	const random = seededRandom(42);
	const types = Object.keys(PROPERTY_MAKERS);
	const events = new Array(count);
	for (let index = 0; index < count; index++) {
		const type = pick(random, types);
		events[index] = { contactId: `c${index % 10_000}`, type, properties: PROPERTY_MAKERS[type](random), occurredAt: index };
	}
	return events;
}

/**
 * Evaluates every event, passes after passes, for at least `minMs` of this process's CPU time.
 * Returns events per CPU second and per wall-clock second: on a shared machine the wall clock
 * also counts time other processes held the CPU, so the CPU figure is the engine's own speed.
 */
function measure(evaluator, events, minMs) {
	let evaluated = 0;
	let checksum = 0;
	const startedCpu = process.cpuUsage();
	const startedWall = process.hrtime.bigint();
	let cpuMs = 0;
	while (cpuMs < minMs) {
		for (let index = 0; index < events.length; index++) checksum += evaluator.evaluate(events[index]).delta;
		evaluated += events.length;
		const cpu = process.cpuUsage(startedCpu);
		cpuMs = (cpu.user + cpu.system) / 1000;
	}
	const wallMs = Number(process.hrtime.bigint() - startedWall) / 1e6;
	if (!Number.isFinite(checksum)) throw new Error('evaluation produced a non-finite score');
	return { perCpuSecond: (evaluated / cpuMs) * 1000, perWallSecond: (evaluated / wallMs) * 1000 };
}

/** Guards the measurement itself: most events must match rules, or the bench would time misses. */
function checkEventsMatch(evaluator, events) {
	const matching = events.filter((event) => evaluator.evaluate(event).matchedRuleIds.length > 0).length;
	if (matching < events.length * 0.7) throw new Error(`only ${matching} of ${events.length} events match a rule`);
}

async function run(report) {
	const rules = parseRules(RULES);
	if (rules.length !== 50) throw new Error(`expected 50 rules, got ${rules.length}`);
	const evaluator = compileRules(rules);
	const events = buildEvents(EVENT_COUNT);
	checkEventsMatch(evaluator, events);
	measure(evaluator, events.slice(0, 100_000), 300);
	const { perCpuSecond, perWallSecond } = measure(evaluator, events, MEASURE_MS);
	report('engine: evaluate, 50 rules', Math.round(perCpuSecond), 'events/s', { min: 2_000_000 });
	report('engine: evaluate, 50 rules (wall clock, includes time other processes ran)', Math.round(perWallSecond), 'events/s');
}

module.exports = { run };
