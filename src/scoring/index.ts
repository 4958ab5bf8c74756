/** The scoring core: what every operation does to a contact's score, and nothing else. Pure. */
export { idleSince, unseenContact } from './contact-state';
export type { ContactState } from './contact-state';
export type { DecayOperation, EventOperation, ModifyOperation, ResetOperation, ScoreOperation } from './operation';
export { eventCause, isInactive, transition } from './transition';
export type { ChangeRecord, Transition } from './transition';
export { adjustedScore, decayScore, normalizeScore } from './score-math';
export { planBatch } from './batch';
export type { BatchItem, BatchPlan, ContactView, ItemOutcome } from './batch';
