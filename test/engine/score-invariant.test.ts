import { EngagementEngine } from '../../src/engine';
import { normalizeScore } from '../../src/scoring';
import type { ScoreStore } from '../../src/store';
import { storeKindsForThisFile } from '../helpers/engine-stores';
import { explanationTotal } from '../helpers/explanation';
import { contactsARecalculationWouldChange } from '../helpers/recalculation-check';
import { seededRandom } from '../helpers/seeded-random';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);
const CONTACTS = ['ann', 'bob', 'cem', 'dan', 'eve', '__proto__'];
const STEPS = 160;

const email = (event: string) => [{ property: 'event', operator: 'equals', value: event }];
/** Two rule sets a publish alternates between: limits, expiry, groups and caps in both, differently. */
const RULE_SETS = [
	{
		rules: [
			{ id: 'opened', eventType: 'email_event', conditions: email('opened'), points: 5, group: 'marketing', counts: { times: 2, per: 'day' } },
			{ id: 'clicked', eventType: 'email_event', conditions: email('clicked'), points: 10, group: 'sales', expiresAfterDays: 3 },
			{ id: 'vip', eventType: 'contact_tag', conditions: [{ property: 'tag', operator: 'equals', value: 'vip' }], points: 20, counts: 'once' },
		],
		limits: { max: 80, groupMax: { marketing: 25 } },
	},
	{
		rules: [
			{ id: 'opened', eventType: 'email_event', conditions: email('opened'), points: 3 },
			{ id: 'clicked', eventType: 'email_event', conditions: email('clicked'), points: 7, group: 'sales', counts: { times: 1, per: 'week' } },
			{ id: 'unsubscribed', eventType: 'email_event', conditions: email('unsubscribed'), points: -10, expiresAfterDays: 5 },
		],
		limits: { min: 0, max: 60 },
	},
];

describe.each(storeKindsForThisFile('invariant'))('The score invariant on $name', (kind) => {
	let store: ScoreStore;
	let cleanup: () => void;

	beforeEach(async () => {
		({ store, cleanup } = await kind.open());
	});

	afterEach(async () => {
		await store.close();
		cleanup();
	});

	it.each([1, 2, 3])(
		'holds after a random sequence of events, manual changes, resets, decay, expiries and publishes that recalculate (seed %i)',
		async (seed) => {
			const random = seededRandom(seed);
			const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
			let now = T0;
			const engine = new EngagementEngine(store, { now: () => now });
			let ruleSet = 0;
			await engine.createProfile({ id: 'lead', name: 'Lead', ...RULE_SETS[ruleSet] });
			let eventIds = 0;
			for (let step = 0; step < STEPS; step++) {
				now += Math.floor(random() * 0.6 * DAY);
				const roll = random();
				if (roll < 0.6) {
					const events = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
						contactId: pick(CONTACTS),
						type: random() < 0.85 ? 'email_event' : 'contact_tag',
						properties: { event: pick(['opened', 'clicked', 'unsubscribed', 'bounced']), tag: 'vip' },
						occurredAt: now - Math.floor(random() * DAY),
						// Now and then an id sent twice: it counts once.
						...(random() < 0.3 ? { id: `e${random() < 0.2 ? Math.max(0, eventIds - 1) : ++eventIds}` } : {}),
					}));
					await engine.scoreEvents('lead', events);
				} else if (roll < 0.72) {
					await engine.modifyScore('lead', {
						contactId: pick(CONTACTS),
						operation: pick(['add', 'subtract', 'set']),
						points: Math.floor(random() * 30),
						countsAsActivity: random() < 0.5,
					});
				} else if (roll < 0.77) {
					await engine.resetContact('lead', pick(CONTACTS));
				} else if (roll < 0.84) {
					await engine.applyDecay('lead', { mode: pick(['subtract', 'multiply']), inactiveDays: 2, points: 4, factor: 0.5, floor: 1 });
				} else if (roll < 0.92) {
					ruleSet = 1 - ruleSet;
					await engine.updateDraft('lead', RULE_SETS[ruleSet]);
					await engine.publish('lead');
				}
			}
			now += 10 * DAY;
			await engine.applyExpiries('lead');

			const profile = await engine.getProfile('lead');
			expect(profile.version).toBeGreaterThan(1);
			for (const contactId of CONTACTS) {
				const contact = await engine.getContact('lead', contactId);
				if (contact === undefined) continue;
				const history = await engine.getHistory('lead', contactId, 100_000);
				const historySum = history.reduce((total, change) => normalizeScore(total + change.delta), 0);
				expect({ contactId, historySum }).toEqual({ contactId, historySum: contact.score });
				const explanation = await engine.explainScore('lead', contactId);
				expect({ contactId, explained: explanationTotal(explanation) }).toEqual({ contactId, explained: contact.score });
			}

			// Recalculating the same version again changes nothing: every contact holds what its journal replays to.
			expect(await contactsARecalculationWouldChange(store, 'lead', now)).toEqual([]);
		},
	);
});
