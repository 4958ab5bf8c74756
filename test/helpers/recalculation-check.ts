import { replayedState, replayVersion } from '../../src/recalculation';
import { recalculatedContact } from '../../src/scoring';
import type { ScoreStore } from '../../src/store';

/**
 * The contacts whose stored state a recalculation under the profile's published version would
 * still change: each contact's journal replayed and held against what it holds, as a run does,
 * including contacts already marked as of that version (which a run skips). Empty means
 * recalculating again changes nothing.
 */
export async function contactsARecalculationWouldChange(store: ScoreStore, profileId: string, now: number): Promise<string[]> {
	const profile = await store.getProfile(profileId);
	if (profile === undefined) throw new Error(`no profile ${profileId}`);
	const replay = replayVersion(profile, 'published');
	const operation = { kind: 'recalculation', fromVersion: profile.version, toVersion: profile.version, at: now } as const;
	const changed: string[] = [];
	let after: string | undefined;
	for (;;) {
		const contactIds = await store.journalContactIds(profileId, after, 500);
		if (contactIds.length === 0) return changed;
		const journals = await store.readJournals(profileId, contactIds);
		for (const contactId of contactIds) {
			const stored = await store.getContact(profileId, contactId);
			const { state } = recalculatedContact(contactId, stored, replayedState(contactId, journals, replay, now), operation);
			if (state !== undefined) changed.push(contactId);
		}
		after = contactIds[contactIds.length - 1];
	}
}
