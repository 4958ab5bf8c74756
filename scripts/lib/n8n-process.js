/**
 * Starts and stops one n8n process of the pinned runtime, on a given user folder and port.
 * The caller owns the process: stop() ends it by its pid (and its task runner, which n8n starts
 * in the same process group).
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

class PortTakenError extends Error {
	constructor(port, what) {
		super(
			`Port ${port} (${what}) is already in use on this machine. Stop whatever listens there ` +
				`(\`ss -ltnp | grep :${port}\` shows it) or choose another port, e.g. N8N_PORT=${port + 10} npm start.`,
		);
		this.name = 'PortTakenError';
		this.port = port;
	}
}

/** Resolves true when nothing listens on the port (n8n listens on all interfaces, so test that). */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
	});
}

/** A port the operating system says is free right now (never 5678/5679, n8n's defaults). */
async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.once('error', reject);
			server.listen({ port: 0, host: '127.0.0.1' }, () => {
				const { port: chosen } = server.address();
				server.close(() => resolve(chosen));
			});
		});
		if (port !== 5678 && port !== 5679) return port;
	}
}

/**
 * Environment for a quiet, offline, local n8n. The runtime's Node comes first on PATH because n8n
 * starts its task runner as plain `node`.
 */
function n8nEnvironment({ runtime, userFolder, port, brokerPort, extra = {} }) {
	return {
		PATH: `${path.dirname(runtime.nodeBinary)}${path.delimiter}${process.env.PATH}`,
		HOME: process.env.HOME,
		TZ: process.env.TZ ?? 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_HOST: 'localhost',
		N8N_LISTEN_ADDRESS: '0.0.0.0',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Apply publications at once instead of on the next 15 s outbox poll.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

/**
 * Starts `n8n start` and resolves once it answers /healthz/readiness.
 * Returns { pid, port, baseUrl, logFile, stop() }.
 */
async function startN8n(runtime, { userFolder, port, brokerPort, extraEnv, echo = false, timeoutMs = 180_000 }) {
	if (!(await isPortFree(port))) throw new PortTakenError(port, 'n8n editor and webhooks');
	if (!(await isPortFree(brokerPort))) throw new PortTakenError(brokerPort, "n8n's task broker");
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, `n8n-${port}.log`);
	const log = fs.openSync(logFile, 'a');
	const child = spawn(runtime.nodeBinary, [runtime.n8nBin, 'start'], {
		env: n8nEnvironment({ runtime, userFolder, port, brokerPort, extra: extraEnv }),
		stdio: ['ignore', echo ? 'inherit' : log, echo ? 'inherit' : log],
		detached: true,
	});
	fs.closeSync(log);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const handle = {
		pid: child.pid,
		port,
		baseUrl,
		logFile,
		exited: exitPromise,
		stop: () => stopProcess(child.pid, exitPromise, () => exited !== null),
	};
	try {
		await waitUntilReady(baseUrl, () => exited, timeoutMs);
	} catch (error) {
		await handle.stop();
		const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
		throw new Error(`${error.message}\n--- n8n log (${logFile}) ---\n${tail}`);
	}
	return handle;
}

async function waitUntilReady(baseUrl, exitedState, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const exited = exitedState();
		if (exited) throw new Error(`n8n exited before it was ready (code ${exited.code}, signal ${exited.signal})`);
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}

/** SIGTERM to the process group led by pid (n8n shuts down gracefully), SIGKILL if it lingers. */
async function stopProcess(pid, exitPromise, hasExited, graceMs = 20_000) {
	if (!hasExited()) signalGroup(pid, 'SIGTERM');
	const timedOut = await Promise.race([
		exitPromise.then(() => false),
		new Promise((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
	]);
	if (timedOut) {
		signalGroup(pid, 'SIGKILL');
		await exitPromise;
	}
	// The task runner belongs to the same group; make sure nothing of it outlives n8n.
	signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

module.exports = { startN8n, freePort, isPortFree, PortTakenError, n8nEnvironment, waitUntilReady, stopProcess };
