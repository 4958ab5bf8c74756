import { changeNotifier } from './change-notifier';
import type { ScoreStore } from './store';
import type { ScoreChange } from './types';

/** One consumer's feed of a profile's changes: handed to its callback in order until stopped. */
export interface ConsumerFeed {
	start(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Where a consumer starts: `resume` carries on where it stopped (a new consumer starts at the
 * newest change); `now` starts at the newest change each time, handing over nothing older.
 */
export type FeedStart = 'resume' | 'now';

/** What every store's feed takes; a store ignores what does not apply to it (Redis does not poll). */
export interface FeedOptions {
	/** How often to look for changes written by other processes; in-process writes wake the feed at once. */
	readonly pollIntervalMs?: number;
	/** Most changes handed over in one call (100 by default). */
	readonly batchSize?: number;
	/** Told about a failed read or a throwing `onChanges`; the same changes are offered again later. */
	readonly onError?: (error: unknown) => void;
}

/** A consumer's feed over the store's durable cursors (ChangeFeed), for the stores without a Stream. */
export function cursorFeed(
	store: ScoreStore,
	profileId: string,
	consumerId: string,
	startAt: FeedStart,
	onChanges: (changes: ScoreChange[]) => void | Promise<void>,
	options: FeedOptions = {},
): ConsumerFeed {
	const feed = new ChangeFeed(store, profileId, consumerId, onChanges, options);
	if (startAt === 'resume') return feed;
	return {
		start: async () => {
			await store.saveCursor(consumerId, await store.latestChangeSeq(profileId));
			await feed.start();
		},
		stop: async () => await feed.stop(),
	};
}

/** ScoreStore.openFeed of every store without a Stream: a feed over its durable cursors (cursorFeed). */
export function openCursorFeed(
	this: ScoreStore,
	profileId: string,
	consumerId: string,
	startAt: FeedStart,
	onChanges: (changes: ScoreChange[]) => void | Promise<void>,
	options?: FeedOptions,
): ConsumerFeed {
	return cursorFeed(this, profileId, consumerId, startAt, onChanges, options);
}

export interface ChangeFeedOptions {
	/** How often to look for changes written by other processes; in-process writes wake the feed at once. */
	readonly pollIntervalMs?: number;
	/** Most changes handed over in one call. */
	readonly batchSize?: number;
	/** Told about a failed read or a throwing `onChanges`; the same changes are offered again at the next wake-up. */
	readonly onError?: (error: unknown) => void;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_BATCH_SIZE = 100;

/**
 * One consumer's view of a profile's change log: hands every change after its durable cursor to
 * `onChanges`, in order, then moves the cursor past them. A change is handed over again only if
 * `onChanges` failed (or the process died) before the cursor was saved, so across stops and
 * restarts nothing is lost and, in normal operation, nothing is repeated.
 */
export class ChangeFeed {
	private readonly pollIntervalMs: number;
	private readonly batchSize: number;
	private cursor = 0;
	private running = false;
	private unsubscribe?: () => void;
	private pollTimer?: NodeJS.Timeout;
	/** The drain in progress, if any: wake-ups never start a second read beside it. */
	private draining?: Promise<void>;
	private wakeRequested = false;

	constructor(
		private readonly store: ScoreStore,
		private readonly profileId: string,
		private readonly consumerId: string,
		private readonly onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		private readonly options: ChangeFeedOptions = {},
	) {
		this.pollIntervalMs = positiveOr(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS);
		this.batchSize = Math.floor(positiveOr(options.batchSize, DEFAULT_BATCH_SIZE));
	}

	/**
	 * Resumes from the consumer's saved cursor; a consumer seen for the first time starts at the
	 * newest change (it does not replay history) and saves that point at once, so changes made
	 * while it is stopped later are still delivered on the next start.
	 */
	async start(): Promise<void> {
		if (this.running) return;
		const saved = await this.store.getCursor(this.consumerId);
		if (saved === undefined) {
			this.cursor = await this.store.latestChangeSeq(this.profileId);
			await this.store.saveCursor(this.consumerId, this.cursor);
		} else {
			this.cursor = saved;
		}
		this.running = true;
		this.unsubscribe = changeNotifier.subscribe(this.store.key, this.profileId, () => this.wake());
		this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
		this.pollTimer.unref();
		this.wake();
		await this.draining;
	}

	/** Stops listening; resolves once a hand-over in progress has finished and its cursor is saved. */
	async stop(): Promise<void> {
		this.running = false;
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		if (this.pollTimer) clearInterval(this.pollTimer);
		this.pollTimer = undefined;
		await this.draining;
	}

	/** Reads now (after the current read, if one is running). Resolves when the log is drained. */
	wake(): Promise<void> {
		if (!this.running) return Promise.resolve();
		if (this.draining) {
			this.wakeRequested = true;
			return this.draining;
		}
		this.draining = this.drainWhileWoken().finally(() => {
			this.draining = undefined;
		});
		return this.draining;
	}

	private async drainWhileWoken(): Promise<void> {
		do {
			this.wakeRequested = false;
			try {
				await this.drain();
			} catch (error) {
				this.options.onError?.(error);
				return;
			}
		} while (this.wakeRequested && this.running);
	}

	private async drain(): Promise<void> {
		while (this.running) {
			const changes = await this.store.readChanges(this.profileId, this.cursor, this.batchSize);
			if (changes.length === 0 || !this.running) return;
			await this.onChanges(changes);
			const last = changes[changes.length - 1].seq;
			await this.store.saveCursor(this.consumerId, last);
			this.cursor = last;
			if (changes.length < this.batchSize) return;
		}
	}
}

function positiveOr(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
