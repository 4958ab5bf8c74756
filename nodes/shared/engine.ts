import { EngagementEngine, type ScoreStore } from '../../src/index';

/**
 * The engine the nodes use over a store. No `notify` hook: the stores wake in-process trigger
 * feeds themselves (changeNotifier) in the same step that writes a change, so a second wake-up
 * from the engine would only repeat it.
 */
export function engineFor(store: ScoreStore): EngagementEngine {
	return new EngagementEngine(store);
}
