import type { ConsumerFeed, FeedOptions, FeedStart } from '../change-feed';
import { StoreUnavailableError } from '../errors';
import type { ContactJournals, JournalCarried } from '../journal';
import { type ContactState, withFields } from '../scoring';
import type { Committed, IdList, Plan, ScoreStore, Snapshot, TransactionKeys } from '../store';
import type { ContactQuery, ScoreChange, ScoreProfile } from '../types';
import { isRecalculatedTo, recalculateContacts, type RecalculationTarget } from './contacts';
import { pendingRecalculation } from './marker';
import { replayVersion } from './replay';

/** Thrown inside a plan that names contacts not recalculated to the version being written. */
class ContactsBehind {
	constructor(readonly contactIds: string[]) {}
}

/** How often one write recalculates the contacts it names before it gives up. */
const CATCH_UP_RETRIES = 5;

/** A profile's recalculation as the writes of this store see it. */
interface Guard {
	readonly target: RecalculationTarget;
	/** Contacts found with nothing to recalculate, at the stored version they were found with. */
	readonly current: Map<string, number>;
}

/**
 * The engine's view of a store while a profile's recalculation is pending: every write that names a
 * contact not yet recalculated to the new version (or a contact only its journal knows) has that
 * contact recalculated first, under the same discipline as the run, and only then is planned, so
 * no write scores on a state of the old version. Contacts it writes are marked as of the new
 * version. It learns of a pending recalculation from the profile reads every engine call starts
 * with (a transaction that sees a version it did not read is refused and re-read by its caller).
 * With nothing pending, a transaction costs one map lookup more.
 */
export class RecalculationGuardedStore implements ScoreStore {
	readonly key: string;
	private readonly guards = new Map<string, Guard>();

	constructor(
		/** The store itself, unguarded: what recalculations write through. */
		readonly unguarded: ScoreStore,
		private readonly now: () => number,
	) {
		this.key = unguarded.key;
	}

	async transact<T>(profileId: string, keys: TransactionKeys, plan: (snapshot: Snapshot) => Plan<T>): Promise<Committed<T>> {
		const guard = this.guards.get(profileId);
		if (guard === undefined) return this.unguarded.transact(profileId, keys, plan);
		const { toVersion } = guard.target;
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.unguarded.transact(profileId, keys, (snapshot) => {
					if (snapshot.profile?.version !== toVersion) return plan(snapshot);
					const behind = contactsBehind(snapshot, keys.contactIds, guard);
					if (behind.length > 0) throw new ContactsBehind(behind);
					return ofVersion(plan(snapshot), toVersion);
				});
			} catch (error) {
				if (!(error instanceof ContactsBehind)) throw error;
				if (attempt > CATCH_UP_RETRIES) {
					throw new StoreUnavailableError(`Contacts of ${profileId} kept moving while they were recalculated; nothing was written`, 'store');
				}
				const done = await recalculateContacts(this.unguarded, guard.target, error.contactIds, this.now);
				for (const [contactId, version] of done.unchanged) guard.current.set(contactId, version);
			}
		}
	}

	async getProfile(profileId: string): Promise<ScoreProfile | undefined> {
		return this.observed(profileId, await this.unguarded.getProfile(profileId));
	}

	async listProfiles(): Promise<ScoreProfile[]> {
		const profiles = await this.unguarded.listProfiles();
		for (const profile of profiles) this.observed(profile.id, profile);
		return profiles;
	}

	async insertProfile(profile: ScoreProfile): Promise<void> {
		await this.unguarded.insertProfile(profile);
		this.observed(profile.id, profile);
	}

	async updateProfile(profileId: string, change: (current: ScoreProfile) => ScoreProfile): Promise<ScoreProfile> {
		return this.observed(profileId, await this.unguarded.updateProfile(profileId, change)) as ScoreProfile;
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		this.guards.delete(profileId);
		return this.unguarded.deleteProfile(profileId);
	}

	getContact(profileId: string, contactId: string): Promise<ContactState | undefined> {
		return this.unguarded.getContact(profileId, contactId);
	}

	listContacts(profileId: string, query: ContactQuery): Promise<ContactState[]> {
		return this.unguarded.listContacts(profileId, query);
	}

	inactiveContactIds(profileId: string, before: number): Promise<string[]> {
		return this.unguarded.inactiveContactIds(profileId, before);
	}

	expiringContactIds(profileId: string, dueBy: number, limit: number): Promise<string[]> {
		return this.unguarded.expiringContactIds(profileId, dueBy, limit);
	}

	readJournals(profileId: string, contactIds: IdList): Promise<ContactJournals> {
		return this.unguarded.readJournals(profileId, contactIds);
	}

	journalContactIds(profileId: string, afterContactId: string | undefined, limit: number): Promise<string[]> {
		return this.unguarded.journalContactIds(profileId, afterContactId, limit);
	}

	foldJournal(profileId: string, contactId: string, throughSeq: number, carried: JournalCarried): Promise<void> {
		return this.unguarded.foldJournal(profileId, contactId, throughSeq, carried);
	}

	pruneProfileWideJournal(profileId: string, before: number): Promise<number> {
		return this.unguarded.pruneProfileWideJournal(profileId, before);
	}

	deleteContact(profileId: string, contactId: string): Promise<boolean> {
		return this.unguarded.deleteContact(profileId, contactId);
	}

	getHistory(profileId: string, contactId: string, limit: number): Promise<ScoreChange[]> {
		return this.unguarded.getHistory(profileId, contactId, limit);
	}

	readChanges(profileId: string, afterSeq: number, limit: number): Promise<ScoreChange[]> {
		return this.unguarded.readChanges(profileId, afterSeq, limit);
	}

	latestChangeSeq(profileId: string): Promise<number> {
		return this.unguarded.latestChangeSeq(profileId);
	}

	openFeed(
		profileId: string,
		consumerId: string,
		startAt: FeedStart,
		onChanges: (changes: ScoreChange[]) => void | Promise<void>,
		options?: FeedOptions,
	): ConsumerFeed {
		return this.unguarded.openFeed(profileId, consumerId, startAt, onChanges, options);
	}

	getCursor(consumerId: string): Promise<number | undefined> {
		return this.unguarded.getCursor(consumerId);
	}

	saveCursor(consumerId: string, seq: number): Promise<void> {
		return this.unguarded.saveCursor(consumerId, seq);
	}

	close(): Promise<void> {
		return this.unguarded.close();
	}

	/** Keeps the profile's guard in step with the profile as last read. */
	private observed(profileId: string, profile: ScoreProfile | undefined): ScoreProfile | undefined {
		const marker = profile && pendingRecalculation(profile);
		if (profile === undefined || marker === undefined) {
			this.guards.delete(profileId);
			return profile;
		}
		if (this.guards.get(profileId)?.target.toVersion !== marker.toVersion) {
			const { fromVersion, toVersion } = marker;
			this.guards.set(profileId, {
				target: { profileId, fromVersion, toVersion, replay: replayVersion(profile, 'published') },
				current: new Map(),
			});
		}
		return profile;
	}
}

function contactsBehind(snapshot: Snapshot, contactIds: IdList, guard: Guard): string[] {
	const behind: string[] = [];
	for (const contactId of contactIds) {
		const state = snapshot.contact(contactId);
		if (isRecalculatedTo(state, guard.target.toVersion)) continue;
		if (guard.current.get(contactId) === (state?.version ?? 0)) continue;
		behind.push(contactId);
	}
	return behind;
}

/** The plan with every state it writes marked as of `version` (each was recalculated to it, or had nothing to recalculate). */
function ofVersion<T>(plan: Plan<T>, version: number): Plan<T> {
	if (plan.contacts.every((state) => state.recalculatedVersion === version)) return plan;
	return { ...plan, contacts: plan.contacts.map((state) => (state.recalculatedVersion === version ? state : withFields(state, { recalculatedVersion: version }))) };
}
