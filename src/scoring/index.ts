/** The scoring core: what every operation does to a contact's score, and nothing else. Pure. */
export { idleSince, storedContactState, unseenContact, withFields } from './contact-state';
export type { ContactLedger, ContactState, ExpiringGrant, StateMarks } from './contact-state';
export type {
	DecayOperation,
	EventOperation,
	ExpiryOperation,
	ModifyOperation,
	ResetOperation,
	ScoreOperation,
	ScoringRule,
} from './operation';
export { dueExpiries, expireGrants, topGroup, ungroupedPoints } from './ledger';
export type { RuleGains } from './ledger';
export { eventCause } from './event-cause';
export { eventOperation } from './event-operation';
export { isInactive, transition } from './transition';
export type { ChangeRecord, Transition } from './transition';
export { adjustedScore, decayScore, normalizeScore } from './score-math';
export { planBatch } from './batch';
export type { BatchItem, BatchPlan, ContactView, ItemOutcome } from './batch';
export { holdsTheSame, recalculatedContact } from './recalculation';
export type { RecalculationOperation, ReplayedHolding } from './recalculation';
export { carriedOf, JournalPlan, planRecording } from './journal-plan';
export type { RecordedItem, RecordingOutcome, RecordingPlan } from './journal-plan';
