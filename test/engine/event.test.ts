import { DateTime } from 'luxon';

import { InvalidInputError } from '../../src/errors';
import { EVENT_TYPES, toEventType, toScoreEvent } from '../../src/event';

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

function fieldOf(action: () => unknown): string | undefined {
	try {
		action();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).field;
	}
	throw new Error('expected an InvalidInputError');
}

describe('EVENT_TYPES', () => {
	it("lists HighLevel's twelve action types with unique ids and documented properties", () => {
		expect(EVENT_TYPES.map((type) => type.id)).toEqual([
			'email_event',
			'contact_changed',
			'contact_tag',
			'payment_received',
			'contact_replied',
			'form_submitted',
			'order_form_submission',
			'order_placed',
			'survey_submitted',
			'trigger_link_clicked',
			'appointment_booked',
			'appointment_status_changed',
		]);
		for (const type of EVENT_TYPES) expect(type.properties.length).toBeGreaterThan(0);
		const tag = EVENT_TYPES.find((type) => type.id === 'contact_tag');
		expect(tag?.properties.map((property) => property.name)).toEqual(['action', 'tag']);
	});
});

describe('toEventType', () => {
	it('accepts built-in ids and display names in any case', () => {
		expect(toEventType('Form Submitted', 'type')).toBe('form_submitted');
		expect(toEventType(' EMAIL_EVENT ', 'type')).toBe('email_event');
	});

	it('accepts custom names of letters, digits and _ . : - (lower-cased)', () => {
		expect(toEventType('Webinar.Attended:v2-live_1', 'type')).toBe('webinar.attended:v2-live_1');
	});

	it('rejects empty or malformed names with the given field', () => {
		expect(fieldOf(() => toEventType('', 'rules[0].eventType'))).toBe('rules[0].eventType');
		expect(fieldOf(() => toEventType('page viewed', 'type'))).toBe('type');
		expect(fieldOf(() => toEventType(42, 'type'))).toBe('type');
	});
});

describe('toScoreEvent', () => {
	it('normalises a complete event', () => {
		const event = toScoreEvent(
			{ id: 77, contactId: ' c-1 ', type: 'email_event', properties: { event: 'opened' }, occurredAt: '2025-01-02T03:04:05+02:00' },
			NOW,
		);
		expect(event).toEqual({
			id: '77',
			contactId: 'c-1',
			type: 'email_event',
			properties: { event: 'opened' },
			occurredAt: Date.UTC(2025, 0, 2, 1, 4, 5),
		});
	});

	it('defaults properties to {} and the time to now, and omits a missing id', () => {
		const event = toScoreEvent({ contactId: 12345, type: 'form_submitted' }, NOW);
		expect(event).toEqual({ contactId: '12345', type: 'form_submitted', properties: {}, occurredAt: NOW });
		expect('id' in event).toBe(false);
	});

	it('parses every supported time representation to epoch ms', () => {
		const at = Date.UTC(2024, 5, 30, 8, 0, 0);
		const times = [at, String(at), new Date(at), DateTime.fromMillis(at), '2024-06-30T08:00:00Z', 'Sun, 30 Jun 2024 08:00:00 +0000', '2024-06-30 08:00:00 Z'];
		for (const occurredAt of times) {
			expect(toScoreEvent({ contactId: 'c', type: 'x', occurredAt }, NOW).occurredAt).toBe(at);
		}
	});

	it('accepts properties given as JSON text', () => {
		expect(toScoreEvent({ contactId: 'c', type: 'x', properties: '{"tag":"vip"}' }, NOW).properties).toEqual({ tag: 'vip' });
	});

	it('treats __proto__ and constructor as ordinary contact ids and property keys', () => {
		const properties = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}');
		const event = toScoreEvent({ contactId: '__proto__', type: 'x', properties }, NOW);
		expect(event.contactId).toBe('__proto__');
		expect(Object.prototype.hasOwnProperty.call(event.properties, '__proto__')).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(toScoreEvent({ contactId: 'constructor', type: 'x' }, NOW).contactId).toBe('constructor');
	});

	it('does not read fields from the prototype chain', () => {
		const raw = Object.create({ contactId: 'inherited' }) as Record<string, unknown>;
		raw.type = 'x';
		expect(fieldOf(() => toScoreEvent(raw, NOW))).toBe('contactId');
	});

	it('names the field that is wrong', () => {
		expect(fieldOf(() => toScoreEvent({ type: 'x' }, NOW))).toBe('contactId');
		expect(fieldOf(() => toScoreEvent({ contactId: '  ', type: 'x' }, NOW))).toBe('contactId');
		expect(fieldOf(() => toScoreEvent({ contactId: NaN, type: 'x' }, NOW))).toBe('contactId');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c' }, NOW))).toBe('type');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c', type: 'x', properties: [1] }, NOW))).toBe('properties');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c', type: 'x', properties: '{oops' }, NOW))).toBe('properties');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c', type: 'x', occurredAt: 'yesterday' }, NOW))).toBe('occurredAt');
		expect(fieldOf(() => toScoreEvent({ contactId: 'c', type: 'x', id: { a: 1 } }, NOW))).toBe('id');
		expect(fieldOf(() => toScoreEvent('not an event', NOW))).toBe('event');
	});
});
