import type { JournalRecord } from '../journal';
import { explainContact, type ScoreExplanation } from '../replay';
import { carriedOf } from '../scoring';
import type { ScoreStore } from '../store';
import type { ScoreProfile } from '../types';
import { replayVersion } from './replay';

/**
 * What makes up the contact's score under the published version: its journal replayed and each
 * step attributed (explainContact). A contact scored before the profile kept a journal, and not
 * touched since, is explained by what it holds, carried; one the profile does not know, as 0.
 */
export async function explainScore(store: ScoreStore, profile: ScoreProfile, contactId: string, now: number): Promise<ScoreExplanation> {
	const journals = await store.readJournals(profile.id, [contactId]);
	let records = journals.byContact.get(contactId);
	if (records === undefined) {
		const stored = await store.getContact(profile.id, contactId);
		const carried: JournalRecord[] = stored === undefined ? [] : [{ ...carriedOf(stored), journalSeq: 0 }];
		records = carried;
	}
	return explainContact(contactId, records, journals.profileWide, replayVersion(profile, 'published'), now);
}
