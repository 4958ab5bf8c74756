import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `redis-server` for tests: its own loopback port and temp dir, stopped by its own pid.
 * No mocked Redis anywhere: the store's Lua scripts only mean something against the real thing.
 */
export interface RedisServerOptions {
	/** Requires this password (`requirepass`), for the wrong-password tests. */
	readonly password?: string;
	/** Keep an append-only file so that a restart (kill + start on the same dir) keeps the data. */
	readonly persistent?: boolean;
	/** Passed on to redis-server as they are, e.g. ['--cluster-enabled', 'yes']. */
	readonly extraArgs?: readonly string[];
	/** The redis-server binary (default: `redis-server` on PATH), for the tests of a binary that cannot run. */
	readonly binary?: string;
}

/** Servers still running when the test process exits (a failed test skipped its cleanup) are stopped too. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export class RedisTestServer {
	private process?: ChildProcess;

	private constructor(
		readonly port: number,
		readonly dir: string,
		private readonly options: RedisServerOptions,
	) {}

	static async start(options: RedisServerOptions = {}): Promise<RedisTestServer> {
		const server = new RedisTestServer(
			await freeLoopbackPort(),
			mkdtempSync(join(tmpdir(), 'es-redis-')),
			options,
		);
		await server.launch();
		return server;
	}

	get host(): string {
		return '127.0.0.1';
	}

	get pid(): number | undefined {
		return this.process?.pid;
	}

	/** Starts the server again on the same port and directory (after stop or kill). */
	async launch(): Promise<void> {
		if (this.process) throw new Error('redis-server is already running');
		const args = [
			'--port', String(this.port),
			'--bind', this.host,
			'--dir', this.dir,
			'--save', '',
			'--appendonly', this.options.persistent ? 'yes' : 'no',
			'--appendfsync', 'always',
			'--daemonize', 'no',
			'--logfile', join(this.dir, 'redis.log'),
		];
		if (this.options.password) args.push('--requirepass', this.options.password);
		args.push(...(this.options.extraArgs ?? []));
		const binary = this.options.binary ?? 'redis-server';
		const child = spawn(binary, args, { stdio: 'ignore' });
		this.process = child;
		running.add(child);
		// A binary that cannot be spawned, or a server that exits at once, fails now, not after the wait.
		let failure: Error | undefined;
		const forget = () => {
			running.delete(child);
			if (this.process === child) this.process = undefined;
		};
		child.once('error', (error: NodeJS.ErrnoException) => {
			forget();
			failure ??= new Error(
				`Cannot run ${binary} (${error.code ?? error.message}): the tests need Debian's package redis-server ` +
					'(`apt-get install -y redis-server`; `npm test` installs it when run as root with apt-get)',
			);
		});
		child.once('exit', (code, signal) => {
			forget();
			failure ??= new Error(`${binary} exited (${signal ?? `code ${code}`}) before accepting connections; see ${join(this.dir, 'redis.log')}`);
		});
		await waitUntil(async () => failure !== undefined || (await acceptsConnections(this.port)), 10_000, `redis-server on port ${this.port}`);
		if (failure) throw failure;
	}

	/** Stops the server by its pid and waits for it to exit. `SIGKILL` simulates a crash. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		process.kill(child.pid!, signal);
		await exited;
		this.process = undefined;
	}

	/** Stops the server and removes its directory. */
	async destroy(): Promise<void> {
		await this.stop();
		rmSync(this.dir, { recursive: true, force: true });
	}
}

export async function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Ready means answering PING (a server still loading its data answers -LOADING). */
function acceptsConnections(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ port, host: '127.0.0.1' });
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (reply) => {
			socket.destroy();
			const text = reply.toString();
			resolve(text.startsWith('+PONG') || text.startsWith('-NOAUTH'));
		});
		socket.once('error', () => resolve(false));
	});
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}
