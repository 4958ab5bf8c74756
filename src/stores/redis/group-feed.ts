import type { ScoreChange } from '../../types';
import type { RedisCommandClient } from './client';
import { toScoreChange, type StreamEntry } from './codec';
import type { RedisStore } from './redis-store';

export interface RedisGroupFeedOptions {
	/**
	 * `resume` (default): carry on from where the group is, creating it at the newest change the
	 * first time. `now`: start the group afresh at the newest change, dropping what it had pending.
	 */
	readonly startAt?: 'resume' | 'now';
	/** Longest single blocking read; also how long a read after stop() may hold the connection. */
	readonly blockMs?: number;
	/** Most changes handed over in one call. */
	readonly batchSize?: number;
	/** How long another consumer's entry must have been idle before this feed takes it over; also how often it looks. */
	readonly claimIdleMs?: number;
	/** Told about every failure (Redis away, the group gone, a throwing `onChanges`); the feed retries with a growing pause. */
	readonly onError?: (error: unknown) => void;
}

const DEFAULT_BLOCK_MS = 2_000;
const DEFAULT_BATCH_SIZE = 100;
/** A live consumer acknowledges within milliseconds of reading (emit queues an execution and returns), so an entry idle this long is abandoned. */
const DEFAULT_CLAIM_IDLE_MS = 30_000;
const FIRST_RETRY_PAUSE_MS = 100;
const LONGEST_RETRY_PAUSE_MS = 3_000;
/**
 * In n8n one process at a time runs a given trigger, so one stable consumer name per group: a
 * trigger restarted in any process reads back what its previous run left pending at once, with
 * no idle time to wait out. XAUTOCLAIM is for entries pending under any other name.
 */
const CONSUMER = 'trigger';

/** A pending entry read again after XDEL comes back with no fields. */
type GroupEntry = [id: string, fields: string[] | null];
type GroupReply = Array<[stream: string, entries: GroupEntry[]]> | null;

/**
 * One consumer group's view of a profile's change-log Stream: hands the changes the group has not
 * acknowledged to `onChanges`, in order, and acknowledges them (XACK) once `onChanges` returned.
 * Entries read but not acknowledged (a crash between emit and ack, a throwing `onChanges`) stay
 * pending in Redis and are handed over again on the next start, and after any failure; so across
 * stops, restarts and Redis outages nothing is lost, and nothing acknowledged is repeated.
 *
 * The client must be a connection of its own: XREADGROUP BLOCK holds it. Close it after stop()
 * to end a blocking read at once; whatever that read took stays pending for the next start.
 */
export class RedisGroupFeed {
	private readonly logKey: string;
	private readonly blockMs: number;
	private readonly batchSize: number;
	private readonly claimIdleMs: number;
	private running = false;
	/** Where the group had read up to, for recreating it where it was if it vanishes. */
	private lastDeliveredId = '0';
	private groupLost = false;
	private nextRecoveryAt = 0;
	/** Handed over but not yet acknowledged (the XACK failed): acknowledged before anything is read again. */
	private unacknowledged: string[] = [];
	private loop?: Promise<void>;
	private handingOver?: Promise<void>;
	private endPause?: () => void;

	constructor(
		private readonly client: RedisCommandClient,
		store: RedisStore,
		private readonly profileId: string,
		private readonly group: string,
		private readonly onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		private readonly options: RedisGroupFeedOptions = {},
	) {
		this.logKey = store.changeLogKey(profileId);
		this.blockMs = Math.max(1, Math.floor(options.blockMs ?? DEFAULT_BLOCK_MS));
		this.batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
		this.claimIdleMs = Math.max(0, Math.floor(options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS));
	}

	/** Places the group (a failure here is thrown), then reads in the background: what is pending first, then new changes. */
	async start(): Promise<void> {
		if (this.running) return;
		// A read left over from a previous run must not hand anything over beside this one.
		await this.loop;
		if (this.options.startAt === 'now') await this.destroyGroup();
		await this.createGroup('$', true);
		this.lastDeliveredId = await this.groupLastDeliveredId();
		this.groupLost = false;
		this.nextRecoveryAt = 0;
		this.running = true;
		this.loop = this.readUntilStopped();
	}

	/** No hand-over starts after this; resolves once the one in progress has finished and been acknowledged. */
	async stop(): Promise<void> {
		this.running = false;
		this.endPause?.();
		// A hand-over that fails (its XACK on a lost connection) leaves its entries pending for the
		// next start; the read loop has reported it. Stopping is not a failure for it.
		await this.handingOver?.catch(() => undefined);
	}

	/** Ends a pause after a failure now, e.g. when the connection is back. */
	retryNow(): void {
		this.endPause?.();
	}

	private async readUntilStopped(): Promise<void> {
		let pauseMs = FIRST_RETRY_PAUSE_MS;
		while (this.running) {
			try {
				if (this.groupLost) await this.recreateGroup();
				await this.acknowledge(this.unacknowledged);
				if (Date.now() >= this.nextRecoveryAt) {
					await this.recoverPending();
					this.nextRecoveryAt = Date.now() + this.claimIdleMs;
				}
				await this.readNew();
				pauseMs = FIRST_RETRY_PAUSE_MS;
			} catch (error) {
				if (!this.running) return;
				if (isGroupGone(error)) this.groupLost = true;
				this.nextRecoveryAt = 0;
				this.options.onError?.(error);
				await this.pause(pauseMs);
				pauseMs = Math.min(pauseMs * 2, LONGEST_RETRY_PAUSE_MS);
			}
		}
	}

	/** Takes over entries another consumer left pending too long, then hands over everything pending for this consumer, in order. */
	private async recoverPending(): Promise<void> {
		let cursor = '0-0';
		do {
			const [next] = (await this.client.call(
				'XAUTOCLAIM', this.logKey, this.group, CONSUMER, this.claimIdleMs, cursor, 'COUNT', this.batchSize, 'JUSTID',
			)) as [string, string[], string[]?];
			cursor = next;
		} while (cursor !== '0-0' && this.running);

		let after = '0';
		while (this.running) {
			const entries = await this.readGroup(after, false);
			if (entries.length === 0) return;
			await this.handOver(entries);
			after = entries[entries.length - 1][0];
		}
	}

	private async readNew(): Promise<void> {
		const entries = await this.readGroup('>', true);
		if (entries.length === 0) return;
		this.lastDeliveredId = entries[entries.length - 1][0];
		await this.handOver(entries);
	}

	private async readGroup(after: string, block: boolean): Promise<GroupEntry[]> {
		const wait = block ? ['BLOCK', this.blockMs] : [];
		const reply = (await this.client.call(
			'XREADGROUP', 'GROUP', this.group, CONSUMER, 'COUNT', this.batchSize, ...wait, 'STREAMS', this.logKey, after,
		)) as GroupReply;
		return reply?.[0]?.[1] ?? [];
	}

	/** Entries read after stop() are left pending: the next start hands them over. */
	private async handOver(entries: GroupEntry[]): Promise<void> {
		if (!this.running) return;
		const work = (async () => {
			const changes = entries
				.filter((entry): entry is StreamEntry => entry[1] !== null)
				.map((entry) => toScoreChange(this.profileId, entry));
			if (changes.length > 0) await this.onChanges(changes);
			// Deleted entries (a contact deleted while they were pending) are acknowledged unseen.
			this.unacknowledged = entries.map(([id]) => id);
			await this.acknowledge(this.unacknowledged);
		})();
		this.handingOver = work;
		try {
			await work;
		} finally {
			if (this.handingOver === work) this.handingOver = undefined;
		}
	}

	private async acknowledge(ids: string[]): Promise<void> {
		if (ids.length === 0) return;
		await this.client.call('XACK', this.logKey, this.group, ...ids);
		if (this.unacknowledged === ids) this.unacknowledged = [];
	}

	/** The profile was deleted (and maybe created again, numbering on): the group goes back where it was, so nothing is replayed. */
	private async recreateGroup(): Promise<void> {
		try {
			await this.createGroup(this.lastDeliveredId, false);
		} catch (error) {
			if (!isMissingStream(error)) throw error;
			throw new Error(
				`The change log of profile "${this.profileId}" is gone (was the profile deleted?); waiting for it to exist again`,
			);
		}
		this.groupLost = false;
	}

	private async createGroup(id: string, makeStream: boolean): Promise<void> {
		try {
			await this.client.call('XGROUP', 'CREATE', this.logKey, this.group, id, ...(makeStream ? ['MKSTREAM'] : []));
		} catch (error) {
			if (!/^BUSYGROUP/.test(messageOf(error))) throw error;
		}
	}

	/** SETID would keep the group's pending entries, which the next start hands over: a fresh group has none. */
	private async destroyGroup(): Promise<void> {
		try {
			await this.client.call('XGROUP', 'DESTROY', this.logKey, this.group);
		} catch (error) {
			if (!isMissingStream(error)) throw error;
		}
	}

	private async groupLastDeliveredId(): Promise<string> {
		const groups = (await this.client.call('XINFO', 'GROUPS', this.logKey)) as Array<Array<string | number>>;
		for (const fields of groups) {
			const info = new Map<string, string | number>();
			for (let index = 0; index < fields.length; index += 2) info.set(String(fields[index]), fields[index + 1]);
			if (info.get('name') === this.group) return String(info.get('last-delivered-id'));
		}
		return '0';
	}

	private pause(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const end = () => {
				clearTimeout(timer);
				if (this.endPause === end) this.endPause = undefined;
				resolve();
			};
			const timer = setTimeout(end, ms);
			this.endPause = end;
		});
	}
}

/** NOGROUP on a read; UNBLOCKED when the stream or the group vanished under a blocking read. */
function isGroupGone(error: unknown): boolean {
	return /^(NOGROUP|UNBLOCKED)/.test(messageOf(error));
}

function isMissingStream(error: unknown): boolean {
	return /requires the key to exist/i.test(messageOf(error));
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
