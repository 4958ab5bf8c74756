import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureSystemPackages, type SystemPackageName } from '../../scripts/lib/system-packages';

/** What a developer sees from `npm test` when a system program is found, or is missing and cannot be installed. */
describe('ensureSystemPackages', () => {
	const originalPath = process.env.PATH;
	let dir: string;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'es-system-packages-'));
	});

	afterEach(() => {
		process.env.PATH = originalPath;
		rmSync(dir, { recursive: true, force: true });
	});

	function binDir(name: string, programs: Record<string, number>): string {
		const folder = join(dir, name);
		mkdirSync(folder);
		for (const [program, mode] of Object.entries(programs)) {
			writeFileSync(join(folder, program), '#!/bin/sh\n');
			chmodSync(join(folder, program), mode);
		}
		return folder;
	}

	it('resolves each name to the absolute path of the first executable on PATH, installing nothing', async () => {
		const notExecutable = binDir('first', { 'redis-server': 0o644 });
		const executable = binDir('second', { 'redis-server': 0o755, chromium: 0o755 });
		process.env.PATH = [notExecutable, executable].join(':');
		const log = jest.fn();

		expect(await ensureSystemPackages(['redis-server', 'chromium'], { log })).toEqual({
			'redis-server': join(executable, 'redis-server'),
			chromium: join(executable, 'chromium'),
		});
		expect(log).not.toHaveBeenCalled();
	});

	it('stops at once with one message naming the packages and the command when there is no apt-get', async () => {
		process.env.PATH = binDir('empty', {});
		const log = jest.fn();
		const startedAt = Date.now();

		const error = await ensureSystemPackages(['redis-server', 'chromium'], { log }).catch((reason: Error) => reason);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe(
			"The tests need Debian's packages redis-server, chromium (no redis-server on PATH, no chromium on PATH; " +
				`${process.getuid?.() === 0 ? 'apt-get is not available here' : 'not running as root, so it cannot be installed automatically'}). ` +
				`Install them with \`${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install -y redis-server chromium\` (or your system's equivalent) and run the tests again.`,
		);
		// Read as it is: jest prints a failed globalSetup's stack, which is just the message.
		expect((error as Error).stack).toBe(`SystemPackageError: ${(error as Error).message}`);
		expect(log).not.toHaveBeenCalled();
		expect(Date.now() - startedAt).toBeLessThan(1000);
	});

	it('refuses a name it does not know, listing the ones it does', async () => {
		await expect(ensureSystemPackages(['redis' as SystemPackageName])).rejects.toThrow(
			'Unknown system package name(s): redis (known: redis-server, postgresql, chromium, g++, make, python3)',
		);
	});
});
