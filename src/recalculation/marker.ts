import { published } from '../profile';
import type { PendingRecalculation, ScoreProfile } from '../types';

/** The recalculation still to finish for the profile's current version, if any (a marker of an older version is superseded). */
export function pendingRecalculation(profile: ScoreProfile): PendingRecalculation | undefined {
	const marker = profile.recalculation;
	return marker !== undefined && marker.toVersion === profile.version ? marker : undefined;
}

/**
 * The draft published as the next version, with the marker of its recalculation when `recalculate`
 * (in the same compare-and-set, so no write of the new version runs before the marker is there);
 * without, a recalculation still pending for an older version is dropped with the rules it was for.
 */
export function publishedForRecalculation(profile: ScoreProfile, now: number, recalculate: boolean): ScoreProfile {
	const rest: ScoreProfile = published(profile, now);
	delete (rest as { recalculation?: PendingRecalculation }).recalculation;
	if (!recalculate) return rest;
	return { ...rest, recalculation: { fromVersion: profile.version, toVersion: rest.version, startedAt: now, heartbeatAt: now } };
}

/** The marker with the run's progress: everything through `doneThrough` is recalculated. */
export function withProgress(profile: ScoreProfile, toVersion: number, now: number, doneThrough: string): ScoreProfile {
	const marker = pendingRecalculation(profile);
	if (marker === undefined || marker.toVersion !== toVersion) return profile;
	const further = marker.doneThrough === undefined || doneThrough > marker.doneThrough ? doneThrough : marker.doneThrough;
	return { ...profile, recalculation: { ...marker, heartbeatAt: now, doneThrough: further } };
}

/** The profile without the marker of `toVersion`'s recalculation, once it is done. */
export function withoutRecalculation(profile: ScoreProfile, toVersion: number): ScoreProfile {
	if (profile.recalculation?.toVersion !== toVersion) return profile;
	const rest: ScoreProfile = { ...profile };
	delete (rest as { recalculation?: PendingRecalculation }).recalculation;
	return rest;
}
