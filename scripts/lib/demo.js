/**
 * The demo workflows of examples/ in a running n8n: created through the editor's REST API (as an
 * import by hand would), published, and the demo score profile set up by its workflow.
 */
const fs = require('node:fs');
const path = require('node:path');
const { examplesDir } = require('./paths');

/** The URL the notification step of examples/2-notify-hot-leads.json posts to as shipped. */
const SHIPPED_NOTIFY_URL = 'http://127.0.0.1:5680/engagement-notifications';
const DEMO_PROFILE_ID = 'lead-score';
const SETUP_WORKFLOW_ID = 'EngScoreProfile1';
const DATA_TABLE_WORKFLOW_ID = 'EngScoreDataTbl1';

/** The n8n Data Table that examples/6-scores-data-table.json keeps in step with the demo profile. */
const SCORES_DATA_TABLE = {
	name: 'Engagement Scores',
	columns: [
		{ name: 'contactId', type: 'string' },
		{ name: 'score', type: 'number' },
		{ name: 'previousScore', type: 'number' },
		{ name: 'delta', type: 'number' },
		{ name: 'cause', type: 'string' },
		{ name: 'changedAt', type: 'date' },
		{ name: 'changeSeq', type: 'number' },
	],
};

const webhookPaths = {
	scoreEvent: 'engagement-score/event',
	topContacts: 'engagement-score/top-contacts',
	adjust: 'engagement-score/adjust',
	setupProfile: 'engagement-score/setup-demo-profile',
};

/**
 * The example workflows, with the notification step pointed at notifyUrl; `transform` may return
 * a changed copy of each (e.g. switched to another store).
 */
function loadExampleWorkflows({ notifyUrl = SHIPPED_NOTIFY_URL, transform = (workflow) => workflow } = {}) {
	return fs
		.readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
			for (const node of workflow.nodes) {
				if (node.parameters?.url === SHIPPED_NOTIFY_URL) node.parameters.url = notifyUrl;
			}
			return { file, workflow: transform(workflow) };
		});
}

/**
 * Creates and publishes every example workflow the instance does not have yet (existing ones are
 * left alone: the user may have edited them), then sets up the demo profile if its workflow was
 * new. Returns the ids of the workflows created. `skip`: ids of example workflows to leave out.
 */
async function installDemoWorkflows(client, baseUrl, { notifyUrl, transform, skip = [], log = () => {} } = {}) {
	const created = [];
	// The files are numbered so the profile's workflow (0-...) comes first: the trigger workflow
	// can only be published once the profile it watches exists.
	for (const { file, workflow } of loadExampleWorkflows({ notifyUrl, transform })) {
		if (skip.includes(workflow.id) || (await client.workflowExists(workflow.id))) continue;
		if (workflow.id === DATA_TABLE_WORKFLOW_ID) await useScoresDataTable(client, workflow, log);
		const saved = await client.createWorkflow(workflow);
		await client.publishWorkflow(saved.id, saved.versionId);
		await client.waitUntilPublished(saved.id, saved.versionId);
		log(`  published ${file}: "${workflow.name}"`);
		created.push(saved.id);
		if (saved.id === SETUP_WORKFLOW_ID) await setUpDemoProfile(baseUrl, log);
	}
	return created;
}

/**
 * Creates the demo's data table in the user's personal project unless it exists, and points the
 * workflow's Data Table node at it by id (the file names it, for an import by hand).
 */
async function useScoresDataTable(client, workflow, log) {
	let table = await client.findDataTable(SCORES_DATA_TABLE.name);
	if (!table) {
		table = await client.createDataTable(await client.personalProjectId(), SCORES_DATA_TABLE);
		log(`  created the data table "${table.name}" (${table.id})`);
	}
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.dataTable') continue;
		node.parameters.dataTableId = { __rl: true, mode: 'list', value: table.id, cachedResultName: table.name };
	}
	return table;
}

async function setUpDemoProfile(baseUrl, log) {
	const response = await fetch(`${baseUrl}/webhook/${webhookPaths.setupProfile}`, { method: 'POST' });
	const body = await response.json();
	if (!response.ok || body.id !== DEMO_PROFILE_ID || body.status !== 'published') {
		throw new Error(`Setting up the demo profile failed (${response.status}): ${JSON.stringify(body)}`);
	}
	log(`  created and published the score profile "${body.name}" (${body.id}) with ${body.publishedRules.length} rules`);
}

module.exports = {
	loadExampleWorkflows,
	installDemoWorkflows,
	webhookPaths,
	DEMO_PROFILE_ID,
	SHIPPED_NOTIFY_URL,
	SCORES_DATA_TABLE,
	DATA_TABLE_WORKFLOW_ID,
};
