import { LiveJournal } from './live-journal';
import { seededRandom } from '../helpers/seeded-random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const RANDOM_START = Date.UTC(2026, 0, 30, 22); // near a month's and a week's end

/** Rules of every kind: plain, conditioned, limited per contact, day, week, month and rolling window, expiring, grouped. */
export const RANDOM_RULES = [
	{ id: 'opened', eventType: 'email_event', points: 1.5, counts: { times: 3, per: 'day' }, group: 'Email' },
	{ id: 'clicked', eventType: 'email_event', points: 2.2, conditions: [{ property: 'n', operator: 'greaterThan', value: 5 }], group: 'Email' },
	{ id: 'bounced', eventType: 'email_event', points: -3, conditions: [{ property: 'n', operator: 'equals', value: 0 }] },
	{ id: 'webinar', eventType: 'webinar_attended', points: 10, counts: 'once', expiresAfterDays: 9, group: 'Events' },
	{ id: 'demo', eventType: 'appointment_booked', points: 40, expiresAfterDays: 4, group: 'Sales' },
	{ id: 'weekly', eventType: 'page_viewed', points: 0.7, counts: { times: 2, per: 'week' } },
	{ id: 'monthly', eventType: 'form_submitted', points: 6, counts: { times: 1, per: 'month' }, expiresAfterDays: 2 },
	{ id: 'rolling', eventType: 'call_answered', points: 4.1, counts: { times: 1, per: 'rollingDays', days: 2 }, group: 'Sales' },
	{ id: 'noshow', eventType: 'appointment_noshow', points: -25, group: 'Sales' },
];
export const RANDOM_LIMITS = { min: -20, max: 120, groupMax: { Sales: 60, Email: 12 } };
const TYPES = [...new Set(RANDOM_RULES.map((rule) => rule.eventType)), 'unknown_type'];
const CONTACTS = ['alice', 'bob', 'carol', 'dave'];

/** Drives `live` through `steps` random operations of every kind (events late and early, duplicate ids, manual changes, resets, decay). */
export async function randomHistory(live: LiveJournal, seed: number, steps: number): Promise<void> {
	const random = seededRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const contact = () => (random() < 0.05 ? 'erin' : pick(CONTACTS));
	for (let step = 0; step < steps; step++) {
		live.clock += Math.floor(random() * 3 * DAY);
		const roll = random();
		if (roll < 0.6) {
			const count = 1 + Math.floor(random() * 4);
			await live.events(
				Array.from({ length: count }, () => ({
					contactId: contact(),
					type: pick(TYPES),
					properties: { n: Math.floor(random() * 10) },
					...(random() < 0.4 ? { occurredAt: live.clock - Math.floor(random() * 6 * DAY) } : {}),
					...(random() < 0.3 ? { id: `e${Math.floor(random() * 20)}` } : {}),
				})),
			);
		} else if (roll < 0.78) {
			const operation = pick(['add', 'subtract', 'set'] as const);
			await live.modify(contact(), operation, Math.round(random() * 400 - 100) / 10, { countsAsActivity: random() < 0.7, ...(random() < 0.5 ? { reason: 'r' } : {}) });
		} else if (roll < 0.86) {
			await live.reset(contact());
		} else {
			const inactiveDays = 1 + Math.floor(random() * 5);
			await live.decay(
				random() < 0.5
					? { mode: 'subtract', inactiveDays, points: Math.round(random() * 100) / 10, floor: Math.floor(random() * 6) - 3 }
					: { mode: 'multiply', inactiveDays, factor: Math.round(random() * 10) / 10 },
				random() < 0.5 ? 'Europe/Berlin' : undefined,
			);
		}
	}
}
