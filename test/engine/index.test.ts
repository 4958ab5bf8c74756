import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as library from '../../src';

const SRC = join(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

describe('the src library', () => {
	it('imports nothing from n8n', () => {
		const offenders = sourceFiles(SRC).filter((file) => /from\s+['"]n8n-|require\(\s*['"]n8n-/.test(readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});

	it('exposes the engine, the stores and the building blocks from one entry point', async () => {
		expect(library.EVENT_TYPES).toHaveLength(12);
		const engine = new library.EngagementEngine(new library.StaticDataStore({}));
		await engine.createProfile({ name: 'Entry Point', rules: [{ eventType: 'order_placed', points: 3 }] });
		await engine.publish('entry-point');
		const [result] = await engine.scoreEvents('entry-point', [{ contactId: 'c', type: 'order_placed' }]);
		expect(result).toMatchObject({ score: 3 });
		expect(typeof library.SqliteStore.open).toBe('function');
		expect(library.tierOf(3)).toBe('low');
	});
});
