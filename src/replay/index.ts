/** A profile's journal replayed under given rules: recalculation, Preview Draft, Explain Score. Pure. */
export { replayContact } from './replay-contact';
export type { ReplayedContact, ReplayedState } from './replay-contact';
export { withEvaluator } from './replay-settings';
export type { ReplaySettings } from './replay-settings';
