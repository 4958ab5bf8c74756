import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_JOURNAL_RETENTION_DAYS } from '../../../../src/index';

/**
 * "Keep Recorded Events": how long the profile keeps the events and manual changes it received
 * (its journal, which recalculation, Preview Draft and Explain Score replay). A profile setting
 * that applies at once, not part of the draft rules.
 */
export function journalRetentionProperties(show?: Record<string, string[]>): INodeProperties[] {
	const shown = (extra: Record<string, string[]> = {}) =>
		show === undefined ? (Object.keys(extra).length === 0 ? {} : { displayOptions: { show: extra } }) : { displayOptions: { show: { ...show, ...extra } } };
	return [
		{
			displayName: 'Keep Recorded Events',
			name: 'keepRecordedEvents',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'For a Number of Days', value: 'days', description: 'Older events are folded into each contact\'s starting point' },
				{ name: 'Forever', value: 'forever', description: 'Every event stays recorded; the journal grows without bound' },
			],
			default: 'days',
			description:
				'How long the profile keeps the events and manual changes it received, which recalculation on publish replays. Applies at once, without a publish.',
			...shown(),
		},
		{
			displayName: 'Days to Keep Recorded Events',
			name: 'keepRecordedEventsDays',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: DEFAULT_JOURNAL_RETENTION_DAYS,
			description: 'Events older than this stop being replayed one by one: what they scored is kept as the contact\'s starting point',
			...shown({ keepRecordedEvents: ['days'] }),
		},
	];
}

/** The engine's field name for the retention, to the parameter that holds it (so errors name what the user sees). */
export const JOURNAL_RETENTION_FIELD_LABELS = { journalRetention: 'keepRecordedEventsDays' };

/** The retention as NewProfileInput / DraftPatch take it, from parameters (Create) or a collection (Update Draft); undefined when not given. */
export function readJournalRetention(values: IDataObject): unknown {
	const mode = values.keepRecordedEvents;
	if (mode === 'forever') return 'forever';
	const days = values.keepRecordedEventsDays;
	if (mode === 'days' || days !== undefined) return { days: days ?? DEFAULT_JOURNAL_RETENTION_DAYS };
	return undefined;
}

/** The two Create parameters as readJournalRetention takes them. */
export function journalRetentionParameters(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const mode = context.getNodeParameter('keepRecordedEvents', itemIndex, 'days') as string;
	return mode === 'forever'
		? { keepRecordedEvents: mode }
		: { keepRecordedEvents: mode, keepRecordedEventsDays: context.getNodeParameter('keepRecordedEventsDays', itemIndex, DEFAULT_JOURNAL_RETENTION_DAYS) };
}
