import type { DatabaseSync } from 'node:sqlite';

import { StoreUnavailableError } from '../../errors';

type SqliteModule = typeof import('node:sqlite');

/** node:sqlite is built into Node.js from 22.13 on without a flag; n8n 2.x runs on Node.js 24. */
const MINIMUM_NODE = [22, 13] as const;
/** How much of the file is read through a memory mapping: 1 GiB, about 5 million events scored and journaled. */
const MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * Opens a connection tuned for several writers (n8n executions, other n8n processes) on one file.
 * node:sqlite is required lazily: merely loading this package must not crash an n8n on an older Node.js.
 */
export function openDatabase(filePath: string, busyTimeoutMs: number): DatabaseSync {
	const { DatabaseSync } = loadSqlite();
	const db = new DatabaseSync(filePath, { timeout: busyTimeoutMs });
	let configured = false;
	try {
		db.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`);
		db.exec('PRAGMA journal_mode = WAL');
		db.exec('PRAGMA synchronous = NORMAL');
		// 32 MiB of page cache (default 2 MiB): a 100k-event batch touches indexes far larger than that.
		db.exec('PRAGMA cache_size = -32768');
		// Reads straight from the mapped file instead of a read() per page: recalculation and Preview
		// Draft walk a journal far larger than the cache, one random row at a time (measured in
		// docs/benchmarks.md, "SQLite reads through a memory mapping"). SQLite falls back to read()
		// where the mapping fails (a 32-bit process, say); writes still go through the WAL.
		db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`);
		configured = true;
		return db;
	} finally {
		if (!configured) db.close();
	}
}

function loadSqlite(): SqliteModule {
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
		throw new StoreUnavailableError(
			`The embedded SQLite store needs Node.js ${MINIMUM_NODE.join('.')} or newer (for node:sqlite), ` +
				`but n8n runs on Node.js ${process.versions.node}. Upgrade Node.js or choose another store.`,
			'store',
		);
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('node:sqlite') as SqliteModule;
}
