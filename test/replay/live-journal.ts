import { inactiveBefore, toDecayPolicy } from '../../src/decay';
import { EngagementEngine } from '../../src/engine';
import { toScoreEvent } from '../../src/event';
import type { JournalEntry, JournalRecord } from '../../src/journal';
import type { ReplaySettings } from '../../src/replay';
import type { ChangeRecord, ContactState } from '../../src/scoring';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import type { AdjustOperation, ScoreProfile } from '../../src/types';

/**
 * Drives a real EngagementEngine on a StaticDataStore and writes, from the same inputs, the
 * journal the engine is to keep (one entry per counted event, manual operation and decay run,
 * numbered as a store numbers them): what a replay of it must give is what the engine gave.
 */
export class LiveJournal {
	readonly store = new StaticDataStore({});
	readonly engine: EngagementEngine;
	clock: number;
	private readonly records: JournalRecord[] = [];

	constructor(
		start: number,
		readonly profileId = 'p',
	) {
		this.clock = start;
		this.engine = new EngagementEngine(this.store, { now: () => this.clock });
	}

	async publish(input: { rules: unknown; limits?: unknown; timeZone?: unknown }): Promise<ScoreProfile> {
		await this.engine.createProfile({ id: this.profileId, name: 'Replayed', ...input });
		return this.engine.publish(this.profileId);
	}

	/** Scores the events in one call; journals those the engine counted (not refused, not duplicates). */
	async events(raws: ReadonlyArray<Record<string, unknown>>): Promise<void> {
		const results = await this.engine.scoreEvents(this.profileId, raws);
		raws.forEach((raw, index) => {
			const result = results[index];
			if (result instanceof Error || result.duplicate) return;
			const event = toScoreEvent(raw, this.clock);
			this.append({
				kind: 'event',
				contactId: event.contactId,
				...(event.id === undefined ? {} : { eventId: event.id }),
				type: event.type,
				properties: event.properties,
				occurredAt: event.occurredAt,
				receivedAt: this.clock,
			});
		});
	}

	async modify(contactId: string, operation: AdjustOperation, points: number, options: { countsAsActivity?: boolean; reason?: string } = {}): Promise<void> {
		await this.engine.modifyScore(this.profileId, { contactId, operation, points, ...options });
		const { countsAsActivity = true, reason } = options;
		this.append({ kind: 'modify', contactId, operation, points, countsAsActivity, at: this.clock, ...(reason === undefined ? {} : { reason }) });
	}

	async reset(contactId: string, reason?: string): Promise<void> {
		await this.engine.resetContact(this.profileId, contactId, reason);
		this.append({ kind: 'reset', contactId, at: this.clock, ...(reason === undefined ? {} : { reason }) });
	}

	async decay(rawPolicy: Record<string, unknown>, timezone?: string): Promise<void> {
		await this.engine.applyDecay(this.profileId, rawPolicy, timezone === undefined ? {} : { timezone });
		const policy = toDecayPolicy(rawPolicy);
		this.append({ kind: 'decay', policy, inactiveBefore: inactiveBefore(this.clock, policy.inactiveDays, timezone), at: this.clock });
	}

	/** A carried entry of the contact's state as the store holds it now (what a fold or a first journaled write would write). */
	async carry(contactId: string): Promise<void> {
		const state = (await this.store.getContact(this.profileId, contactId)) as ContactState;
		this.append({
			kind: 'carried',
			contactId,
			score: state.score,
			...(state.ledger === undefined ? {} : { ledger: state.ledger }),
			lastActivityAt: state.lastActivityAt,
			firstSeenAt: state.firstSeenAt,
			at: this.clock,
		});
	}

	append(entry: JournalEntry): void {
		this.records.push({ ...entry, journalSeq: this.records.length + 1 });
	}

	contactRecords(contactId: string): JournalRecord[] {
		return this.records.filter((record) => 'contactId' in record && record.contactId === contactId);
	}

	profileWide(): JournalRecord[] {
		return this.records.filter((record) => !('contactId' in record));
	}

	contactIds(): string[] {
		return [...new Set(this.records.flatMap((record) => ('contactId' in record ? [record.contactId] : [])))].sort();
	}

	async settings(): Promise<ReplaySettings> {
		const profile = await this.engine.getProfile(this.profileId);
		const { limits, timeZone } = profile.publishedSettings ?? {};
		return { version: profile.version, rules: profile.publishedRules ?? [], ...(limits ? { limits } : {}), ...(timeZone ? { timeZone } : {}) };
	}

	/** What the engine holds of the contact at `now` (due expiries applied), with its changes, oldest first. */
	async live(contactId: string, now: number): Promise<{ state?: Omit<ContactState, 'version' | 'updatedAt'>; changes: ChangeRecord[] }> {
		this.clock = now;
		await this.engine.applyExpiries(this.profileId);
		const stored = await this.store.getContact(this.profileId, contactId);
		const changes = (await this.store.readChanges(this.profileId, 0, 1_000_000))
			.filter((change) => change.contactId === contactId)
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
			.map(({ seq, profileId, ...change }) => change);
		return stored === undefined ? { changes } : { state: comparable(stored), changes };
	}
}

/**
 * The fields a replay must reproduce: everything but the version (the writer's) and updatedAt
 * (the engine applies due expiries of every contact whenever it runs, replay at the contact's next entry).
 */
export function comparable(state: Omit<ContactState, 'version'>): Omit<ContactState, 'version' | 'updatedAt'> {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { version, updatedAt, ...rest } = state as ContactState;
	return rest;
}
