/** The engagement-scoring engine as a plain library: no n8n import anywhere below this file. */
export * from './types';
export * from './errors';
export type { ScoreStore } from './store';
export { adjustedScore, decayScore, normalizeScore } from './score-math';

export { EVENT_TYPES, isBuiltInEventType, toContactId, toEventType, toScoreEvent } from './event';
export { toEpochMillis } from './time';
export type { EventPropertyDefinition, EventTypeDefinition } from './event';
export { compileCondition, numericValue, propertyReader, toCondition } from './condition';
export type { PropertyPredicate } from './condition';
export { parseRules, toPoints } from './rule';
export { hasUnpublishedChanges, newProfile, published, slugOf, toProfileId, unpublished, withDraft } from './profile';
export type { DraftPatch, NewProfileInput } from './profile';
export { compileRules } from './evaluator';
export type { Evaluator } from './evaluator';
export { inactiveBefore, toDecayPolicy } from './decay';
export { SCORE_OPERATORS, firing, holds, toScoreConditionSet } from './score-condition';
export type { FiringMode, ScoreComparison, ScoreConditionSet, ScoreOperator } from './score-condition';
export { DEFAULT_TIER_THRESHOLDS, TIERS, tierOf, toTierThresholds } from './tier';
export type { Tier, TierThresholds } from './tier';
export { EngagementEngine } from './engine';
export type { DecayOptions, EngineOptions, ModifyInput, ModifyResult, ResetResult } from './engine';

export { DocumentStore } from './stores/document-store';
export { SqliteStore } from './stores/sqlite-store';
export { ChangeFeed } from './change-feed';
export type { ChangeFeedOptions } from './change-feed';
export { changeNotifier } from './change-notifier';
