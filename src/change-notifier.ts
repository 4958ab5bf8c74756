/**
 * In-process wake-up hub between the code that writes score changes (the stores) and the code
 * that consumes them (ChangeFeed in the trigger node). It carries no data: a wake-up only tells
 * a feed to read the durable change log now instead of at its next poll, so a missed or extra
 * wake-up never loses or repeats a change.
 */
export type ChangeListener = () => void;

export class ChangeNotifier {
	private readonly listeners = new Map<string, Set<ChangeListener>>();

	subscribe(storeKey: string, profileId: string, listener: ChangeListener): () => void {
		const topic = topicOf(storeKey, profileId);
		const subscribers = this.listeners.get(topic) ?? new Set<ChangeListener>();
		subscribers.add(listener);
		this.listeners.set(topic, subscribers);
		return () => {
			subscribers.delete(listener);
			if (subscribers.size === 0 && this.listeners.get(topic) === subscribers) this.listeners.delete(topic);
		};
	}

	/**
	 * Wakes the listeners after the current call stack: a writer never runs consumer code inside
	 * its own (possibly transactional) call, and a throwing listener cannot break the writer.
	 */
	notify(storeKey: string, profileId: string): void {
		const subscribers = this.listeners.get(topicOf(storeKey, profileId));
		if (!subscribers) return;
		for (const listener of [...subscribers]) {
			queueMicrotask(() => {
				try {
					listener();
				} catch {
					// A listener's failure is its own business; the change is safe in the log.
				}
			});
		}
	}

	listenerCount(storeKey: string, profileId: string): number {
		return this.listeners.get(topicOf(storeKey, profileId))?.size ?? 0;
	}
}

function topicOf(storeKey: string, profileId: string): string {
	return JSON.stringify([storeKey, profileId]);
}

/**
 * One hub per process. Kept on globalThis under a registered symbol so that the scoring nodes and
 * the trigger node meet even if the package's modules were loaded twice (e.g. from two paths).
 */
const GLOBAL_KEY = Symbol.for('n8n-nodes-engagement-score.changeNotifier');
type GlobalWithNotifier = typeof globalThis & { [GLOBAL_KEY]?: ChangeNotifier };
const globalScope = globalThis as GlobalWithNotifier;

export const changeNotifier: ChangeNotifier = (globalScope[GLOBAL_KEY] ??= new ChangeNotifier());
