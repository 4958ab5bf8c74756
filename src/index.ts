/** The engagement-scoring engine as a plain library: no n8n import anywhere below this file. */
export * from './types';
export * from './errors';
export * from './journal';
export type { Committed, IdList, Plan, ProfileHeader, ScoreStore, Snapshot, TransactionKeys } from './store';
export { adjustedScore, decayScore, holdsTheSame, normalizeScore, idleSince, isInactive, planBatch, recalculatedContact, transition, unseenContact } from './scoring';
export type { RecalculationOperation } from './scoring';
export type {
	BatchItem,
	BatchPlan,
	ChangeRecord,
	ContactState,
	ContactView,
	DecayOperation,
	EventOperation,
	ItemOutcome,
	ModifyOperation,
	ResetOperation,
	ScoreOperation,
	Transition,
} from './scoring';
export { applyBatch, decayProfile, loggedChange } from './score-writes';
export type { AppliedBatch } from './score-writes';

export { EVENT_TYPES, isBuiltInEventType, toContactId, toEventType, toScoreEvent } from './event';
export { toEpochMillis } from './time';
export { EARLIEST_EVENT_MS, MAX_FUTURE_MS, MAX_ID_LENGTH, MAX_INACTIVE_DAYS, MAX_POINTS, shown, toBoundedPoints, toCount, toIdText } from './limits';
export type { EventPropertyDefinition, EventTypeDefinition } from './event';
export { PROPERTIES_WITH_KNOWN_VALUES, knownEventProperties, knownPropertyValues } from './event-vocabulary';
export { compileCondition, numericValue, propertyReader, toCondition } from './condition';
export type { PropertyPredicate } from './condition';
export { parseRules, toPoints } from './rule';
export { editRules } from './rule-edits';
export type { RuleEditMode } from './rule-edits';
export { failIfNotPublished, hasUnpublishedChanges, newProfile, published, slugOf, toProfileId, unpublished, withDraft } from './profile';
export type { DraftPatch, NewProfileInput } from './profile';
export { compileRules } from './evaluator';
export type { Evaluator } from './evaluator';
export { inactiveBefore, toDecayPolicy } from './decay';
export { SCORE_OPERATORS, firing, groupsMet, holds, toScoreConditionSet } from './score-condition';
export type { FiringMode, ScoreComparison, ScoreConditionSet, ScoreOperator } from './score-condition';
export { DEFAULT_TIER_THRESHOLDS, TIERS, tierOf, tierScoreRange, toTierThresholds } from './tier';
export type { Tier, TierThresholds } from './tier';
export { EngagementEngine } from './engine';
export type { PublishOptions, PublishResult, ResumeOptions } from './engine';
export { pendingRecalculation, RECALCULATION_PAGE_SIZE, recalculateContacts, runRecalculation } from './recalculation';
export type { RecalculationRun, RecalculationSummary } from './recalculation';
export { JOURNAL_PRUNE_INTERVAL_MS, MAX_EXPIRY_INTERVAL_MS, RECALCULATION_STALE_MS, startExpiryTimer } from './expiry-timer';
export { PRUNE_CONTACTS_PER_PAGE, pruneJournal } from './journal-pruning';
export type { PruneResult } from './journal-pruning';
export { journalCutOff, toJournalRetention } from './journal-retention';
export type { ExpiryTimer } from './expiry-timer';
export type { ExpiryResult, VersionedLimits } from './score-writes';
export { eventOperation } from './scoring';
export { DraftPreviewTally, draftPreview, explainContact, replayContact, withEvaluator } from './replay';
export type {
	DecayContribution,
	DraftPreview,
	GroupContribution,
	HeldBack,
	ManualContribution,
	PreviewChange,
	PreviewOptions,
	PreviewRow,
	PreviewSummary,
	ReplayedContact,
	ReplayedState,
	ReplaySettings,
	ResetContribution,
	RuleContribution,
	ScoreExplanation,
} from './replay';
export { dueExpiries, topGroup, ungroupedPoints } from './scoring';
export type { ContactLedger, ExpiringGrant, ExpiryOperation, ScoringRule } from './scoring';
export { toScoreLimits, toTimeZone } from './profile';
export { toRuleCounts } from './rule';
// applyDueExpiries takes the profile's limits with their version (versionedLimits(profile)), or reads them itself.
export { applyDueExpiries, versionedLimits } from './score-writes';
export type { DecayOptions, EngineOptions, ModifyInput, ModifyResult, ResetResult, ScoreEventsOptions } from './engine';
export { journalDecay, journalEvent, journalModify, journalReset } from './journal-entries';
export { carriedOf } from './scoring';

export { StaticDataStore } from './stores/static-data/static-data-store';
export { SqliteStore } from './stores/sqlite/sqlite-store';
export { RedisStore } from './stores/redis/redis-store';
export { DEFAULT_EVENT_ID_RETENTION_DAYS } from './stores/event-id-retention';
export type { RedisStoreOptions } from './stores/redis/redis-store';
export { RedisGroupFeed } from './stores/redis/group-feed';
export type { RedisGroupFeedOptions } from './stores/redis/group-feed';
export { DEFAULT_KEY_PREFIX } from './stores/redis/keys';
export type { RedisArgument, RedisCommandClient, RedisCommandPipeline } from './stores/redis/client';
export { ChangeFeed, cursorFeed } from './change-feed';
export type { ChangeFeedOptions, ConsumerFeed, FeedOptions, FeedStart } from './change-feed';
export { changeNotifier } from './change-notifier';
