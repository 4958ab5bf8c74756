import { InvalidInputError } from './errors';
import { EARLIEST_EVENT_MS, MAX_FUTURE_MS, shown, toIdText } from './limits';
import { isPlainObject, ownValue, parseJsonText } from './plain-object';
import { toEpochMillis } from './time';
import type { ScoreEvent } from './types';

export interface EventPropertyDefinition {
	readonly name: string;
	readonly description: string;
	/** Typical values, offered as suggestions; other values are accepted. */
	readonly examples?: readonly string[];
}

export interface EventTypeDefinition {
	/** Stable id used in rules and events. */
	readonly id: string;
	/** As HighLevel names the action type. */
	readonly name: string;
	readonly description: string;
	readonly properties: readonly EventPropertyDefinition[];
}

const amount: EventPropertyDefinition = { name: 'amount', description: 'Amount paid, as a number' };
const currency: EventPropertyDefinition = {
	name: 'currency',
	description: 'ISO currency code',
	examples: ['USD', 'EUR', 'GBP'],
};
const form: EventPropertyDefinition = { name: 'form', description: 'Name or id of the form' };
const calendar: EventPropertyDefinition = { name: 'calendar', description: 'Name or id of the calendar' };

/** HighLevel's twelve rule action types, with the properties each event of that type carries. */
export const EVENT_TYPES: readonly EventTypeDefinition[] = [
	{
		id: 'email_event',
		name: 'Email Events',
		description: 'The contact interacted with an email',
		properties: [
			{
				name: 'event',
				description: 'What happened to the email',
				examples: ['opened', 'clicked', 'delivered', 'bounced', 'unsubscribed', 'complained', 'replied', 'failed'],
			},
			{ name: 'campaign', description: 'Name or id of the email or campaign' },
			{ name: 'link', description: 'URL clicked, for clicks' },
		],
	},
	{
		id: 'contact_changed',
		name: 'Contact Changed',
		description: "A field of the contact's record changed",
		properties: [
			{ name: 'field', description: 'Name of the changed field', examples: ['lifecycleStage', 'email', 'phone'] },
			{ name: 'from', description: 'Value before the change' },
			{ name: 'to', description: 'Value after the change' },
		],
	},
	{
		id: 'contact_tag',
		name: 'Contact Tag',
		description: 'A tag was added to or removed from the contact',
		properties: [
			{ name: 'action', description: 'Whether the tag was added or removed', examples: ['added', 'removed'] },
			{ name: 'tag', description: 'The tag' },
		],
	},
	{
		id: 'payment_received',
		name: 'Payment Received',
		description: 'A payment from the contact was received',
		properties: [amount, currency],
	},
	{
		id: 'contact_replied',
		name: 'Contact Replied',
		description: 'The contact replied to a message',
		properties: [{ name: 'channel', description: 'Where the reply came from', examples: ['email', 'sms', 'chat', 'whatsapp'] }],
	},
	{
		id: 'form_submitted',
		name: 'Form Submitted',
		description: 'The contact submitted a form',
		properties: [form],
	},
	{
		id: 'order_form_submission',
		name: 'Order Form Submission',
		description: 'The contact submitted an order form',
		properties: [form, amount],
	},
	{
		id: 'order_placed',
		name: 'Order Placed',
		description: 'The contact placed an order',
		properties: [amount, currency, { name: 'product', description: 'Name or id of the product ordered' }],
	},
	{
		id: 'survey_submitted',
		name: 'Survey Submitted',
		description: 'The contact submitted a survey',
		properties: [{ name: 'survey', description: 'Name or id of the survey' }],
	},
	{
		id: 'trigger_link_clicked',
		name: 'Trigger Link Clicked',
		description: 'The contact clicked a trigger link',
		properties: [{ name: 'link', description: 'Name or URL of the trigger link' }],
	},
	{
		id: 'appointment_booked',
		name: 'Appointment Booked',
		description: 'The contact booked an appointment',
		properties: [calendar],
	},
	{
		id: 'appointment_status_changed',
		name: 'Appointment Status Changed',
		description: "The status of the contact's appointment changed",
		properties: [
			{
				name: 'status',
				description: 'The new status',
				examples: ['confirmed', 'showed', 'noshow', 'cancelled', 'rescheduled'],
			},
			calendar,
		],
	},
];

const typeIdsByLowerCaseName = new Map<string, string>();
for (const type of EVENT_TYPES) {
	typeIdsByLowerCaseName.set(type.id, type.id);
	typeIdsByLowerCaseName.set(type.name.toLowerCase(), type.id);
}

const CUSTOM_TYPE = /^[a-z0-9_.:-]+$/;

export function isBuiltInEventType(type: string): boolean {
	return EVENT_TYPES.some((definition) => definition.id === type);
}

/**
 * The canonical id of an event type. Type names are case-insensitive (stored lower case), so
 * "Form_Submitted" in a rule matches "form_submitted" in an event; HighLevel's display names
 * ("Form Submitted") are accepted for the built-in types.
 */
export function toEventType(raw: unknown, field: string): string {
	if (typeof raw === 'string') {
		const known = canonicalTypes.get(raw);
		if (known !== undefined) return known;
	}
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new InvalidInputError('The event type is required (a non-empty text)', field);
	}
	const lowerCase = raw.trim().toLowerCase();
	const builtIn = typeIdsByLowerCaseName.get(lowerCase);
	if (builtIn !== undefined) return remember(raw, builtIn);
	if (!CUSTOM_TYPE.test(lowerCase)) {
		throw new InvalidInputError(
			`Event type "${shown(raw)}" is neither a built-in type nor a valid custom type name (letters, digits, _ . : -)`,
			field,
		);
	}
	return remember(raw, lowerCase);
}

/** Type texts already read, with their canonical id: a batch repeats a few types many times. */
const canonicalTypes = new Map<string, string>();
const CANONICAL_TYPES_KEPT = 1000;

function remember(raw: string, type: string): string {
	if (canonicalTypes.size >= CANONICAL_TYPES_KEPT) canonicalTypes.clear();
	canonicalTypes.set(raw, type);
	return type;
}

/** Contact ids are text; numbers (as CRMs often send) become their decimal text. See toIdText for the rules. */
export function toContactId(raw: unknown, field = 'contactId'): string {
	const text = toIdText(raw, field, 'The contact id');
	if (text === undefined) throw new InvalidInputError('The contact id is required (a text or a number)', field);
	return text;
}

function toEventId(raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = toIdText(raw, 'id', 'The event id');
	if (text === undefined) throw new InvalidInputError('The event id must be a text or a number', 'id');
	return text;
}

/** A date too far ahead would keep its contact from ever decaying; before 1970 is a unit mistake. */
function toOccurredAt(raw: unknown, now: number): number {
	if (raw === undefined || raw === null || raw === '') return now;
	const occurredAt = toEpochMillis(raw, 'occurredAt');
	if (occurredAt > now + MAX_FUTURE_MS) {
		throw new InvalidInputError(`"${shown(raw)}" is more than a day in the future`, 'occurredAt');
	}
	if (occurredAt < EARLIEST_EVENT_MS) throw new InvalidInputError(`"${shown(raw)}" is before 1970`, 'occurredAt');
	return occurredAt;
}

const NO_PROPERTIES: Readonly<Record<string, unknown>> = Object.freeze({});

function toProperties(raw: unknown): Readonly<Record<string, unknown>> {
	if (raw === undefined || raw === null || raw === '') return NO_PROPERTIES;
	if (isPlainObject(raw)) return raw;
	if (typeof raw === 'string') {
		const parsed = parseJsonText(raw);
		if (!parsed.ok) throw new InvalidInputError(`The event properties are not valid JSON: ${parsed.message}`, 'properties');
		if (isPlainObject(parsed.value)) return parsed.value;
	}
	throw new InvalidInputError('The event properties must be an object of names and values', 'properties');
}

/**
 * Validates and normalises one incoming event. `now` is the occurrence time when the event has none.
 * @throws InvalidInputError with field contactId, type, properties, occurredAt or id
 */
export function toScoreEvent(raw: unknown, now: number = Date.now()): ScoreEvent {
	if (!isPlainObject(raw)) throw new InvalidInputError('An event must be an object', 'event');
	const contactId = toContactId(ownValue(raw, 'contactId'));
	const type = toEventType(ownValue(raw, 'type'), 'type');
	const properties = toProperties(ownValue(raw, 'properties'));
	const occurredAt = toOccurredAt(ownValue(raw, 'occurredAt'), now);
	const id = toEventId(ownValue(raw, 'id'));
	return id === undefined ? { contactId, type, properties, occurredAt } : { id, contactId, type, properties, occurredAt };
}
