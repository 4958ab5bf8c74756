import { type DraftPreview, type DraftPreviewOptions, draftPreview, type PreviewRow } from '../replay';
import type { ScoreStore } from '../store';
import type { ScoreProfile } from '../types';
import { readStates } from './contacts';
import { replayedState, replayVersion } from './replay';
import { RECALCULATION_PAGE_SIZE } from './run';

/**
 * What publishing the draft would do to every contact holding journal entries: each one's journal
 * replayed under the draft rules and settings beside its live score, a page of contacts at a time.
 * Writes nothing.
 */
export async function previewDraft(
	store: ScoreStore,
	profile: ScoreProfile,
	options: DraftPreviewOptions,
	now: number,
	pageSize = RECALCULATION_PAGE_SIZE,
): Promise<DraftPreview> {
	const replay = replayVersion(profile, 'draft');
	const rows: PreviewRow[] = [];
	let after: string | undefined;
	for (;;) {
		const contactIds = await store.journalContactIds(profile.id, after, pageSize);
		if (contactIds.length === 0) break;
		const { states } = await readStates(store, profile.id, contactIds);
		const journals = await store.readJournals(profile.id, contactIds);
		for (const contactId of contactIds) {
			const draft = replayedState(contactId, journals, replay, now);
			const liveScore = states.get(contactId)?.score ?? 0;
			rows.push({ contactId, liveScore, draftScore: draft?.score ?? liveScore });
		}
		if (contactIds.length < pageSize) break;
		after = contactIds[contactIds.length - 1];
	}
	return draftPreview(rows, options);
}
