/**
 * Issue 11's replay core (src/replay/), in memory on one core: recalculating a profile of
 * 1,000,000 journaled events over 100,000 contacts replays every contact's journal under the new
 * rules. The recalculation through a store (≥ 200k events/s on SQLite) reads and writes besides,
 * so the replay alone must do well over 1M events/s. Two rule sets: issue 10's 50 rules (10
 * limited, 10 expiring, 20 grouped, with limits) and 50 plain rules; 4 profile-wide decay runs.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const CONTACTS = 100_000;
const EVENTS_PER_CONTACT = 10;
const DAY = 86_400_000;
const RUNS = 3;

function ledgerRules() {
	const list = [];
	for (let type = 0; type < 10; type++) {
		const eventType = `type_${type}`;
		list.push({ id: `limited-${type}`, eventType, conditions: [], points: 2, counts: { times: 3, per: 'day' }, group: 'Limited' });
		list.push({ id: `expiring-${type}`, eventType, conditions: [], points: 3, expiresAfterDays: 30, group: 'Expiring' });
		for (let plain = 0; plain < 3; plain++) {
			list.push({ id: `plain-${type}-${plain}`, eventType, points: 1, conditions: [{ property: 'n', operator: 'greaterThan', value: plain * 3 }] });
		}
	}
	return list;
}

function plainRules() {
	return ledgerRules().map(({ id, eventType, points, conditions }) => ({ id, eventType, points, conditions }));
}

/** Every contact's journal: 10 events over 60 days (receivedAt a minute after occurredAt), ids on half of them. */
function journals(start) {
	const byContact = new Map();
	let seq = 0;
	for (let contact = 0; contact < CONTACTS; contact++) {
		const contactId = `contact-${contact}`;
		const records = new Array(EVENTS_PER_CONTACT);
		for (let index = 0; index < EVENTS_PER_CONTACT; index++) {
			const serial = contact * EVENTS_PER_CONTACT + index;
			const occurredAt = start + index * 6 * DAY + (serial % 7) * 3_600_000;
			records[index] = {
				kind: 'event',
				contactId,
				...(serial % 2 === 0 ? { eventId: `event-${serial}` } : {}),
				type: `type_${serial % 10}`,
				properties: { n: serial % 10 },
				occurredAt,
				receivedAt: occurredAt + 60_000,
				// Contacts' entries interleave with the decay runs below by journalSeq.
				journalSeq: index * 1_000_000 + contact + 1,
			};
			seq++;
		}
		byContact.set(contactId, records);
	}
	const profileWide = [1, 3, 5, 7].map((step) => ({
		kind: 'decay',
		policy: { mode: 'multiply', inactiveDays: 7, factor: 0.9, floor: 0 },
		inactiveBefore: start + step * 6 * DAY - 7 * DAY,
		at: start + step * 6 * DAY + DAY,
		journalSeq: step * 1_000_000 + 500_000,
	}));
	return { byContact, profileWide, events: seq };
}

async function run(report) {
	const { replayContact, withEvaluator } = require(path.join(__dirname, '..', 'dist', 'src', 'index.js'));
	const start = Date.UTC(2026, 0, 5);
	const now = start + 90 * DAY;
	const { byContact, profileWide, events } = journals(start);
	const cases = [
		['50 rules (10 limited, 10 expiring, 20 grouped), limits', { version: 2, rules: ledgerRules(), limits: { min: 0, max: 500, groupMax: { Limited: 30 } } }],
		['50 plain rules, no limits', { version: 2, rules: plainRules() }],
	];
	for (const [name, raw] of cases) {
		const settings = withEvaluator(raw);
		const rates = [];
		const cpuRates = [];
		let total = 0;
		let changes = 0;
		for (let runIndex = 0; runIndex < RUNS; runIndex++) {
			total = 0;
			changes = 0;
			const cpuBefore = process.cpuUsage();
			const started = performance.now();
			for (const [contactId, records] of byContact) {
				const replayed = replayContact(contactId, records, profileWide, settings, now);
				total += replayed.state === undefined ? 0 : replayed.state.score;
				changes += replayed.changes.length;
			}
			rates.push(Math.round(events / ((performance.now() - started) / 1000)));
			const cpu = process.cpuUsage(cpuBefore);
			cpuRates.push(Math.round(events / ((cpu.user + cpu.system) / 1e6)));
		}
		const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
		const shown = (list) => list.map((rate) => rate.toLocaleString('en-US')).join(' · ');
		report(
			`Replay ${events.toLocaleString('en-US')} journaled events over ${CONTACTS.toLocaleString('en-US')} contacts in memory, ${name}, 4 decay runs, wall clock (median of ${RUNS}: ${shown(rates)}; ${changes.toLocaleString('en-US')} changes, scores sum ${total})`,
			median(rates),
			'events/s',
			{ min: 1_000_000 },
		);
		report(`The same, per second of this process's CPU time (${shown(cpuRates)})`, median(cpuRates), 'events/s', { min: 1_000_000 });
	}
}

module.exports = { run };
