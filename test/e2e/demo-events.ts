import { seededRandom } from '../helpers/seeded-random';

/**
 * Events for the demo profile "lead-score" (examples/5-set-up-demo-profile.json) and the points
 * its rules give each of them: the expectations the e2e test and benchmark check n8n against.
 */
export interface EventKind {
	readonly name: string;
	readonly type: string;
	readonly properties: Readonly<Record<string, unknown>>;
	/** Sum of the points of the demo rules this event matches. */
	readonly points: number;
}

export const KINDS = {
	opened: { name: 'opened', type: 'email_event', properties: { event: 'opened' }, points: 5 },
	clicked: { name: 'clicked', type: 'email_event', properties: { event: 'clicked', link: 'https://example.com/pricing' }, points: 10 },
	delivered: { name: 'delivered (no rule)', type: 'email_event', properties: { event: 'delivered' }, points: 0 },
	bounced: { name: 'bounced', type: 'email_event', properties: { event: 'bounced' }, points: -15 },
	customer: { name: 'became customer', type: 'contact_changed', properties: { field: 'lifecycleStage', from: 'lead', to: 'customer' }, points: 30 },
	vipAdded: { name: 'vip tag added', type: 'contact_tag', properties: { action: 'added', tag: 'vip' }, points: 20 },
	vipRemoved: { name: 'vip tag removed', type: 'contact_tag', properties: { action: 'removed', tag: 'vip' }, points: -20 },
	smallPayment: { name: 'payment 100', type: 'payment_received', properties: { amount: 100, currency: 'USD' }, points: 20 },
	largePayment: { name: 'payment 800', type: 'payment_received', properties: { amount: 800, currency: 'USD' }, points: 35 },
	replied: { name: 'replied', type: 'contact_replied', properties: { channel: 'sms' }, points: 10 },
	form: { name: 'form', type: 'form_submitted', properties: { form: 'contact-us' }, points: 15 },
	orderForm: { name: 'order form', type: 'order_form_submission', properties: { form: 'checkout', amount: 49 }, points: 20 },
	order: { name: 'order', type: 'order_placed', properties: { amount: 49, currency: 'USD', product: 'course' }, points: 25 },
	survey: { name: 'survey', type: 'survey_submitted', properties: { survey: 'nps' }, points: 10 },
	link: { name: 'trigger link', type: 'trigger_link_clicked', properties: { link: 'promo' }, points: 5 },
	booked: { name: 'booked', type: 'appointment_booked', properties: { calendar: 'demo' }, points: 20 },
	showed: { name: 'showed', type: 'appointment_status_changed', properties: { status: 'showed' }, points: 10 },
	cancelled: { name: 'cancelled', type: 'appointment_status_changed', properties: { status: 'cancelled' }, points: -10 },
	webinar: { name: 'webinar (custom type)', type: 'webinar_attended', properties: { webinar: 'scoring-101' }, points: 15 },
} satisfies Record<string, EventKind>;

const RANDOM_KINDS: readonly EventKind[] = Object.values(KINDS);

/** The trigger workflow's condition: fires when a score enters ">= 50". */
export const THRESHOLD = 50;

export interface PlannedEvent {
	readonly contactId: string;
	readonly kind: EventKind;
	/** The contact's score after this event. */
	readonly scoreAfter: number;
}

export interface ContactPlan {
	readonly contactId: string;
	readonly events: readonly PlannedEvent[];
	readonly finalScore: number;
	/** How often the score goes from below THRESHOLD to THRESHOLD or more. */
	readonly crossings: number;
}

/** A contact's events in order, with the score after each and the threshold crossings. */
export function planContact(contactId: string, kinds: readonly EventKind[], startScore = 0): ContactPlan {
	let score = startScore;
	let crossings = 0;
	const events = kinds.map((kind) => {
		const before = score;
		score += kind.points;
		if (before < THRESHOLD && score >= THRESHOLD) crossings++;
		return { contactId, kind, scoreAfter: score };
	});
	return { contactId, events, finalScore: score, crossings };
}

/** Deterministic pseudo-random numbers, so a failing stream can be replayed. */
export const random = seededRandom;

/**
 * `count` random events for one contact, starting with a positive one and never taking the score
 * below 0 (whether scores may go negative is not what this stream tests).
 */
export function randomKinds(next: () => number, count: number): EventKind[] {
	const kinds: EventKind[] = [KINDS.opened];
	let score = KINDS.opened.points;
	while (kinds.length < count) {
		const kind = RANDOM_KINDS[Math.floor(next() * RANDOM_KINDS.length)];
		if (score + kind.points < 0) continue;
		kinds.push(kind);
		score += kind.points;
	}
	return kinds;
}

export function eventBody(event: PlannedEvent, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { contactId: event.contactId, type: event.kind.type, properties: event.kind.properties, ...extra };
}
