import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import { describeStoreConformance } from './conformance';

describeStoreConformance('SQLite (real file in a temp folder)', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'engagement-sqlite-'));
	const store = SqliteStore.open(join(folder, 'engagement-score.sqlite'));
	return {
		store,
		cleanup: async () => {
			await store.close();
			rmSync(folder, { recursive: true, force: true });
		},
	};
});
