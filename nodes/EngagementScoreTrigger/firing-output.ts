import type { IDataObject } from 'n8n-workflow';

import { type ScoreChange } from '../../src/index';
import { causeJson, isoTime } from '../shared/change-output';

/** The item the trigger emits for one score change that met its conditions. */
export function firingItem(change: ScoreChange): IDataObject {
	return {
		contactId: change.contactId,
		profileId: change.profileId,
		score: change.score,
		previousScore: change.previousScore,
		delta: change.delta,
		cause: causeJson(change.cause),
		at: isoTime(change.at),
		// Strictly increasing per store: a stable key for idempotent downstream steps.
		changeSeq: change.seq,
	};
}
