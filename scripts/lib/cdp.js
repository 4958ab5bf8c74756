/**
 * Just enough of the Chrome DevTools Protocol to drive headless Chromium from Node (which has a
 * WebSocket client built in): start the browser, open a page, evaluate, navigate, screenshot.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--hide-scrollbars',
	'--remote-debugging-port=0',
];

/** Starts Chromium with a fresh profile; resolves to { page, close() }, page being a CDP session. */
async function launchChromium({ executable = 'chromium', width = 1440, height = 900 } = {}) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-chromium-'));
	const child = spawn(executable, [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, `--window-size=${width},${height}`, 'about:blank'], {
		stdio: 'ignore',
		detached: true,
	});
	const exited = new Promise((resolve) => child.on('exit', resolve));
	const close = async () => {
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			// already gone
		}
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
		fs.rmSync(userDataDir, { recursive: true, force: true });
	};
	try {
		const port = await waitForDevToolsPort(userDataDir);
		const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
		const pageTarget = targets.find((target) => target.type === 'page');
		const page = await connect(pageTarget.webSocketDebuggerUrl);
		await page.send('Page.enable');
		await page.send('Runtime.enable');
		await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
		return { page, pid: child.pid, close };
	} catch (error) {
		await close();
		throw error;
	}
}

async function waitForDevToolsPort(userDataDir, timeoutMs = 30_000) {
	const file = path.join(userDataDir, 'DevToolsActivePort');
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (fs.existsSync(file)) {
			const [port] = fs.readFileSync(file, 'utf8').split('\n');
			if (port) return Number(port);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('Chromium did not open its DevTools port');
}

function connect(url) {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url);
		const pending = new Map();
		const listeners = new Set();
		let nextId = 1;
		socket.addEventListener('message', ({ data }) => {
			const message = JSON.parse(data);
			if (message.id !== undefined) {
				const waiter = pending.get(message.id);
				pending.delete(message.id);
				if (message.error) waiter?.reject(new Error(`${message.error.message} (${waiter.method})`));
				else waiter?.resolve(message.result);
			} else {
				for (const listener of listeners) listener(message);
			}
		});
		socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)));
		socket.addEventListener('open', () => {
			const session = {
				send(method, params = {}) {
					const id = nextId++;
					socket.send(JSON.stringify({ id, method, params }));
					return new Promise((resolveCall, rejectCall) => pending.set(id, { resolve: resolveCall, reject: rejectCall, method }));
				},
				/** Evaluates an expression in the page (awaiting a promise); returns its JSON value. */
				async evaluate(expression) {
					const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
						expression,
						awaitPromise: true,
						returnByValue: true,
					});
					if (exceptionDetails) throw new Error(`page script failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
					return result.value;
				},
				async navigate(pageUrl) {
					const loaded = new Promise((resolveLoad) => {
						const listener = (message) => {
							// Leaving a workflow with unsaved changes: the editor's beforeunload prompt would hold the navigation forever.
							if (message.method === 'Page.javascriptDialogOpening' && message.params?.type === 'beforeunload') {
								session.send('Page.handleJavaScriptDialog', { accept: true }).catch(() => {});
							}
							if (message.method === 'Page.loadEventFired') {
								listeners.delete(listener);
								resolveLoad();
							}
						};
						listeners.add(listener);
					});
					await session.send('Page.navigate', { url: pageUrl });
					await loaded;
				},
				/** Polls a page expression until it is truthy. */
				async waitFor(expression, timeoutMs = 30_000) {
					const deadline = Date.now() + timeoutMs;
					while (Date.now() < deadline) {
						if (await session.evaluate(expression)) return;
						await new Promise((resolveWait) => setTimeout(resolveWait, 250));
					}
					throw new Error(`page never satisfied: ${expression}`);
				},
				async screenshotPng(options = {}) {
					const { data } = await session.send('Page.captureScreenshot', { format: 'png', ...options });
					return Buffer.from(data, 'base64');
				},
			};
			resolve(session);
		});
	});
}

module.exports = { launchChromium };
