import { changeNotifier } from '../change-notifier';
import type { RedisCommandClient } from './redis-client';
import type { StreamEntry } from './redis-codec';
import type { RedisStore } from './redis-store';

export interface RedisChangeWakerOptions {
	/** Longest single blocking read; also bounds how long stop() waits. */
	readonly blockMs?: number;
	/** Told about a failed read; the waker retries with a growing pause (Redis down, failover). */
	readonly onError?: (error: unknown) => void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Brings a change written by another process (a queue-mode worker, another n8n instance) to the
 * in-process change feeds at once: a blocking XREAD on the profile's change-log Stream, which
 * announces each new entry through changeNotifier, where ChangeFeed listens.
 *
 * It carries no data and keeps no position that matters: the feed still reads from its own
 * durable cursor (saved in Redis after it emitted), so a wake-up lost while Redis was away only
 * delays a firing until the feed's next poll, and a crash between emit and cursor save repeats
 * nothing that was acknowledged. The client must be its own connection: XREAD BLOCK holds it.
 */
export class RedisChangeWaker {
	private readonly blockMs: number;
	private running = false;
	private loop?: Promise<void>;

	constructor(
		private readonly client: RedisCommandClient,
		private readonly store: RedisStore,
		private readonly profileId: string,
		private readonly options: RedisChangeWakerOptions = {},
	) {
		this.blockMs = Math.max(10, Math.floor(options.blockMs ?? 2_000));
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.loop = this.watch();
	}

	/** Stops after the read in progress returns (at most blockMs). */
	async stop(): Promise<void> {
		this.running = false;
		await this.loop;
	}

	private async watch(): Promise<void> {
		const log = this.store.changeLogKey(this.profileId);
		let lastId = '$';
		let backoffMs = 100;
		while (this.running) {
			try {
				const reply = (await this.client.call('XREAD', 'BLOCK', this.blockMs, 'COUNT', 1000, 'STREAMS', log, lastId)) as
					| Array<[string, StreamEntry[]]>
					| null;
				backoffMs = 100;
				const entries = reply?.[0]?.[1] ?? [];
				if (entries.length === 0) continue;
				lastId = entries[entries.length - 1][0];
				changeNotifier.notify(this.store.key, this.profileId);
			} catch (error) {
				if (!this.running) return;
				this.options.onError?.(error);
				// After an outage, wake the feed once: it reads from its cursor, so whatever was written meanwhile is found.
				lastId = '$';
				await new Promise((resolve) => setTimeout(resolve, backoffMs));
				backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
				changeNotifier.notify(this.store.key, this.profileId);
			}
		}
	}
}
