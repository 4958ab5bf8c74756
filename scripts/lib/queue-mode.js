/**
 * n8n in queue mode on one machine, the way a team scales it out: one main (`n8n start`: editor,
 * webhooks, triggers) and several workers (`n8n worker`) that run the executions the main puts on
 * a Bull queue in Redis, all sharing one PostgreSQL database. n8n warns that scaling mode is not
 * supported with SQLite, so a throwaway PostgreSQL cluster is started in a temp dir.
 *
 * Each process gets its own user folder with the package installed (as separate containers would
 * have); they share the encryption key so workers can decrypt the credentials the main stored.
 * Every process started here is stopped by its own pid.
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { spawn, execFileSync } = require('node:child_process');
const { installPackage, packRepository } = require('./install-package');
const { startN8n, freePort, n8nEnvironment, waitUntilReady, stopProcess } = require('./n8n-process');
const { ensureSystemPackages } = require('./system-packages');

const PACKAGE_NODE_PREFIX = 'n8n-nodes-engagement-score.';
const REDIS_CREDENTIAL_TYPE = 'engagementScoreRedisApi';

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * PostgreSQL refuses to run as root. When we are root, the cluster belongs to the `postgres`
 * system user (created by Debian's package) and its processes run as that user.
 */
function postgresIdentity() {
	if (process.getuid() !== 0) return {};
	const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
	try {
		return { uid: id('-u'), gid: id('-g') };
	} catch {
		throw new Error('Running as root, PostgreSQL needs the `postgres` system user (Debian\'s postgresql package creates it)');
	}
}

/**
 * Starts a throwaway PostgreSQL cluster on a free loopback port in a temp dir. Durability is
 * switched off (fsync, synchronous commit): the cluster lives as long as one test run.
 * Returns { pid, port, database, user, password, env (n8n's DB_* settings), stop() }.
 */
async function startPostgres({ log = () => {} } = {}) {
	const { postgresql: binDir } = await ensureSystemPackages(['postgresql'], { log });
	const identity = postgresIdentity();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-pg-'));
	const dataDir = path.join(dir, 'data');
	if (identity.uid !== undefined) fs.chownSync(dir, identity.uid, identity.gid);
	const user = 'n8n';
	const password = randomBytes(12).toString('hex');
	const passwordFile = path.join(dir, 'password');
	fs.writeFileSync(passwordFile, password, { mode: 0o600 });
	if (identity.uid !== undefined) fs.chownSync(passwordFile, identity.uid, identity.gid);
	execFileSync(
		path.join(binDir, 'initdb'),
		['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync'],
		{ ...identity, stdio: ['ignore', 'ignore', 'pipe'] },
	);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const logFd = fs.openSync(logFile, 'a');
	if (identity.uid !== undefined) fs.fchownSync(logFd, identity.uid, identity.gid);
	const child = spawn(
		path.join(binDir, 'postgres'),
		[
			'-D', dataDir,
			'-p', String(port),
			'-c', 'listen_addresses=127.0.0.1',
			'-c', `unix_socket_directories=${dir}`,
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=100',
		],
		{ ...identity, stdio: ['ignore', logFd, logFd] },
	);
	fs.closeSync(logFd);
	let exited = null;
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	const stop = async () => {
		// SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, exit.
		if (!exited) {
			try {
				process.kill(child.pid, 'SIGINT');
			} catch {
				// already gone
			}
		}
		const timedOut = await Promise.race([
			exitPromise.then(() => false),
			new Promise((resolve) => setTimeout(() => resolve(true), 15_000).unref()),
		]);
		if (timedOut) {
			try {
				process.kill(child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await exitPromise;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitForPort(port, () => exited, 30_000);
		execFileSync(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, 'n8n'], {
			env: { ...process.env, PGPASSWORD: password },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} catch (error) {
		await stop();
		throw new Error(`PostgreSQL did not start: ${error.message}\n${readTail(logFile)}`);
	}
	log(`  PostgreSQL (pid ${child.pid}) on 127.0.0.1:${port}`);
	return {
		pid: child.pid,
		port,
		database: 'n8n',
		user,
		password,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		},
		stop,
	};
}

function waitForPort(port, exitedState, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const attempt = () => {
			if (exitedState()) return reject(new Error(`the process exited (${JSON.stringify(exitedState())})`));
			if (Date.now() > deadline) return reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
			const socket = net.createConnection({ port, host: '127.0.0.1' });
			socket.once('connect', () => {
				socket.destroy();
				resolve();
			});
			socket.once('error', () => setTimeout(attempt, 100));
		};
		attempt();
	});
}

function readTail(file, chars = 3000) {
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-chars) : '';
}

// ---------------------------------------------------------------------------------------------
// n8n main + workers

/**
 * The settings every process of the cluster shares: queue mode on Redis, PostgreSQL, one
 * encryption key. Worker locks are short so that a job of a killed worker is declared stalled
 * within seconds rather than n8n's default minute.
 */
function queueEnvironment({ redis, postgres, encryptionKey, extraEnv = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_REDIS_DB: String(redis.queueDatabase ?? 0),
		QUEUE_WORKER_LOCK_DURATION: '15000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		N8N_ENCRYPTION_KEY: encryptionKey,
		...postgres.env,
		...extraEnv,
	};
}

/**
 * Starts `n8n worker` and resolves once its health server answers /healthz/readiness (it then
 * has its database and Redis connections). Returns { pid, name, logFile, exited, stop(), kill() }.
 */
async function startWorker(runtime, { name, userFolder, env, concurrency, timeoutMs = 180_000 }) {
	const healthPort = await freePort();
	const brokerPort = await freePort();
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, `${name}.log`);
	const logFd = fs.openSync(logFile, 'a');
	const child = spawn(runtime.nodeBinary, [runtime.n8nBin, 'worker', `--concurrency=${concurrency}`], {
		env: {
			...n8nEnvironment({ runtime, userFolder, port: healthPort, brokerPort, extra: env }),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
		stdio: ['ignore', logFd, logFd],
		// Its own process group, holding its task runner too: stop() and kill() end both.
		detached: true,
	});
	fs.closeSync(logFd);
	let exited = null;
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	const handle = {
		name,
		pid: child.pid,
		logFile,
		exited: exitPromise,
		isRunning: () => exited === null,
		stop: () => stopProcess(child.pid, exitPromise, () => exited !== null),
		/** A crash: SIGKILL to the worker's process group, no graceful shutdown, no job handed back. */
		async kill() {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await exitPromise;
		},
	};
	try {
		await waitUntilReady(`http://127.0.0.1:${healthPort}`, () => exited, timeoutMs);
	} catch (error) {
		await handle.stop();
		throw new Error(`${error.message}\n--- ${name} log (${logFile}) ---\n${readTail(logFile)}`);
	}
	return handle;
}

/**
 * Boots the cluster: main first (it runs the database migrations), then the workers. Each
 * process has a user folder under baseFolder with the package installed from one `npm pack`.
 * Returns { main, workers, userFolders, startWorker(name), stop() }.
 */
async function startQueueCluster(runtime, { baseFolder, redis, postgres, workers = 2, concurrency = 10, extraEnv, log = () => {} }) {
	const encryptionKey = randomBytes(24).toString('hex');
	const env = queueEnvironment({ redis, postgres, encryptionKey, extraEnv });
	const tarball = packRepository();
	const prepareFolder = (name) => {
		const folder = path.join(baseFolder, name);
		// installPackage removes the tarball's folder when done: give it a copy of its own.
		const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-pack-'));
		const copy = path.join(copyDir, path.basename(tarball));
		fs.copyFileSync(tarball, copy);
		installPackage(folder, copy);
		return folder;
	};
	const cluster = {
		main: undefined,
		workers: [],
		/** Starts one more worker (e.g. a replacement after a crash). */
		async startWorker(name) {
			const worker = await startWorker(runtime, { name, userFolder: prepareFolder(name), env, concurrency });
			cluster.workers.push(worker);
			log(`  ${name} (pid ${worker.pid}) is ready`);
			return worker;
		},
		/** Stops every worker, then the main, each by its pid; tolerates ones already gone. */
		async stop() {
			const errors = [];
			await Promise.all(cluster.workers.map((worker) => worker.stop().catch((error) => errors.push(error))));
			if (cluster.main) await cluster.main.stop().catch((error) => errors.push(error));
			if (errors.length > 0) throw errors[0];
		},
	};
	try {
		const mainFolder = prepareFolder('main');
		cluster.main = await startN8n(runtime, {
			userFolder: mainFolder,
			port: await freePort(),
			brokerPort: await freePort(),
			extraEnv: env,
		});
		log(`  main (pid ${cluster.main.pid}) answers on ${cluster.main.baseUrl}`);
		for (let index = 1; index <= workers; index++) await cluster.startWorker(`worker-${index}`);
	} catch (error) {
		await cluster.stop().catch(() => undefined);
		throw error;
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	return cluster;
}

// ---------------------------------------------------------------------------------------------
// Workflows on the Redis store

/** The credential's fields as the Engagement Score Redis credential type names them. */
function redisCredentialData({ host, port, database = 0, keyPrefix = 'engagement-score:', eventIdRetentionDays = 30 }) {
	return { host, port, database, user: '', password: '', tls: false, ignoreTlsErrors: false, keyPrefix, eventIdRetentionDays };
}

/**
 * A copy of an example workflow whose Engagement Score nodes use the Redis store with the given
 * credential ({ id, name }), as a user switches the Store option and picks a credential.
 */
function withRedisStore(workflow, credential) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (!node.type.startsWith(PACKAGE_NODE_PREFIX)) continue;
		node.parameters = { ...node.parameters, store: 'redis' };
		node.credentials = { ...node.credentials, [REDIS_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	}
	return copy;
}

module.exports = {
	startPostgres,
	startQueueCluster,
	queueEnvironment,
	redisCredentialData,
	withRedisStore,
	REDIS_CREDENTIAL_TYPE,
};
