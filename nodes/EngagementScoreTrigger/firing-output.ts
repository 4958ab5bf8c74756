import type { IDataObject } from 'n8n-workflow';

import type { ChangeCause, ScoreChange } from '../../src/types';

/** The item the trigger emits for one score change that met its conditions. */
export function firingItem(change: ScoreChange): IDataObject {
	return {
		contactId: change.contactId,
		profileId: change.profileId,
		score: change.score,
		previousScore: change.previousScore,
		delta: change.delta,
		cause: causeJson(change.cause),
		at: new Date(change.at).toISOString(),
		// Strictly increasing per store: a stable key for idempotent downstream steps.
		changeSeq: change.seq,
	};
}

function causeJson(cause: ChangeCause): IDataObject {
	switch (cause.kind) {
		case 'event':
			return {
				kind: 'event',
				eventType: cause.eventType,
				ruleIds: [...cause.ruleIds],
				...(cause.eventId !== undefined && { eventId: cause.eventId }),
			};
		case 'modify':
			return {
				kind: 'modify',
				operation: cause.operation,
				points: cause.points,
				...(cause.reason !== undefined && { reason: cause.reason }),
			};
		case 'decay':
			return { kind: 'decay', mode: cause.mode };
		case 'reset':
			return { kind: 'reset', ...(cause.reason !== undefined && { reason: cause.reason }) };
	}
}
