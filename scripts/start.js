#!/usr/bin/env node
/**
 * `npm start`: this package in a live n8n on http://localhost:5678 with the demo workflows
 * published. `npm run build` has run before (see package.json). On first run it installs the
 * pinned n8n into .n8n-runtime/ (about 6 minutes); the user folder .n8n-runtime/user keeps
 * workflows, scores and the owner account between runs. Ctrl+C stops n8n.
 *
 * Environment: N8N_PORT (default 5678), ENGAGEMENT_NOTIFY_PORT (default 5680, where this script
 * prints the demo trigger's notifications), N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD (the editor login
 * created on first run).
 */
const { ensureRuntime } = require('./lib/runtime');
const { installPackage } = require('./lib/install-package');
const { startN8n, freePort, isPortFree, PortTakenError } = require('./lib/n8n-process');
const { startNotificationSink } = require('./lib/notification-sink');
const { N8nRestClient } = require('./lib/n8n-rest');
const { installDemoWorkflows, webhookPaths, DEMO_PROFILE_ID, SCORES_DATA_TABLE } = require('./lib/demo');
const { startUserFolder, packageName } = require('./lib/paths');

const port = Number(process.env.N8N_PORT ?? 5678);
const notifyPort = Number(process.env.ENGAGEMENT_NOTIFY_PORT ?? 5680);
const owner = {
	email: process.env.N8N_OWNER_EMAIL ?? 'demo@engagement-score.local',
	password: process.env.N8N_OWNER_PASSWORD ?? 'Engagement-Score-Demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

async function main() {
	for (const [portToCheck, what] of [
		[port, 'n8n editor and webhooks'],
		[notifyPort, 'demo notification inbox'],
	]) {
		if (!(await isPortFree(portToCheck))) throw new PortTakenError(portToCheck, what);
	}
	const runtime = await ensureRuntime((line) => console.log(line));

	const { version } = installPackage(startUserFolder);
	console.log(`Installed ${packageName}@${version} into ${startUserFolder}/.n8n/nodes as a community package.`);

	const sink = await startNotificationSink({
		port: notifyPort,
		onNotification: ({ body }) => console.log(`\n[notification] ${body.text ?? JSON.stringify(body)}`),
	});
	console.log(`Starting n8n on port ${port} (log: ${startUserFolder}/n8n-${port}.log) ...`);
	const n8n = await startN8n(runtime, { userFolder: startUserFolder, port, brokerPort: await freePort() });

	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n ...');
		await n8n.stop();
		await sink.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	n8n.exited.then(({ code }) => {
		if (stopping) return;
		console.error(`n8n exited unexpectedly (code ${code}); see ${n8n.logFile}`);
		void stop(code || 1);
	});

	try {
		const client = new N8nRestClient(n8n.baseUrl);
		await client.ensureOwner(owner).catch((error) => {
			throw new Error(
				`${error.message}\nThis user folder has another owner: set N8N_OWNER_EMAIL and N8N_OWNER_PASSWORD, or delete .n8n-runtime/user to start over.`,
			);
		});
		const created = await installDemoWorkflows(client, n8n.baseUrl, { log: (line) => console.log(line) });
		if (created.length === 0) console.log('The demo workflows are already in this n8n (kept as they are; delete .n8n-runtime/user to start over).');
	} catch (error) {
		console.error(`Setting up the demo failed: ${error.message}`);
		await stop(1);
		return;
	}

	const base = `http://localhost:${port}`;
	console.log(`
n8n ${require('./lib/runtime').N8N_VERSION} is running with ${packageName}.

  Editor:   ${base}/home/workflows
  Login:    ${owner.email} / ${owner.password}

Send an event (the profile "${DEMO_PROFILE_ID}" gives 10 points for an email click):
  curl -s -X POST ${base}/webhook/${webhookPaths.scoreEvent} -H 'content-type: application/json' \\
    -d '{"contactId":"c-1","type":"email_event","properties":{"event":"clicked"}}'

Top contacts by score:
  curl -s '${base}/webhook/${webhookPaths.topContacts}?limit=10'

Every contact's score, kept in step by a workflow: the Data Table "${SCORES_DATA_TABLE.name}"
  ${base}/home/datatables

When a contact reaches 50 points, the trigger workflow posts a notification here (${sink.url}).
Press Ctrl+C to stop.`);
}

main().catch((error) => {
	console.error(error instanceof PortTakenError ? `\n${error.message}` : error);
	process.exit(1);
});
