import type { ScoreChange } from '../../src/types';

/**
 * Fails unless no event was scored under `version` on a state of an older version: in the
 * contact's history (newest first, as stores return it), its recalculation to `version` comes
 * before every change scored under `version`.
 */
export function expectRecalculatedBeforeScoredUnder(history: readonly ScoreChange[], version: number): void {
	const oldestFirst = [...history].reverse();
	const recalculated = oldestFirst.findIndex((change) => change.cause.kind === 'recalculation' && change.cause.toVersion === version);
	const firstScored = oldestFirst.findIndex((change) => change.cause.kind === 'event' && change.cause.profileVersion === version);
	if (firstScored < 0) return;
	expect({ contactId: history[0]?.contactId, recalculated: recalculated >= 0 && recalculated < firstScored }).toEqual({
		contactId: history[0]?.contactId,
		recalculated: true,
	});
}
