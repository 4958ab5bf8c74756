import { sqliteStoreInTempFolder } from '../helpers/stores-under-test';
import { describeStoreConformance } from './conformance';
import { describeEventIdRetention } from './event-id-retention-conformance';

describeStoreConformance('SQLite (real file in a temp folder)', sqliteStoreInTempFolder);

describeEventIdRetention('SQLite', (eventIdRetentionMs) => sqliteStoreInTempFolder({ eventIdRetentionMs }));
