import type { Evaluation, ScoreEvent, ScoringSettings } from '../types';
import type { EventOperation } from './operation';

/**
 * The operation an event is scored with: what the evaluator matched under the published version,
 * and, when the rules are scored on their own or the profile has limits, the matched rules, the
 * limits, the zone periods count in and the time the event arrived. The live engine and replay
 * both build it here, so a recalculation scores an event exactly as its arrival would have.
 */
export function eventOperation(
	event: Pick<ScoreEvent, 'type' | 'occurredAt'>,
	eventId: string | undefined,
	evaluation: Evaluation,
	profileVersion: number,
	settings: ScoringSettings | undefined,
	receivedAt: number,
): EventOperation {
	const { delta, matchedRuleIds, rules } = evaluation;
	const limits = settings?.limits;
	if (rules === undefined && limits === undefined) {
		return { kind: 'event', eventId, eventType: event.type, delta, matchedRuleIds, profileVersion, at: event.occurredAt };
	}
	return {
		kind: 'event',
		eventId,
		eventType: event.type,
		delta,
		matchedRuleIds,
		profileVersion,
		at: event.occurredAt,
		rules,
		limits,
		timeZone: settings?.timeZone,
		receivedAt,
	};
}
