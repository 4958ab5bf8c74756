/** A profile's journal replayed under given rules: recalculation, Preview Draft, Explain Score. Pure. */
export { replayContact } from './replay-contact';
export type { ReplayedContact, ReplayedState } from './replay-contact';
export { withEvaluator } from './replay-settings';
export type { ReplaySettings } from './replay-settings';
export { explainContact } from './explain-contact';
export type {
	DecayContribution,
	GroupContribution,
	HeldBack,
	ManualContribution,
	ResetContribution,
	RuleContribution,
	ScoreExplanation,
} from './explanation';
export { DraftPreviewTally, draftPreview } from './draft-preview';
export type { DraftPreview, PreviewChange, PreviewOptions, PreviewRow, PreviewSummary } from './draft-preview';
