import get from 'lodash/get';
import has from 'lodash/has';
import toPath from 'lodash/toPath';
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../../shared/item-errors';

/**
 * Event > Score, Event Data "Map Fields by Path": the item fields that hold the event, named by
 * their paths (`body.contact.id`), as n8n's own nodes take field names. The node reads them
 * itself with lodash's get, which costs a fraction of a microsecond where an expression per field
 * costs n8n about 100 µs.
 */
export const FIELD_PATH_PARAMETERS = {
	contactId: 'contactIdField',
	type: 'eventTypeField',
	properties: 'propertiesField',
	occurredAt: 'occurredAtField',
	id: 'eventIdField',
} as const;

type EventField = keyof typeof FIELD_PATH_PARAMETERS;

const REQUIRED_FIELDS: ReadonlySet<EventField> = new Set(['contactId', 'type']);

export function fieldPathProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	const field = (
		eventField: EventField,
		displayName: string,
		placeholder: string,
		description: string,
	): INodeProperties => ({
		displayName,
		name: FIELD_PATH_PARAMETERS[eventField],
		type: 'string',
		default: '',
		required: REQUIRED_FIELDS.has(eventField),
		requiresDataPath: 'single',
		placeholder,
		description,
		displayOptions,
	});
	return [
		field('contactId', 'Contact ID Field', 'e.g. body.contact.id', "The item's field that holds the contact ID. Drag it from the input or type its path."),
		field('type', 'Event Type Field', 'e.g. event', "The item's field that holds the event type, e.g. email_event or a custom type"),
		field(
			'properties',
			'Properties Field',
			'e.g. body.data',
			"Optional: the item's field that holds the event's properties (an object or JSON text), which rule conditions test",
		),
		field(
			'occurredAt',
			'Occurred At Field',
			'e.g. timestamp',
			"Optional: the item's field that holds when the event happened (ISO 8601 or epoch milliseconds); null or empty means now",
		),
		field(
			'id',
			'Event ID Field',
			'e.g. id',
			"Optional: the item's field that holds the event's ID at its source; an ID already scored for this profile is ignored",
		),
	];
}

/**
 * Reads each item's raw event (as toScoreEvent validates it) from the mapped paths. A path set
 * in the node must lead to a field in every item (a typo would otherwise score nothing or every
 * event at "now"); a field that is there but null or empty means "not given" for the optional ones.
 * A path given as an expression is evaluated per item, a fixed one once.
 */
export function fieldPathEventReader(context: IExecuteFunctions): (itemIndex: number) => IDataObject {
	const items = context.getInputData();
	const pathReaders = (Object.keys(FIELD_PATH_PARAMETERS) as EventField[]).map((eventField) => ({
		eventField,
		parameter: FIELD_PATH_PARAMETERS[eventField],
		pathOf: parameterReader(context, FIELD_PATH_PARAMETERS[eventField]),
	}));
	return (itemIndex) => {
		const json = items[itemIndex].json;
		const event: IDataObject = {};
		for (const { eventField, parameter, pathOf } of pathReaders) {
			const { text, keys } = pathOf(itemIndex);
			if (keys.length === 0) {
				if (REQUIRED_FIELDS.has(eventField)) throw fieldError(context.getNode(), itemIndex, parameter, 'no field path given', undefined, LABELS);
				continue;
			}
			// `has` first: it follows own properties only, so "constructor" is no value of a plain item.
			if (!has(json, keys)) throw fieldError(context.getNode(), itemIndex, parameter, `no value at "${text}"`, undefined, LABELS);
			event[eventField] = get(json, keys) as IDataObject[string];
		}
		return event;
	};
}

interface FieldPath {
	readonly text: string;
	/** The path split into keys once (lodash parses a path given as text on every call). */
	readonly keys: string[];
}

function parameterReader(context: IExecuteFunctions, name: string): (itemIndex: number) => FieldPath {
	const raw = context.getNode().parameters[name];
	if (typeof raw === 'string' && raw.startsWith('=')) return (itemIndex) => fieldPath(context.getNodeParameter(name, itemIndex, ''));
	const constant = fieldPath(context.getNodeParameter(name, 0, ''));
	return () => constant;
}

function fieldPath(value: unknown): FieldPath {
	const text = typeof value === 'string' ? value.trim() : '';
	return { text, keys: text === '' ? [] : toPath(text) };
}

const LABELS: Readonly<Record<string, string>> = Object.fromEntries(
	fieldPathProperties({}).map((property) => [property.name, property.displayName]),
);
