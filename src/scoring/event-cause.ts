import type { ChangeCause } from '../types';
import type { EventOperation } from './operation';

export type EventCause = Extract<ChangeCause, { kind: 'event' }>;

/** The cause a scored event's change is logged with. */
export function eventCause(operation: EventOperation): EventCause {
	const { eventType, matchedRuleIds, eventId, profileVersion } = operation;
	const ruleIds = Object.isFrozen(matchedRuleIds) ? matchedRuleIds : [...matchedRuleIds];
	if (eventId !== undefined) {
		return profileVersion === undefined
			? { kind: 'event', eventType, ruleIds, eventId }
			: { kind: 'event', eventType, ruleIds, profileVersion, eventId };
	}
	if (ruleIds !== matchedRuleIds) {
		return profileVersion === undefined ? { kind: 'event', eventType, ruleIds } : { kind: 'event', eventType, ruleIds, profileVersion };
	}
	// The evaluator shares one frozen list per outcome, so events without an id share a handful of
	// causes: one frozen object each, which a store may serialise once (a large batch measurably
	// spent its time building and serialising identical causes).
	let byType = sharedCauses.get(matchedRuleIds);
	if (byType === undefined) sharedCauses.set(matchedRuleIds, (byType = new Map()));
	let byVersion = byType.get(eventType);
	if (byVersion === undefined) byType.set(eventType, (byVersion = new Map()));
	let cause = byVersion.get(profileVersion);
	if (cause === undefined) {
		const shared = Object.freeze([...matchedRuleIds]);
		cause = Object.freeze(
			profileVersion === undefined
				? { kind: 'event', eventType, ruleIds: shared }
				: { kind: 'event', eventType, ruleIds: shared, profileVersion },
		) as EventCause;
		byVersion.set(profileVersion, cause);
	}
	return cause;
}

/** Per frozen rule-id list, event type and published version (lookups only: nothing is allocated per event). */
const sharedCauses = new WeakMap<readonly string[], Map<string, Map<number | undefined, EventCause>>>();
