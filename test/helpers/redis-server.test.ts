import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RedisTestServer } from './redis-server';

/** A redis-server that cannot run fails at once with a message saying what to install, not a 10 s timeout. */
describe('RedisTestServer with a binary that cannot be spawned', () => {
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'es-redis-binary-'));
	});

	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	async function startFailure(binary: string): Promise<{ message: string; elapsedMs: number }> {
		const startedAt = Date.now();
		const error = await RedisTestServer.start({ binary }).then(
			() => {
				throw new Error(`${binary} started`);
			},
			(reason: Error) => reason,
		);
		return { message: error.message, elapsedMs: Date.now() - startedAt };
	}

	it('rejects at once when the binary does not exist (ENOENT), naming it and the package', async () => {
		const binary = join(dir, 'no-such-redis-server');
		const { message, elapsedMs } = await startFailure(binary);
		expect(message).toContain(`Cannot run ${binary} (ENOENT)`);
		expect(message).toContain('apt-get install -y redis-server');
		expect(elapsedMs).toBeLessThan(2000);
	});

	it('rejects at once when the binary is not executable (EACCES), naming it and the package', async () => {
		const binary = join(dir, 'redis-server');
		writeFileSync(binary, '#!/bin/sh\nexit 0\n');
		chmodSync(binary, 0o644);
		const { message, elapsedMs } = await startFailure(binary);
		expect(message).toContain(`Cannot run ${binary} (EACCES)`);
		expect(message).toContain('apt-get install -y redis-server');
		expect(elapsedMs).toBeLessThan(2000);
	});

	it('rejects at once when the server exits before accepting connections', async () => {
		const binary = join(dir, 'exits-at-once');
		writeFileSync(binary, '#!/bin/sh\nexit 3\n');
		chmodSync(binary, 0o755);
		const { message, elapsedMs } = await startFailure(binary);
		expect(message).toContain(`${binary} exited (code 3) before accepting connections`);
		expect(elapsedMs).toBeLessThan(2000);
	});
});
