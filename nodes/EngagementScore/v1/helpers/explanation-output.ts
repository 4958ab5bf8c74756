import type { IDataObject } from 'n8n-workflow';

import type { ScoreExplanation } from '../../../../src/index';
import { isoTime } from '../../../shared/change-output';

/** Explain Score's one item: the score first, then what makes it up (docs/outputs.md). */
export function explanationJson(explanation: ScoreExplanation, profileId: string): IDataObject {
	const { carried } = explanation;
	return {
		score: explanation.score,
		groups: { ...explanation.groups },
		contactId: explanation.contactId,
		rules: explanation.rules.map((rule) => ({
			ruleId: rule.ruleId,
			group: rule.group ?? null,
			points: rule.points,
			events: rule.events,
			added: rule.added,
			expired: rule.expired,
			limitedEvents: rule.limitedEvents,
			lapsedEvents: rule.lapsedEvents,
			heldBackByGroupLimit: rule.heldBackByGroupLimit,
			heldBackByScoreLimit: rule.heldBackByScoreLimit,
		})),
		groupContributions: explanation.groupContributions.map((group) => ({
			group: group.group,
			subtotal: group.subtotal,
			carried: group.carried,
			rules: group.rules.map(({ ruleId, points }) => ({ ruleId, points })),
			manual: group.manual,
			resets: group.resets,
			decay: group.decay,
		})),
		manual: explanation.manual.map((change) => ({
			operation: change.operation,
			points: change.points,
			effect: change.effect,
			reason: change.reason ?? null,
			heldBackByScoreLimit: change.heldBackByScoreLimit,
			at: isoTime(change.at),
		})),
		resets: explanation.resets.map((reset) => ({ effect: reset.effect, reason: reset.reason ?? null, at: isoTime(reset.at) })),
		decay: explanation.decay.map((run) => ({ mode: run.mode, effect: run.effect, at: isoTime(run.at) })),
		carried: carried === undefined ? null : { score: carried.score, groups: { ...carried.groups }, at: isoTime(carried.at) },
		heldBack: { ...explanation.heldBack },
		profileId,
	};
}
