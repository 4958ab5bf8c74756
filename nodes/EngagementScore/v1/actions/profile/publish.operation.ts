import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { type EngagementEngine, type RecalculationSummary } from '../../../../../src/index';
import { labelsOf } from '../../../../shared/item-errors';
import { mapItems } from '../../../../shared/item-loop';
import { PROFILE_PARAMETER, profileIdFrom } from '../../../../shared/profile';
import { profileJson, recalculationJson } from '../../helpers/output';

/** A long recalculation says how far it got in n8n's log after about this many contacts. */
export const PROGRESS_LOG_EVERY_CONTACTS = 10_000;

const properties: INodeProperties[] = [
	{
		displayName: 'Recalculate Scores From Recorded Events',
		name: 'recalculate',
		type: 'boolean',
		default: true,
		description:
			"Whether to recompute every contact's score from the events and manual changes the profile recorded, under the rules being published. Off: the new rules only score events that arrive from now on.",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['profile'], operation: ['publish'] } }, properties);

const labels = labelsOf(description);

export async function execute(this: IExecuteFunctions, engine: EngagementEngine): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const profileId = profileIdFrom(this.getNodeParameter(PROFILE_PARAMETER, itemIndex));
		const recalculate = this.getNodeParameter('recalculate', itemIndex, true) as boolean;
		let logged = 0;
		const onProgress = (progress: RecalculationSummary & { toVersion: number }) => {
			if (progress.contactsRecalculated - logged < PROGRESS_LOG_EVERY_CONTACTS) return;
			logged = progress.contactsRecalculated;
			this.logger.info(
				`Engagement Score: recalculating ${profileId} to version ${progress.toVersion}: ${progress.contactsRecalculated} contacts so far, ${progress.contactsChanged} changed`,
			);
		};
		const { profile, recalculation } = await engine.publishAndRecalculate(profileId, { recalculate, onProgress });
		return { ...profileJson(profile), recalculation: recalculationJson(recalculation) };
	}, labels);
}
