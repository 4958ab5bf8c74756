/**
 * Key names. Every key of one profile carries the profile id as a `{hash tag}`, so a Redis
 * Cluster keeps them in one slot and a Lua script may touch all of them. The suffixes contain
 * no `}`, which keeps the mapping from (profile, suffix) to key name one-to-one even for
 * profile ids containing braces.
 */
export const DEFAULT_KEY_PREFIX = 'engagement-score:';

export interface ProfileKeys {
	/** Hash: doc (profile JSON), status, version, rev (optimistic-concurrency counter). */
	readonly profile: string;
	/** Hash: published version number -> the rules published as that version (JSON). */
	readonly versions: string;
	/** Sorted set: contact id -> score. Ranking and top-N queries. */
	readonly scores: string;
	/** Hash: contact id -> the contact's state but its score (see codec.ts encodeContactState). */
	readonly contacts: string;
	/** Sorted set: contact id -> last activity, or first appearance if never active. Decay reads it by range. */
	readonly idle: string;
	/** Sorted set: event id -> expiry time (ms). Ids past their expiry are pruned and forgotten. */
	readonly seenEvents: string;
	/** Stream: the change log. Entry id `<seq>-0`, so the contract's seq is the stream id itself. */
	readonly log: string;
	/** Counter: the last seq handed out (INCR-style, never reset, even by deleting the profile). */
	readonly seq: string;
	/**
	 * Sorted set (all scores 0, read by lex range): `<byte length>:<contact id>:<seq, 16 digits>`, the
	 * history index older versions wrote, read and deleted but no longer written. A contact's
	 * history is now the list `<history>:<contact id>` (see contactHistoryKey).
	 */
	readonly history: string;
	/** Sorted set: contact id -> its next expiry due time, only for contacts with points still to expire. */
	readonly expiry: string;
}

export function profileKeys(prefix: string, profileId: string): ProfileKeys {
	const base = `${prefix}{${profileId}}:`;
	return {
		profile: `${base}profile`,
		versions: `${base}versions`,
		scores: `${base}scores`,
		contacts: `${base}contacts`,
		idle: `${base}idle`,
		seenEvents: `${base}seen`,
		log: `${base}log`,
		seq: `${base}seq`,
		history: `${base}history`,
		expiry: `${base}expiry`,
	};
}

/**
 * List: the seqs of a contact's changes, oldest first. Named by the scripts from KEYS' history key
 * (in the profile's slot), since a commit names its contacts only in its arguments.
 */
export function contactHistoryKey(keys: ProfileKeys, contactId: string): string {
	return `${keys.history}:${contactId}`;
}

/** The order of KEYS[] every script receives. */
export function scriptKeys(keys: ProfileKeys): string[] {
	return [
		keys.profile,
		keys.versions,
		keys.scores,
		keys.contacts,
		keys.idle,
		keys.seenEvents,
		keys.log,
		keys.seq,
		keys.history,
		keys.expiry,
	];
}

/**
 * Set of the profile's group index names; each names a sorted set `<this key>:<name>` of contact
 * id -> that group's subtotal (Get Many by a group). The name is the group's UTF-8 bytes in hex,
 * so it holds no brace and the key stays in the profile's slot.
 */
export function groupIndexKey(prefix: string, profileId: string): string {
	return `${prefix}{${profileId}}:groups`;
}

export function groupIndexName(group: string): string {
	return Buffer.from(group, 'utf8').toString('hex');
}

/**
 * The journal's keys, passed to the scripts that write or remove it after the group index key
 * (KEYS[12..14]):
 * - entries: List of the profile-wide entries (decay runs); each contact's entries are the List
 *   `<entries>:<contact id>` (named by the scripts, in the profile's slot). An element is
 *   `<journalSeq>,<kind><at>,<body>` (see journalElement in journal-codec.ts), oldest first.
 * - seq: counter of the last journalSeq handed out; like the change log's, kept when the profile is deleted.
 * - contacts: Sorted set (all scores 0, read by lex range) of the contact ids holding a journal.
 */
export function journalKeys(prefix: string, profileId: string): [entries: string, seq: string, contacts: string] {
	const base = `${prefix}{${profileId}}:`;
	return [`${base}journal`, `${base}journal-seq`, `${base}journal-contacts`];
}

/** A scratch key in the profile's slot (decay snapshots). */
export function scratchKey(prefix: string, profileId: string, name: string): string {
	return `${prefix}{${profileId}}:scratch:${name}`;
}

/** Set of all profile ids (a superset: an id whose profile hash is missing is skipped and pruned). */
export function profileIndexKey(prefix: string): string {
	return `${prefix}profiles`;
}

/** Hash: consumer id -> seq, the durable cursors of change-log consumers. */
export function cursorsKey(prefix: string): string {
	return `${prefix}cursors`;
}
