import type { JournalRecord } from './journal';
import { journalCutOff } from './journal-retention';
import { replayVersion } from './recalculation/replay';
import { replayContact } from './replay';
import { carriedOf } from './scoring';
import type { ScoreStore } from './store';
import type { ScoreProfile } from './types';

/** Contacts whose journals one step of a pruning reads. */
export const PRUNE_CONTACTS_PER_PAGE = 1000;

export interface PruneResult {
	/** Contacts whose older entries were folded into a carried entry. */
	readonly contactsFolded: number;
	/** Entries replaced by those carried entries. */
	readonly entriesFolded: number;
	/** Decay runs deleted from the profile-wide journal. */
	readonly decayRunsPruned: number;
}

const NOTHING_PRUNED: PruneResult = { contactsFolded: 0, entriesFolded: 0, decayRunsPruned: 0 };

/**
 * Retention: each contact's entries recorded before the profile's retention are folded into one
 * `carried` entry, the state their replay under the published version gives, so that replaying
 * the journal after the fold gives what it gave before; then the decay runs no contact's replay
 * needs any more are deleted. Safe beside writers and other prunings: a fold replaces only the
 * entries it read (foldJournal), and replay starts from a contact's newest carried entry.
 */
export async function pruneJournal(
	store: ScoreStore,
	profile: ScoreProfile,
	now: number,
	contactsPerPage = PRUNE_CONTACTS_PER_PAGE,
): Promise<PruneResult> {
	const cutOff = journalCutOff(profile, now);
	if (cutOff === undefined) return NOTHING_PRUNED;
	const settings = replayVersion(profile, 'published');
	let contactsFolded = 0;
	let entriesFolded = 0;
	/** The lowest journalSeq a contact's replay starts at once folded: decay runs before it are no contact's. */
	let neededFrom = Infinity;
	let profileWide: readonly JournalRecord[] = [];
	for (let after: string | undefined; ; ) {
		const contactIds = await store.journalContactIds(profile.id, after, contactsPerPage);
		if (contactIds.length === 0) break;
		const journals = await store.readJournals(profile.id, contactIds);
		profileWide = journals.profileWide;
		for (const contactId of contactIds) {
			const records = journals.byContact.get(contactId);
			if (records === undefined || records.length === 0) continue;
			const fold = foldOf(records, profileWide, cutOff);
			if (fold === undefined) {
				neededFrom = Math.min(neededFrom, records[startIndex(records)].journalSeq);
				continue;
			}
			const through = records[fold.last];
			const prefix = records.slice(0, fold.last + 1);
			const wide = profileWide.filter((entry) => entry.journalSeq <= through.journalSeq);
			const { state } = replayContact(contactId, prefix, wide, settings, fold.until);
			if (state === undefined) {
				neededFrom = Math.min(neededFrom, records[startIndex(records)].journalSeq);
				continue;
			}
			await store.foldJournal(profile.id, contactId, through.journalSeq, carriedOf(state));
			contactsFolded++;
			entriesFolded += fold.last + 1;
			neededFrom = Math.min(neededFrom, through.journalSeq);
		}
		if (contactIds.length < contactsPerPage) break;
		after = contactIds[contactIds.length - 1];
	}
	// A decay run a contact's replay still meets (after where it starts) stays, whatever its age.
	let before = cutOff;
	for (const entry of profileWide) if (entry.journalSeq >= neededFrom) before = Math.min(before, timeOf(entry));
	const decayRunsPruned = await store.pruneProfileWideJournal(profile.id, before);
	return { contactsFolded, entriesFolded, decayRunsPruned };
}

/**
 * Which of the contact's entries to fold: from where its replay starts (its newest carried entry,
 * or its first), in journal order with the decay runs, every entry recorded before `cutOff` up to
 * the first that is not; `last` is the index of the newest of the contact's own among them,
 * `until` the time the fold's replay runs to (the newest of them). Undefined: nothing to fold.
 */
function foldOf(records: readonly JournalRecord[], profileWide: readonly JournalRecord[], cutOff: number): { last: number; until: number } | undefined {
	const start = startIndex(records);
	let wide = 0;
	while (wide < profileWide.length && profileWide[wide].journalSeq <= records[start].journalSeq) wide++;
	let last = -1;
	let until = -Infinity;
	let seen = -Infinity;
	scan: for (let own = start; own < records.length; own++) {
		const record = records[own];
		for (; wide < profileWide.length && profileWide[wide].journalSeq < record.journalSeq; wide++) {
			if (timeOf(profileWide[wide]) >= cutOff) break scan;
			seen = Math.max(seen, timeOf(profileWide[wide]));
		}
		if (timeOf(record) >= cutOff) break;
		last = own;
		seen = Math.max(seen, timeOf(record));
		// The fold replays the decay runs before its last entry, not those after it.
		until = seen;
	}
	// Nothing old, or only the carried entry the journal already starts with.
	if (last < 0 || (last === 0 && records[0].kind === 'carried')) return undefined;
	return { last, until };
}

/** Where the contact's replay starts: its newest carried entry, or its first. */
function startIndex(records: readonly JournalRecord[]): number {
	for (let index = records.length - 1; index >= 0; index--) if (records[index].kind === 'carried') return index;
	return 0;
}

/** When an entry was recorded: what retention measures its age by. */
function timeOf(entry: JournalRecord): number {
	return entry.kind === 'event' ? entry.receivedAt : entry.at;
}
