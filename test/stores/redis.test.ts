import { redisStoresForThisFile } from '../helpers/stores-under-test';
import { describeStoreConformance } from './conformance';
import { describeEventIdRetention } from './event-id-retention-conformance';

/** One real redis-server for the file; every test gets its own key prefix, so an empty store. */
const redisStore = redisStoresForThisFile('conformance');

describeStoreConformance('Redis (real redis-server)', redisStore());

// The same promises when the inactive contacts of a decay are read in many pages.
describeStoreConformance('Redis, inactive contacts read 2 per page', redisStore({ inactiveContactsPerPage: 2 }));

describeEventIdRetention('Redis', (eventIdRetentionMs) => redisStore({ eventIdRetentionMs })());
