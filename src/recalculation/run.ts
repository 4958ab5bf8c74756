import { ProfileNotFoundError } from '../errors';
import { normalizeScore } from '../scoring';
import type { ScoreStore } from '../store';
import { recalculateContacts, type RecalculationTarget } from './contacts';
import { pendingRecalculation, withoutRecalculation, withProgress } from './marker';
import { replayVersion } from './replay';

/** Contacts per page of a recalculation: one journal read and one transaction each. */
export const RECALCULATION_PAGE_SIZE = 1000;

export interface RecalculationSummary {
	/** Contacts whose journal was replayed under the new version. */
	readonly contactsRecalculated: number;
	/** Of them, those whose score changed (each logged one `recalculation` change). */
	readonly contactsChanged: number;
	/** The sum of those changes. */
	readonly totalDelta: number;
}

export interface RecalculationRun extends RecalculationSummary {
	readonly fromVersion: number;
	readonly toVersion: number;
	/** False when a newer publish superseded it part way (the newer one recalculates every contact). */
	readonly completed: boolean;
}

export interface RecalculationRunOptions {
	readonly now: () => number;
	readonly pageSize?: number;
	/** Called after every page with the run's totals so far. */
	readonly onProgress?: (progress: RecalculationSummary & { readonly toVersion: number }) => void;
}

/**
 * Finishes the profile's pending recalculation, if any: pages through the contacts holding journal
 * entries after where an earlier run got (the marker's `doneThrough`), recalculates each page
 * (recalculateContacts), moves the marker on after each page and clears it at the end. Several runs
 * at once are safe (each contact is written once per version, whoever gets there first); a run
 * stops as soon as a newer publish moves the profile on.
 * @throws ProfileNotFoundError
 */
export async function runRecalculation(
	store: ScoreStore,
	profileId: string,
	options: RecalculationRunOptions,
): Promise<RecalculationRun | undefined> {
	const profile = await store.getProfile(profileId);
	if (profile === undefined) throw new ProfileNotFoundError(profileId);
	const marker = pendingRecalculation(profile);
	if (marker === undefined) return undefined;
	const { fromVersion, toVersion } = marker;
	const target: RecalculationTarget = { profileId, fromVersion, toVersion, replay: replayVersion(profile, 'published') };
	const pageSize = options.pageSize ?? RECALCULATION_PAGE_SIZE;
	let totals = { contactsRecalculated: 0, contactsChanged: 0, totalDelta: 0 };
	let after = marker.doneThrough;
	for (;;) {
		const contactIds = await store.journalContactIds(profileId, after, pageSize);
		if (contactIds.length === 0) break;
		const page = await recalculateContacts(store, target, contactIds, options.now);
		totals = {
			contactsRecalculated: totals.contactsRecalculated + page.recalculated,
			contactsChanged: totals.contactsChanged + page.changed,
			totalDelta: normalizeScore(totals.totalDelta + page.totalDelta),
		};
		if (page.superseded) return { ...totals, fromVersion, toVersion, completed: false };
		after = contactIds[contactIds.length - 1];
		const through = after;
		await store.updateProfile(profileId, (current) => withProgress(current, toVersion, options.now(), through));
		options.onProgress?.({ ...totals, toVersion });
		if (contactIds.length < pageSize) break;
	}
	await store.updateProfile(profileId, (current) => withoutRecalculation(current, toVersion));
	return { ...totals, fromVersion, toVersion, completed: true };
}
