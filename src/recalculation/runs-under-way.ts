/**
 * One run at a time per key in this process: a second caller (the trigger's timer while a publish
 * runs, two nodes in one execution) waits for the run under way instead of starting its own, which
 * would be safe but would read and replay every contact a second time.
 */
const underWay = new Map<string, Promise<unknown>>();

export function onceAtATime<T>(key: string, start: () => Promise<T>): Promise<T> {
	const running = underWay.get(key);
	if (running !== undefined) return running as Promise<T>;
	const run = start().finally(() => underWay.delete(key));
	underWay.set(key, run);
	return run;
}
