import { ChangeFeed, type ChangeFeedOptions } from '../../src/change-feed';
import type { ScoreStore } from '../../src/store';
import type { ScoreChange } from '../../src/types';

/** One consumer's changes of the watched profile, handed to its callback in order until stopped. */
export interface ConsumerFeed {
	start(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Opens the feed of a consumer: `resume` carries on where it stopped (a new consumer starts at
 * the newest change); `now` starts at the newest change each time, handing over nothing older.
 */
export type OpenConsumerFeed = (
	consumerId: string,
	startAt: 'resume' | 'now',
	onChanges: (changes: ScoreChange[]) => void,
) => ConsumerFeed;

/** Feeds over the store's durable cursors (ChangeFeed), for the stores without a Redis Stream. */
export function cursorFeeds(store: ScoreStore, profileId: string, options: ChangeFeedOptions): OpenConsumerFeed {
	return (consumerId, startAt, onChanges) => {
		const feed = new ChangeFeed(store, profileId, consumerId, onChanges, options);
		if (startAt === 'resume') return feed;
		return {
			start: async () => {
				await store.saveCursor(consumerId, await store.latestChangeSeq(profileId));
				await feed.start();
			},
			stop: async () => await feed.stop(),
		};
	};
}
