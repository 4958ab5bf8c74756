import type { ContactJournals } from '../journal';
import { replayContact, type ReplayedState, type ReplaySettings, withEvaluator } from '../replay';
import type { ScoreProfile } from '../types';

/** The rules and settings a journal is replayed under, compiled once for a whole run. */
export type ReplayVersion = ReplaySettings & Required<Pick<ReplaySettings, 'evaluator'>>;

/** The published version (what a recalculation writes) or the draft (what Preview Draft shows). */
export function replayVersion(profile: ScoreProfile, which: 'published' | 'draft'): ReplayVersion {
	const rules = (which === 'published' ? profile.publishedRules : profile.draftRules) ?? [];
	const scoring = which === 'published' ? profile.publishedSettings : profile.draftSettings;
	return withEvaluator({
		version: which === 'published' ? profile.version : profile.version + 1,
		rules,
		...(scoring?.limits === undefined ? {} : { limits: scoring.limits }),
		...(scoring?.timeZone === undefined ? {} : { timeZone: scoring.timeZone }),
	});
}

/** The state the contact's journal replays to by `now`; undefined when it has no journal or it leaves nothing to keep. */
export function replayedState(contactId: string, journals: ContactJournals, version: ReplayVersion, now: number): ReplayedState | undefined {
	const records = journals.byContact.get(contactId);
	if (records === undefined) return undefined;
	return replayContact(contactId, records, journals.profileWide, version, now).state;
}
