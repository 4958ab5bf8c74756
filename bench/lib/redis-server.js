/**
 * A real redis-server for a benchmark: started on a free loopback port with a scratch folder and
 * no persistence, stopped by its own pid. connect() opens an ioredis client to it, which stop()
 * closes first.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** Resolves { port, connect(), stop() } once the server answers PING. */
async function startRedis() {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-bench-redis-'));
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')],
		{ stdio: 'ignore' },
	);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	for (let attempt = 0; !(await answersPing(port)); attempt++) {
		if (attempt > 400 || child.exitCode !== null) throw new Error('redis-server did not start (is it installed?)');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	const clients = [];
	return {
		port,
		connect: () => {
			const Redis = require('ioredis');
			const client = new Redis({ host: '127.0.0.1', port });
			clients.push(client);
			return client;
		},
		stop: async () => {
			for (const client of clients) if (client.status !== 'end') client.disconnect();
			if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
			await exited;
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

function answersPing(port) {
	return new Promise((resolve) => {
		const socket = net.createConnection({ port, host: '127.0.0.1' });
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (reply) => {
			socket.destroy();
			resolve(reply.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
	});
}

/** `INFO commandstats` as { calls: { command: count }, usec: { command: total microseconds } }. */
function commandStats(info) {
	const calls = {};
	const usec = {};
	for (const [, command, count, total] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
		calls[command] = Number(count);
		usec[command] = Number(total);
	}
	return { calls, usec };
}

module.exports = { commandStats, startRedis };
