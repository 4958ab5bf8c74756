/**
 * Transactions of one process on the same contacts take turns instead of racing: without this,
 * a burst of executions on one hot contact would make nearly every optimistic commit conflict and
 * retry. Other processes still meet at the commit's version check.
 *
 * A transaction queues behind every earlier one that named any of its contacts. Queuing happens
 * synchronously in `enter`, so the order is one total order and no two transactions wait for
 * each other.
 */
export class ContactQueue {
	private readonly tails = new Map<string, Promise<void>>();

	async enter(keys: readonly string[]): Promise<() => void> {
		let leave!: () => void;
		const done = new Promise<void>((resolve) => (leave = resolve));
		const before = new Set<Promise<void>>();
		for (const key of keys) {
			const tail = this.tails.get(key);
			if (tail !== undefined) before.add(tail);
			this.tails.set(key, done);
		}
		await Promise.all(before);
		return () => {
			for (const key of keys) if (this.tails.get(key) === done) this.tails.delete(key);
			leave();
		};
	}
}

const QUEUES_KEY = Symbol.for('n8n-nodes-engagement-score.redisContactQueues');
type GlobalWithQueues = typeof globalThis & { [QUEUES_KEY]?: Map<string, ContactQueue> };

/** One queue per Redis store key in the process, whichever copy of the package asks. */
export function contactQueueFor(storeKey: string): ContactQueue {
	const scope = globalThis as GlobalWithQueues;
	const queues = (scope[QUEUES_KEY] ??= new Map());
	let queue = queues.get(storeKey);
	if (queue === undefined) queues.set(storeKey, (queue = new ContactQueue()));
	return queue;
}
