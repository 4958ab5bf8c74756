import Redis from 'ioredis';

import { EngagementEngine } from '../../src/engine';
import { RedisStore } from '../../src/stores/redis/redis-store';
import { RedisTestServer } from '../helpers/redis-server';
import { expectRecalculatedBeforeScoredUnder } from '../helpers/version-order';

const CONTACTS = 1500;
const opened = (points: number) => [{ id: 'opened', eventType: 'email_event', conditions: [], points }];
const contactIds = Array.from({ length: CONTACTS }, (_, index) => `c${String(index).padStart(5, '0')}`);

describe('Recalculation on Redis with two clients', () => {
	let server: RedisTestServer;
	const clients: Redis[] = [];

	beforeAll(async () => {
		server = await RedisTestServer.start();
	});

	afterAll(async () => {
		for (const client of clients) client.disconnect();
		await server.destroy();
	});

	const storeOnItsOwnConnection = () => {
		const client = new Redis({ host: server.host, port: server.port });
		clients.push(client);
		return new RedisStore(client, { keyPrefix: 'recalculation-clients:' });
	};

	it('loses and doubles no event another client scores while a publish recalculates, and scores none under the old rules', async () => {
		const publisher = new EngagementEngine(storeOnItsOwnConnection());
		const scorer = new EngagementEngine(storeOnItsOwnConnection());
		await publisher.createProfile({ id: 'lead', name: 'Lead', rules: opened(5) });
		await publisher.publish('lead');
		for (let first = 0; first < CONTACTS; first += 500) {
			await publisher.scoreEvents('lead', contactIds.slice(first, first + 500).flatMap((contactId) => [0, 1].map(() => ({ contactId, type: 'email_event' }))));
		}
		await publisher.updateDraft('lead', { rules: opened(3) });

		const sent = new Map<string, number>();
		let publishing = true;
		let batches = 0;
		let seed = 7;
		const nextContact = () => contactIds[(seed = (seed * 48271) % 2147483647) % CONTACTS];
		const scoring = (async () => {
			while (publishing || batches < 30) {
				const batch = [nextContact(), nextContact(), nextContact()];
				await scorer.scoreEvents('lead', batch.map((contactId) => ({ contactId, type: 'email_event' })));
				for (const contactId of batch) sent.set(contactId, (sent.get(contactId) ?? 0) + 1);
				batches++;
			}
		})();
		const { recalculation } = await publisher.publishAndRecalculate('lead');
		publishing = false;
		await scoring;

		expect(recalculation).toMatchObject({ toVersion: 2, completed: true });
		const store = storeOnItsOwnConnection();
		for (const contactId of contactIds) {
			const contact = await store.getContact('lead', contactId);
			expect({ contactId, score: contact?.score }).toEqual({ contactId, score: 3 * (2 + (sent.get(contactId) ?? 0)) });
			const history = await store.getHistory('lead', contactId, 1000);
			expect(history.reduce((sum, change) => sum + change.delta, 0)).toBe(contact?.score);
			expectRecalculatedBeforeScoredUnder(history, 2);
		}
	});
});
