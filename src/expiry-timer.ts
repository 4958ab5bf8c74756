import type { EngagementEngine } from './engine';

/** At most this long between two looks for due expiries, whatever a trigger's poll interval. */
export const MAX_EXPIRY_INTERVAL_MS = 1000;

/**
 * A pending recalculation no run has moved on for this long is taken as left by a crash and
 * resumed by the timer (a live run moves it on every page, far more often).
 */
export const RECALCULATION_STALE_MS = 30_000;

/** How often each timer applies the profile's journal retention (engine.pruneJournal); the first run does at once. */
export const JOURNAL_PRUNE_INTERVAL_MS = 86_400_000;

export interface ExpiryTimer {
	/** Stops looking; resolves once a run under way has finished. */
	stop(): Promise<void>;
}

/**
 * Applies the profile's due expiries every `intervalMs` (at most MAX_EXPIRY_INTERVAL_MS), so that
 * points running out are logged, and fire triggers, with no workflow touching the profile. Runs
 * never overlap; several timers on one profile (workflows, processes, workers) are safe, as each
 * expiry is applied in a transaction that finds it gone when another got there first. Once a day
 * (JOURNAL_PRUNE_INTERVAL_MS) a run also applies the journal's retention, as safe to repeat. It also
 * resumes a recalculation a crashed process left pending (stale for `staleRecalculationMs`), beside
 * the expiries rather than before them, as a long one must not hold the expiries back.
 */
export function startExpiryTimer(
	engine: EngagementEngine,
	profileId: string,
	intervalMs: number,
	onError: (error: unknown) => void,
	staleRecalculationMs = RECALCULATION_STALE_MS,
): ExpiryTimer {
	let running: Promise<void> | undefined;
	let resuming: Promise<void> | undefined;
	let stopped = false;
	const resume = () => {
		if (resuming !== undefined || stopped) return;
		resuming = engine
			.resumeRecalculation(profileId, { staleAfterMs: staleRecalculationMs })
			.then(
				() => undefined,
				(error: unknown) => onError(error),
			)
			.finally(() => {
				resuming = undefined;
			});
	};
	let nextPruneAt = 0;
	const pruneIfDue = async () => {
		if (Date.now() < nextPruneAt) return;
		nextPruneAt = Date.now() + JOURNAL_PRUNE_INTERVAL_MS;
		await engine.pruneJournal(profileId);
	};
	const run = () => {
		resume();
		if (running !== undefined || stopped) return;
		running = engine
			.applyExpiries(profileId)
			.then(pruneIfDue)
			.then(
				() => undefined,
				(error: unknown) => onError(error),
			)
			.finally(() => {
				running = undefined;
			});
	};
	const timer = setInterval(run, Math.max(1, Math.min(intervalMs, MAX_EXPIRY_INTERVAL_MS)));
	timer.unref?.();
	run();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await Promise.all([running, resuming]);
		},
	};
}
