import { sqliteStoreInTempFolder } from '../helpers/stores-under-test';
import { describeStoreConformance } from './conformance';

describeStoreConformance('SQLite (real file in a temp folder)', sqliteStoreInTempFolder);
