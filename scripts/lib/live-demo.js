/**
 * A throwaway live n8n with the package and the demo workflows, driven only over HTTP:
 * what the e2e tests and the e2e benchmark share. Everything it starts it stops by pid.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ensureRuntime } = require('./runtime');
const { installPackage } = require('./install-package');
const { startN8n, freePort } = require('./n8n-process');
const { startNotificationSink } = require('./notification-sink');
const { N8nRestClient } = require('./n8n-rest');
const { installDemoWorkflows, loadExampleWorkflows, webhookPaths } = require('./demo');
const { scratchDir } = require('./paths');

const OWNER = { email: 'e2e@engagement-score.local', password: 'Engagement-Score-E2e-1', firstName: 'E2E', lastName: 'Owner' };

/**
 * Boots n8n on a fresh user folder with the package and the published demo workflows.
 * extraEnv: n8n settings on top of the defaults (e.g. EXECUTIONS_DATA_SAVE_ON_SUCCESS);
 * skipWorkflows: ids of example workflows not to install.
 */
async function bootDemo({ log = () => {}, extraEnv, skipWorkflows = [] } = {}) {
	const runtime = await ensureRuntime(log);
	fs.mkdirSync(scratchDir, { recursive: true });
	const userFolder = fs.mkdtempSync(path.join(scratchDir, 'n8n-'));
	installPackage(userFolder);
	const sink = await startNotificationSink();
	const demo = {
		runtime,
		userFolder,
		sink,
		n8n: undefined,
		client: undefined,
		get baseUrl() {
			return demo.n8n.baseUrl;
		},
		async start() {
			demo.n8n = await startN8n(runtime, { userFolder, port: await freePort(), brokerPort: await freePort(), extraEnv });
			demo.client = new N8nRestClient(demo.n8n.baseUrl);
			await demo.client.ensureOwner(OWNER);
		},
		/** Stops n8n (by pid) and starts it again on the same user folder; waits for the workflows to be live. */
		async restart() {
			await demo.n8n.stop();
			await demo.start();
			for (const { workflow } of loadExampleWorkflows()) {
				if (!skipWorkflows.includes(workflow.id)) await demo.client.waitUntilPublished(workflow.id);
			}
		},
		async close() {
			try {
				if (demo.n8n) await demo.n8n.stop();
			} finally {
				await sink.close();
			}
		},
		/** Removes the user folder (call after close, when the run passed). */
		removeUserFolder() {
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
		scoreEvent: (event) => postJson(demo.baseUrl, webhookPaths.scoreEvent, event),
		adjust: (body) => postJson(demo.baseUrl, webhookPaths.adjust, body),
		async topContacts(limit = 1000, profileId) {
			const query = new URLSearchParams({ limit: String(limit), ...(profileId ? { profileId } : {}) });
			const response = await fetch(`${demo.baseUrl}/webhook/${webhookPaths.topContacts}?${query}`);
			return { status: response.status, body: await response.json() };
		},
	};
	try {
		await demo.start();
		await installDemoWorkflows(demo.client, demo.baseUrl, { notifyUrl: sink.url, skip: skipWorkflows, log });
	} catch (error) {
		await demo.close();
		throw error;
	}
	return demo;
}

async function postJson(baseUrl, webhookPath, body) {
	const response = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = { unparsed: text };
	}
	return { status: response.status, body: json, receivedAt: Date.now() };
}

module.exports = { bootDemo, OWNER };
