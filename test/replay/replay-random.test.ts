import { replayContact, withEvaluator } from '../../src/replay';
import { comparable, LiveJournal } from './live-journal';
import { RANDOM_LIMITS, RANDOM_RULES, RANDOM_START, randomHistory } from './random-journal';

/** Random histories (fixed seeds) of every operation and rule kind: replay equals the live engine, contact by contact. */

const SEEDS = Array.from({ length: 25 }, (_, index) => 1000 + index);
const DAY = 86_400_000;

describe.each(SEEDS)('a random history (seed %i)', (seed) => {
	it('replays to the state and the changes the live engine gave', async () => {
		const live = new LiveJournal(RANDOM_START);
		await live.publish({ rules: RANDOM_RULES, limits: RANDOM_LIMITS, timeZone: 'Europe/Berlin' });
		await randomHistory(live, seed, 60);
		const settings = withEvaluator(await live.settings());
		const now = live.clock + 3 * DAY;
		let changes = 0;
		for (const contactId of live.contactIds()) {
			const replayed = replayContact(contactId, live.contactRecords(contactId), live.profileWide(), settings, now);
			const expected = await live.live(contactId, now);
			expect({ contactId, state: replayed.state && comparable(replayed.state), changes: replayed.changes }).toEqual({ contactId, ...expected });
			expect(replayContact(contactId, live.contactRecords(contactId), live.profileWide(), settings, now)).toEqual(replayed);
			changes += replayed.changes.length;
		}
		expect(changes).toBeGreaterThan(20);
	});
});
