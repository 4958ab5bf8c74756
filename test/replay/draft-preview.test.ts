import { DraftPreviewTally, draftPreview, type PreviewRow } from '../../src/replay';
import { seededRandom } from '../helpers/seeded-random';

const row = (contactId: string, liveScore: number, draftScore: number): PreviewRow => ({ contactId, liveScore, draftScore });

describe('draftPreview', () => {
	const rows = [
		row('dave', 10, 10), // unchanged
		row('carol', 45, 55), // +10, into high
		row('bob', 60, 40), // -20, out of high
		row('alice', 0.1, 0.3), // +0.2 (not 0.19999999999999998)
		row('erin', 85, 75), // -10, ties with carol: by id
		row('Zed', 5, 15), // +10, ties: "Zed" sorts before "carol" (code units)
	];

	it('lists the contacts whose score would change, largest difference first, ties by contact id, at most the limit', () => {
		const { changes } = draftPreview(rows, { limit: 4, thresholds: [] });
		expect(changes).toEqual([
			{ contactId: 'bob', liveScore: 60, draftScore: 40, difference: -20, liveTier: 'high', draftTier: 'medium' },
			{ contactId: 'Zed', liveScore: 5, draftScore: 15, difference: 10, liveTier: 'low', draftTier: 'medium' },
			{ contactId: 'carol', liveScore: 45, draftScore: 55, difference: 10, liveTier: 'medium', draftTier: 'high' },
			{ contactId: 'erin', liveScore: 85, draftScore: 75, difference: -10, liveTier: 'high', draftTier: 'high' },
		]);
		expect(draftPreview(rows, { limit: 10, thresholds: [] }).changes.map((change) => [change.contactId, change.difference])).toEqual([
			['bob', -20],
			['Zed', 10],
			['carol', 10],
			['erin', -10],
			['alice', 0.2],
		]);
		expect(draftPreview(rows, { limit: 0, thresholds: [] }).changes).toEqual([]);
	});

	it('sums up contacts per tier live and draft, and who would newly be at or above each threshold or below it', () => {
		const { summary } = draftPreview(rows, { limit: 1, thresholds: [50, 80, 10] });
		expect(summary).toEqual({
			contacts: 6,
			changed: 5,
			totalDifference: -9.8,
			tiers: { high: { live: 2, draft: 2 }, medium: { live: 2, draft: 3 }, low: { live: 1, draft: 0 }, veryLow: { live: 1, draft: 1 } },
			thresholds: [
				{ threshold: 50, newlyAtOrAbove: 1, newlyBelow: 1 },
				{ threshold: 80, newlyAtOrAbove: 0, newlyBelow: 1 },
				{ threshold: 10, newlyAtOrAbove: 1, newlyBelow: 0 },
			],
		});
	});

	it('counts a score landing exactly on a threshold as at it, and uses the tier thresholds given', () => {
		const { summary, changes } = draftPreview([row('a', 49.999999, 50), row('b', 80, 79.5)], {
			limit: 5,
			thresholds: [50, 80],
			tierThresholds: { high: 80, medium: 50, low: 0 },
		});
		expect(summary.thresholds).toEqual([
			{ threshold: 50, newlyAtOrAbove: 1, newlyBelow: 0 },
			{ threshold: 80, newlyAtOrAbove: 0, newlyBelow: 1 },
		]);
		expect(changes.map(({ contactId, liveTier, draftTier }) => [contactId, liveTier, draftTier])).toEqual([
			['b', 'high', 'medium'],
			['a', 'low', 'medium'],
		]);
	});

	it('gives the same fed a page at a time as all at once, for 20,000 contacts', () => {
		const random = seededRandom(7);
		const many = Array.from({ length: 20_000 }, (_, index) => {
			const live = Math.floor(random() * 100);
			return row(`c${index}`, live, random() < 0.3 ? Math.floor(random() * 100) : live);
		});
		const options = { limit: 100, thresholds: [25, 50, 75] };
		const tally = new DraftPreviewTally(options);
		for (let first = 0; first < many.length; first += 1000) for (const one of many.slice(first, first + 1000)) tally.add(one);
		const paged = tally.result();
		const all = draftPreview(many, options);
		expect(paged).toEqual(all);
		expect(all.changes).toHaveLength(100);
		const sorted = many
			.map((one) => ({ ...one, difference: one.draftScore - one.liveScore }))
			.filter((one) => one.difference !== 0)
			.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || (a.contactId < b.contactId ? -1 : 1));
		expect(all.changes.map((change) => change.contactId)).toEqual(sorted.slice(0, 100).map((one) => one.contactId));
		expect(all.summary.changed).toBe(sorted.length);
	});
});
