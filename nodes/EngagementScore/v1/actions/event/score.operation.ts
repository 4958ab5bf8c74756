import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { failIfNotPublished, toScoreEvent, type EngagementEngine, type EventResult, type Rule, type ScoreEvent } from '../../../../../src/index';
import { COMMON_LABELS, type FieldLabels, labelsOf, withParameterNames } from '../../../../shared/item-errors';
import { handleItemFailure } from '../../../../shared/item-loop';
import { contactIdProperty } from '../../../../shared/contact-id';
import { inputFieldsProperties } from '../../../../shared/input-fields';
import { PROFILE_PARAMETER, profileIdFrom, profileLocatorProperty } from '../../../../shared/profile';
import { isoTime, matchedRuleJson } from '../../../../shared/change-output';
import { inputFieldsMerger } from '../../../../shared/input-fields';
import { FIELD_PATH_PARAMETERS, fieldPathEventReader, fieldPathProperties } from '../../helpers/field-paths';
import { CUSTOM_EVENT_TYPE, eventTypeOptions } from '../common.descriptions';

const show = { resource: ['event'], operation: ['score'] };
const defineBelow = { ...show, mapping: ['defineBelow'] };

export const description: INodeProperties[] = [
	profileLocatorProperty({
		description:
			'The score profile whose published rules score the events. Events sent while it is a draft are recorded, for a publish that recalculates to score them.',
		displayOptions: { show },
	}),
	{
		displayName: 'Event Data',
		name: 'mapping',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Define Below',
				value: 'defineBelow',
				description: 'Set each field to a value or an n8n expression, e.g. {{ $json.contactId }}',
			},
			{
				name: 'Map Fields by Path',
				value: 'fieldPaths',
				description:
					"Name the item's fields that hold the contact ID, event type and the rest (e.g. body.contact.id). Read by the node itself: many times faster than an expression per field.",
			},
			{
				name: 'Use Item As Event',
				value: 'autoMap',
				description:
					'Each item already is an event: { contactId, type, properties?, occurredAt?, id? }. Fastest for large batches.',
			},
		],
		default: 'defineBelow',
		description: 'How each input item becomes the event to score',
		displayOptions: { show },
	},
	contactIdProperty({ description: 'The contact the event is about', displayOptions: { show: defineBelow } }),
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'options',
		options: eventTypeOptions,
		default: 'email_event',
		description: 'What happened. Rules of this type score the event.',
		displayOptions: { show: defineBelow },
	},
	{
		displayName: 'Custom Event Type',
		name: 'customEventType',
		type: 'string',
		default: '',
		placeholder: 'e.g. webinar_attended',
		description: 'Name of the custom event type: letters, digits and _ . : - ; case does not matter',
		displayOptions: { show: { ...defineBelow, eventType: [CUSTOM_EVENT_TYPE] } },
	},
	{
		displayName: 'Properties',
		name: 'propertiesSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Define Below', value: 'fields', description: 'Name and value pairs' },
			{ name: 'JSON', value: 'json', description: 'A JSON object, e.g. {{ $json.data }}' },
		],
		default: 'fields',
		description: "How to give the event's properties, which rule conditions test",
		displayOptions: { show: defineBelow },
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		placeholder: 'Add Property',
		default: {},
		typeOptions: { multipleValues: true },
		displayOptions: { show: { ...defineBelow, propertiesSource: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. event',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. opened',
					},
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { ...defineBelow, propertiesSource: ['json'] } },
	},
	{
		displayName: 'Occurred At',
		name: 'occurredAt',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.timestamp }}',
		description:
			'When the event happened: ISO 8601 or epoch milliseconds. Empty means now. It counts as the contact\'s last activity for decay.',
		displayOptions: { show: defineBelow },
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.id }}',
		description:
			'Optional ID of the event at its source. An ID already scored for this profile is ignored, so retried webhooks count once.',
		displayOptions: { show: defineBelow },
	},
	...fieldPathProperties({ show: { ...show, mapping: ['fieldPaths'] } }),
	{
		displayName: 'If the Profile Is Not Published',
		name: 'ifNotPublished',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Record the Events',
				value: 'record',
				description:
					"Keep the events in the profile's journal without scoring them (scored: false, recorded: true); publishing with recalculation scores them",
			},
			{ name: 'Fail the Items', value: 'fail', description: 'Each item fails with "not published" (Continue On Fail honoured)' },
		],
		default: 'record',
		description: 'What happens to events sent while the profile is a draft or unpublished',
		displayOptions: { show },
	},
	...inputFieldsProperties(show),
];

/** The validated events of one profile, with the item each came from. */
interface ProfileBatch {
	readonly itemIndexes: number[];
	readonly events: ScoreEvent[];
}

/**
 * Scores every item of the execution with one engine call per profile, for throughput. All items
 * are read and validated, and every profile checked, before anything is written, so a run that
 * stops on an error writes nothing; with continueOnFail the failing items carry their error.
 */
export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const output: INodeExecutionData[] = new Array(itemCount);
	const now = Date.now();
	const readEvent = eventReader(this);
	const mapping = this.getNodeParameter('mapping', 0);
	const autoMap = mapping === 'autoMap';
	const fieldNames = autoMap ? ITEM_FIELDS : mapping === 'fieldPaths' ? FIELD_PATH_PARAMETERS : PARAMETER_FIELDS;
	const labels = autoMap ? ITEM_LABELS : PARAMETER_LABELS;
	const readProfileId = profileIdReader(this);
	const withInputFields = inputFieldsMerger(this);
	const ifNotPublished = this.getNodeParameter('ifNotPublished', 0, 'record') === 'fail' ? 'fail' : 'record';

	const eventsByProfile = new Map<string, ProfileBatch>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const profileId = readProfileId(itemIndex);
			const event = toScoreEvent(readEvent(itemIndex), now);
			let batch = eventsByProfile.get(profileId);
			if (batch === undefined) {
				batch = { itemIndexes: [], events: [] };
				eventsByProfile.set(profileId, batch);
			}
			batch.itemIndexes.push(itemIndex);
			batch.events.push(event);
		} catch (error) {
			output[itemIndex] = handleItemFailure(this, withParameterNames(error, fieldNames), itemIndex, labels);
		}
	}

	const rulesByProfile = new Map<string, ReadonlyMap<string, Rule>>();
	for (const [profileId, { itemIndexes }] of eventsByProfile) {
		try {
			rulesByProfile.set(profileId, await publishedRules(engine, profileId, ifNotPublished));
		} catch (error) {
			for (const itemIndex of itemIndexes) output[itemIndex] = handleItemFailure(this, error, itemIndex, labels);
			eventsByProfile.delete(profileId);
		}
	}

	for (const [profileId, { itemIndexes, events }] of eventsByProfile) {
		let results: EventResult[];
		try {
			// Every event was validated above by toScoreEvent.
			results = await engine.scoreValidEvents(profileId, events, { ifNotPublished });
		} catch (error) {
			for (const itemIndex of itemIndexes) output[itemIndex] = handleItemFailure(this, error, itemIndex, labels);
			continue;
		}
		const toJson = resultFormatter(profileId, rulesByProfile.get(profileId) ?? new Map<string, Rule>());
		for (let position = 0; position < results.length; position++) {
			const itemIndex = itemIndexes[position];
			const json = withInputFields(itemIndex, toJson(events[position], results[position]));
			output[itemIndex] = { json, pairedItem: { item: itemIndex } };
		}
	}
	return output;
}

/** The engine names an event's fields; Define Below mode shows two of them under other names. */
const ITEM_FIELDS: Readonly<Record<string, string>> = {};
const PARAMETER_FIELDS: Readonly<Record<string, string>> = { type: 'eventType', id: 'eventId' };
/** Use Item As Event: the fields are the item's own keys, named as the user sees them in the item. */
const ITEM_LABELS: FieldLabels = { ...COMMON_LABELS, contactId: 'contactId' };
const PARAMETER_LABELS = labelsOf(description);

/** The rules that score the profile's events (none while it records them); fails an unpublished profile when told to. */
async function publishedRules(engine: EngagementEngine, profileId: string, ifNotPublished: 'record' | 'fail'): Promise<ReadonlyMap<string, Rule>> {
	const profile = await engine.getProfile(profileId);
	failIfNotPublished(profile, ifNotPublished);
	return new Map((profile.publishedRules ?? []).map((rule) => [rule.id, rule]));
}

/** Times of one batch whose ISO text is kept: events of a batch mostly share a few times. */
const ISO_TIMES_KEPT = 1024;

/** Builds output items; the ISO text of each time the batch repeats is made once. */
function resultFormatter(profileId: string, rules: ReadonlyMap<string, Rule>) {
	const isoTimes = new Map<number, string>();
	const occurredAtText = (time: number) => {
		let text = isoTimes.get(time);
		if (text === undefined) {
			if (isoTimes.size >= ISO_TIMES_KEPT) isoTimes.clear();
			isoTimes.set(time, (text = isoTime(time)));
		}
		return text;
	};
	const matchedRulesJson = (ruleIds: readonly string[]): IDataObject[] => {
		const json: IDataObject[] = [];
		for (const ruleId of ruleIds) {
			const rule = rules.get(ruleId);
			if (rule) json.push(matchedRuleJson(rule));
		}
		return json;
	};
	// What the user came for first (score, delta), then why; ids and times last. Every item has every key.
	return (event: ScoreEvent, result: EventResult): IDataObject => ({
		score: result.score,
		delta: result.delta,
		contactId: result.contactId,
		previousScore: result.previousScore,
		matchedRules: matchedRulesJson(result.matchedRuleIds),
		limitedRuleIds: result.limitedRuleIds === undefined ? [] : result.limitedRuleIds.slice(),
		duplicate: result.duplicate,
		scored: result.scored,
		recorded: result.recorded,
		eventType: event.type,
		matchedRuleIds: result.matchedRuleIds.slice(),
		eventId: event.id ?? null,
		occurredAt: occurredAtText(event.occurredAt),
		changeSeq: result.changeSeq ?? null,
		profileId,
	});
}

/**
 * Reads the profile id of an item. A profile chosen without an expression is the same for every
 * item, so it is read once: evaluating a parameter per item dominates large batches.
 */
function profileIdReader(context: IExecuteFunctions): (itemIndex: number) => string {
	if (isExpression(context.getNode().parameters[PROFILE_PARAMETER])) {
		return (itemIndex) => profileIdFrom(context.getNodeParameter(PROFILE_PARAMETER, itemIndex));
	}
	const constant = profileIdFrom(context.getNodeParameter(PROFILE_PARAMETER, 0));
	return () => constant;
}

function isExpression(parameter: unknown): boolean {
	if (typeof parameter === 'string') return parameter.startsWith('=');
	if (typeof parameter === 'object' && parameter !== null && 'value' in parameter) {
		return isExpression((parameter as { value: unknown }).value);
	}
	return false;
}

/** The raw event of an item, as toScoreEvent validates it. */
function eventReader(context: IExecuteFunctions): (itemIndex: number) => unknown {
	const items = context.getInputData();
	const mapping = context.getNodeParameter('mapping', 0);
	if (mapping === 'autoMap') return (itemIndex) => items[itemIndex].json;
	if (mapping === 'fieldPaths') return fieldPathEventReader(context);
	return (itemIndex) => {
		const selectedType = context.getNodeParameter('eventType', itemIndex);
		return {
			contactId: context.getNodeParameter('contactId', itemIndex),
			type: selectedType === CUSTOM_EVENT_TYPE ? context.getNodeParameter('customEventType', itemIndex) : selectedType,
			properties: readProperties(context, itemIndex),
			occurredAt: context.getNodeParameter('occurredAt', itemIndex, ''),
			id: context.getNodeParameter('eventId', itemIndex, ''),
		};
	};
}

function readProperties(context: IExecuteFunctions, itemIndex: number): unknown {
	if (context.getNodeParameter('propertiesSource', itemIndex) === 'json') {
		return context.getNodeParameter('propertiesJson', itemIndex, '{}');
	}
	const collection = context.getNodeParameter('properties', itemIndex, {}) as IDataObject;
	const pairs = Array.isArray(collection.property) ? (collection.property as IDataObject[]) : [];
	const properties: Record<string, unknown> = {};
	for (const { name, value } of pairs) {
		if (typeof name === 'string' && name.trim() !== '') {
			Object.defineProperty(properties, name.trim(), { value, enumerable: true, writable: true, configurable: true });
		}
	}
	return properties;
}
