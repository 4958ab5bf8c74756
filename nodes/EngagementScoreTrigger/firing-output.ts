import type { IDataObject } from 'n8n-workflow';

import { groupsMet, type Rule, type ScoreChange, type ScoreConditionSet } from '../../src/index';
import { causeJson, isoTime, matchedRuleJson } from '../shared/change-output';

/**
 * The item the trigger emits for one score change that met its conditions: who, the score and
 * its change, and why first (as n8n's table view shows them), then times and ids. `rules` are the
 * profile's published rules by id, for the matched rules' descriptions; a rule id they lack (a rule
 * removed by a later publish) is listed by its id alone. A contact holding groups gets its
 * `groups` after the change, and `groupsMet` names the groups whose conditions the change meets.
 */
export function firingItem(change: ScoreChange, rules: ReadonlyMap<string, Rule>, conditions: ScoreConditionSet): IDataObject {
	const ruleIds = change.cause.kind === 'event' ? change.cause.ruleIds : [];
	const met = groupsMet(change, conditions);
	return {
		contactId: change.contactId,
		score: change.score,
		delta: change.delta,
		cause: causeJson(change.cause),
		matchedRules: ruleIds.map((id) => {
			const rule = rules.get(id);
			return rule ? matchedRuleJson(rule) : { id };
		}),
		...(met.length === 0 ? {} : { groupsMet: met }),
		...(change.groups === undefined ? {} : { groups: { ...change.groups } }),
		previousScore: change.previousScore,
		at: isoTime(change.at),
		// Strictly increasing per store: a stable key for idempotent downstream steps.
		changeSeq: change.seq,
		profileId: change.profileId,
	};
}
