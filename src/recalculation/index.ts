/** Recalculation on publish: every contact's score recomputed from its journal under the new version. */
export { isRecalculatedTo, recalculateContacts } from './contacts';
export type { ContactsRecalculated, RecalculationTarget } from './contacts';
export { RecalculationGuardedStore } from './guarded-store';
export { pendingRecalculation, publishedForRecalculation, withoutRecalculation, withProgress } from './marker';
export { replayedState, replayVersion } from './replay';
export type { ReplayVersion } from './replay';
export { RECALCULATION_PAGE_SIZE, runRecalculation } from './run';
export type { RecalculationRun, RecalculationRunOptions, RecalculationSummary } from './run';
export { previewDraft } from './preview';
export { onceAtATime } from './runs-under-way';
export { explainScore } from './explain';
