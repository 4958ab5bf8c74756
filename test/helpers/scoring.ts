import { applyBatch, decayProfile, eventResult, loggedChange } from '../../src/score-writes';
import type { ScoreStore } from '../../src/store';
import type { Adjustment, DecayPolicy, DecayResult, EventResult, ScoreChange, ScoredEvent } from '../../src/types';

/**
 * Scoring operations on a bare store, as the engine performs them (the scoring core planned on the
 * store's snapshot, committed by its `transact`), for tests that hand in already-evaluated events
 * rather than rules and raw input.
 */
export function scoring(store: ScoreStore, options: { contactsPerDecayStep?: number } = {}) {
	return {
		async applyEvents(profileId: string, publishedVersion: number, events: readonly ScoredEvent[]): Promise<EventResult[]> {
			const items = events.map((event) => ({
				contactId: event.contactId,
				operation: {
					kind: 'event' as const,
					eventId: event.eventId,
					eventType: event.eventType,
					delta: event.delta,
					matchedRuleIds: event.matchedRuleIds,
					at: event.occurredAt,
				},
			}));
			const batch = await applyBatch(store, profileId, items, publishedVersion);
			return events.map((event, index) => eventResult(batch, index, event.contactId, event.eventId, [...event.matchedRuleIds]));
		},

		async adjustScore(profileId: string, adjustment: Adjustment): Promise<{ previousScore: number; score: number; change?: ScoreChange }> {
			const operation = {
				kind: 'modify' as const,
				operation: adjustment.operation,
				points: adjustment.points,
				countsAsActivity: adjustment.countsAsActivity ?? true,
				at: adjustment.at,
				...(adjustment.reason === undefined ? {} : { reason: adjustment.reason }),
			};
			const batch = await applyBatch(store, profileId, [{ contactId: adjustment.contactId, operation }]);
			const { previousScore, score } = batch.outcomes[0];
			const change = loggedChange(profileId, batch, 0);
			return change ? { previousScore, score, change } : { previousScore, score };
		},

		async resetContact(profileId: string, contactId: string, at: number, reason?: string): Promise<ScoreChange | undefined> {
			const operation = { kind: 'reset' as const, at, ...(reason === undefined ? {} : { reason }) };
			return loggedChange(profileId, await applyBatch(store, profileId, [{ contactId, operation }]), 0);
		},

		async applyDecay(profileId: string, policy: DecayPolicy, inactiveBefore: number, at: number): Promise<DecayResult> {
			return decayProfile(store, profileId, { kind: 'decay', policy, inactiveBefore, at }, options.contactsPerDecayStep);
		},
	};
}
