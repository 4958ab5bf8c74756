import type { IDataObject } from 'n8n-workflow';

import type { PreviewChange, PreviewSummary } from '../../../../src/index';

/*
 * Preview Draft's items: first the contacts whose score would change, then one summary; `type`
 * says which (the first field, so a Filter or Switch node can split them). Shapes: docs/outputs.md.
 */

export function previewChangeJson(change: PreviewChange, profileId: string): IDataObject {
	return {
		type: 'contact',
		contactId: change.contactId,
		liveScore: change.liveScore,
		draftScore: change.draftScore,
		difference: change.difference,
		liveTier: change.liveTier,
		draftTier: change.draftTier,
		profileId,
	};
}

export function previewSummaryJson(summary: PreviewSummary, profileId: string): IDataObject {
	return {
		type: 'summary',
		contacts: summary.contacts,
		contactsChanged: summary.changed,
		totalDifference: summary.totalDifference,
		tiers: Object.fromEntries(Object.entries(summary.tiers).map(([tier, counts]) => [tier, { live: counts.live, draft: counts.draft }])),
		thresholds: summary.thresholds.map(({ threshold, newlyAtOrAbove, newlyBelow }) => ({ threshold, newlyAtOrAbove, newlyBelow })),
		profileId,
	};
}
