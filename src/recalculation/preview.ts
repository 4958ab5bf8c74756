import { type DraftPreview, DraftPreviewTally, type PreviewOptions } from '../replay';
import type { ScoreStore } from '../store';
import type { ScoreProfile } from '../types';
import { readStates } from './contacts';
import { replayedState, replayVersion } from './replay';
import { RECALCULATION_PAGE_SIZE } from './run';

/**
 * What publishing the draft would do to every contact holding journal entries: each one's journal
 * replayed under the draft rules and settings beside its live (stored) score, a page of contacts at
 * a time, only the largest changes kept. Writes nothing.
 */
export async function previewDraft(
	store: ScoreStore,
	profile: ScoreProfile,
	options: PreviewOptions,
	now: number,
	pageSize = RECALCULATION_PAGE_SIZE,
): Promise<DraftPreview> {
	const replay = replayVersion(profile, 'draft');
	const tally = new DraftPreviewTally(options);
	let after: string | undefined;
	for (;;) {
		const contactIds = await store.journalContactIds(profile.id, after, pageSize);
		if (contactIds.length === 0) break;
		const { states } = await readStates(store, profile.id, contactIds);
		const journals = await store.readJournals(profile.id, contactIds);
		for (const contactId of contactIds) {
			const liveScore = states.get(contactId)?.score ?? 0;
			tally.add({ contactId, liveScore, draftScore: replayedState(contactId, journals, replay, now)?.score ?? 0 });
		}
		if (contactIds.length < pageSize) break;
		after = contactIds[contactIds.length - 1];
	}
	return tally.result();
}
