import { normalizeScore } from '../scoring/score-math';
import { DEFAULT_TIER_THRESHOLDS, type Tier, tierOf, type TierThresholds, TIERS } from '../tier';

/** One contact's score now and under the draft (its journal replayed under the draft rules). */
export interface PreviewRow {
	readonly contactId: string;
	readonly liveScore: number;
	readonly draftScore: number;
}

export interface PreviewOptions {
	/** At most this many changed contacts are listed (the summary counts them all). */
	readonly limit: number;
	/** Scores the user watches (e.g. 50, 80): how many contacts would newly be at or above each, and newly below. */
	readonly thresholds: readonly number[];
	readonly tierThresholds?: TierThresholds;
}

export interface PreviewChange extends PreviewRow {
	/** draftScore − liveScore. */
	readonly difference: number;
	readonly liveTier: Tier;
	readonly draftTier: Tier;
}

export interface PreviewSummary {
	readonly contacts: number;
	/** Contacts whose score would change. */
	readonly changed: number;
	/** The sum of the differences. */
	readonly totalDifference: number;
	/** Contacts per tier now and under the draft. */
	readonly tiers: Readonly<Record<Tier, { readonly live: number; readonly draft: number }>>;
	readonly thresholds: ReadonlyArray<{ readonly threshold: number; readonly newlyAtOrAbove: number; readonly newlyBelow: number }>;
}

export interface DraftPreview {
	/** The contacts whose score would change, largest absolute difference first (ties by contact id), at most `limit`. */
	readonly changes: readonly PreviewChange[];
	readonly summary: PreviewSummary;
}

/** What publishing the draft would change (Preview Draft), from every contact's live and draft score. */
export function draftPreview(rows: Iterable<PreviewRow>, options: PreviewOptions): DraftPreview {
	const tally = new DraftPreviewTally(options);
	for (const row of rows) tally.add(row);
	return tally.result();
}

/** draftPreview a page of contacts at a time: rows are added as they are replayed, and only the largest changes kept. */
export class DraftPreviewTally {
	private readonly tierThresholds: TierThresholds;
	private readonly tiers = new Map<Tier, { live: number; draft: number }>(TIERS.map(({ id }) => [id, { live: 0, draft: 0 }]));
	private readonly crossings: Array<{ threshold: number; newlyAtOrAbove: number; newlyBelow: number }>;
	private candidates: PreviewChange[] = [];
	private contacts = 0;
	private changed = 0;
	private totalDifference = 0;

	constructor(private readonly options: PreviewOptions) {
		this.tierThresholds = options.tierThresholds ?? DEFAULT_TIER_THRESHOLDS;
		this.crossings = options.thresholds.map((threshold) => ({ threshold, newlyAtOrAbove: 0, newlyBelow: 0 }));
	}

	add(row: PreviewRow): void {
		const { liveScore, draftScore } = row;
		this.contacts++;
		const liveTier = tierOf(liveScore, this.tierThresholds);
		const draftTier = tierOf(draftScore, this.tierThresholds);
		(this.tiers.get(liveTier) as { live: number }).live++;
		(this.tiers.get(draftTier) as { draft: number }).draft++;
		const difference = normalizeScore(draftScore - liveScore);
		if (difference === 0) return;
		this.changed++;
		this.totalDifference = normalizeScore(this.totalDifference + difference);
		for (const crossing of this.crossings) {
			const wasAtOrAbove = liveScore >= crossing.threshold;
			const isAtOrAbove = draftScore >= crossing.threshold;
			if (isAtOrAbove && !wasAtOrAbove) crossing.newlyAtOrAbove++;
			else if (wasAtOrAbove && !isAtOrAbove) crossing.newlyBelow++;
		}
		if (this.options.limit <= 0) return;
		this.candidates.push({ contactId: row.contactId, liveScore, draftScore, difference, liveTier, draftTier });
		// Keep the largest changes only: trimmed now and then, so a large profile sorts little more than `limit` rows.
		if (this.candidates.length >= 2 * this.options.limit + 1024) this.trim();
	}

	result(): DraftPreview {
		this.trim();
		const tiers = Object.fromEntries(TIERS.map(({ id }) => [id, { ...this.tiers.get(id) }])) as PreviewSummary['tiers'];
		return {
			changes: [...this.candidates],
			summary: {
				contacts: this.contacts,
				changed: this.changed,
				totalDifference: this.totalDifference,
				tiers,
				thresholds: this.crossings.map((crossing) => ({ ...crossing })),
			},
		};
	}

	private trim(): void {
		this.candidates.sort(largestFirst);
		if (this.candidates.length > this.options.limit) this.candidates.length = this.options.limit;
	}
}

function largestFirst(a: PreviewChange, b: PreviewChange): number {
	const size = Math.abs(b.difference) - Math.abs(a.difference);
	if (size !== 0) return size;
	return a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0;
}
