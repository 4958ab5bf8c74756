import { changeNotifier } from '../change-notifier';
import { StoreUnavailableError } from '../errors';
import { type ChangeRecord, type ContactState, normalizeScore, type RecalculationOperation, recalculatedContact } from '../scoring';
import type { ScoreStore } from '../store';
import { replayedState, type ReplayVersion } from './replay';

/** What a recalculation writes: the profile, the versions it goes from and to, and the rules it replays. */
export interface RecalculationTarget {
	readonly profileId: string;
	readonly fromVersion: number;
	readonly toVersion: number;
	readonly replay: ReplayVersion;
}

export interface ContactsRecalculated {
	/** Contacts whose journal was replayed under the new version. */
	recalculated: number;
	/** Of them, the contacts whose score moved (each logged one change). */
	changed: number;
	/** The sum of the changes' deltas. */
	totalDelta: number;
	/** Contacts left as they were (nothing to replay, or the journal gives what they hold), with the stored version they had. */
	readonly unchanged: Map<string, number>;
	/** The profile was published again meanwhile: the newer recalculation takes over, this one stopped. */
	superseded: boolean;
}

/** How often the contacts a concurrent write moved are read and replayed again before giving up. */
const MOVED_RETRIES = 10;

class Superseded {}

/**
 * Recalculates the named contacts, in one transaction for all of them: each one's state is read,
 * then its journal (in that order: an entry committed after the state was read moves the state's
 * version too), replayed under the target version, and written only while its stored version is
 * still the one read; the contacts a concurrent write moved are read and replayed again. Contacts
 * already recalculated to the target version are left alone. Holds to the profile version: once it
 * moves on, nothing more is written.
 */
export async function recalculateContacts(
	store: ScoreStore,
	target: RecalculationTarget,
	contactIds: readonly string[],
	now: () => number,
): Promise<ContactsRecalculated> {
	const done: ContactsRecalculated = { recalculated: 0, changed: 0, totalDelta: 0, unchanged: new Map(), superseded: false };
	const { profileId, fromVersion, toVersion } = target;
	let pending = contactIds;
	for (let attempt = 1; pending.length > 0; attempt++) {
		if (attempt > MOVED_RETRIES) {
			throw new StoreUnavailableError(`The recalculation of ${pending.length} contacts of ${profileId} lost to other writes ${MOVED_RETRIES} times`, 'store');
		}
		const read = await readStates(store, profileId, pending);
		if (read.version !== toVersion) return { ...done, superseded: true };
		const behind = pending.filter((contactId) => !isRecalculatedTo(read.states.get(contactId), toVersion));
		if (behind.length === 0) break;
		const journals = await store.readJournals(profileId, behind);
		const at = now();
		const replayed = behind.map((contactId) => replayedState(contactId, journals, target.replay, at));
		const operation: RecalculationOperation = { kind: 'recalculation', fromVersion, toVersion, at };
		let step: { moved: string[]; unchanged: Array<[string, number]>; replayedCount: number; changes: readonly ChangeRecord[] };
		try {
			step = (
				await store.transact(profileId, { contactIds: behind }, (snapshot) => {
					if (snapshot.profile?.version !== toVersion) throw new Superseded();
					const contacts: ContactState[] = [];
					const changes: ChangeRecord[] = [];
					const moved: string[] = [];
					const unchanged: Array<[string, number]> = [];
					let replayedCount = 0;
					for (let index = 0; index < behind.length; index++) {
						const contactId = behind[index];
						const current = snapshot.contact(contactId);
						const version = current?.version ?? 0;
						if (version !== (read.states.get(contactId)?.version ?? 0)) {
							moved.push(contactId);
							continue;
						}
						if (replayed[index] !== undefined) replayedCount++;
						const { state, change } = recalculatedContact(contactId, current, replayed[index], operation);
						if (state === undefined) unchanged.push([contactId, version]);
						else contacts.push(state);
						if (change !== undefined) changes.push(change);
					}
					return { contacts, changes, seenEventIds: [], result: { moved, unchanged, replayedCount, changes } };
				})
			).result;
		} catch (error) {
			if (error instanceof Superseded) return { ...done, superseded: true };
			throw error;
		}
		if (step.changes.length > 0) changeNotifier.notify(store.key, profileId);
		for (const [contactId, version] of step.unchanged) done.unchanged.set(contactId, version);
		done.recalculated += step.replayedCount;
		done.changed += step.changes.length;
		for (const change of step.changes) done.totalDelta = normalizeScore(done.totalDelta + change.delta);
		pending = step.moved;
	}
	return done;
}

/** Whether the state is that of the version (or a later one): written by its recalculation, or after it. */
export function isRecalculatedTo(state: ContactState | undefined, version: number): boolean {
	return state !== undefined && (state.recalculatedVersion ?? 0) >= version;
}

/** The named contacts' states and the profile version, read in one (read-only) transaction. */
export async function readStates(
	store: ScoreStore,
	profileId: string,
	contactIds: readonly string[],
): Promise<{ version: number | undefined; states: Map<string, ContactState | undefined> }> {
	const { result } = await store.transact(profileId, { contactIds }, (snapshot) => {
		const states = new Map<string, ContactState | undefined>();
		for (const contactId of contactIds) states.set(contactId, snapshot.contact(contactId));
		return { contacts: [], changes: [], seenEventIds: [], result: { version: snapshot.profile?.version, states } };
	});
	return result;
}
