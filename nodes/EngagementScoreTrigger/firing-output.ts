import type { IDataObject } from 'n8n-workflow';

import { type Rule, type ScoreChange } from '../../src/index';
import { causeJson, isoTime, matchedRuleJson } from '../shared/change-output';

/**
 * The item the trigger emits for one score change that met its conditions: who, the score and
 * its change, and why first (as n8n's table view shows them), then times and ids. `rules` are the
 * profile's published rules by id, for the matched rules' descriptions; a rule id they lack (a rule
 * removed by a later publish) is listed by its id alone.
 */
export function firingItem(change: ScoreChange, rules: ReadonlyMap<string, Rule>): IDataObject {
	const ruleIds = change.cause.kind === 'event' ? change.cause.ruleIds : [];
	return {
		contactId: change.contactId,
		score: change.score,
		delta: change.delta,
		cause: causeJson(change.cause),
		matchedRules: ruleIds.map((id) => {
			const rule = rules.get(id);
			return rule ? matchedRuleJson(rule) : { id };
		}),
		previousScore: change.previousScore,
		at: isoTime(change.at),
		// Strictly increasing per store: a stable key for idempotent downstream steps.
		changeSeq: change.seq,
		profileId: change.profileId,
	};
}
