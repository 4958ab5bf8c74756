#!/usr/bin/env node
/**
 * Renders docs/data-table.png: the "Engagement Scores" Data Table that the demo workflow
 * examples/6-scores-data-table.json keeps in step with the demo profile, as n8n's UI shows it.
 * Boots a throwaway n8n with the demo, sends a few events to the scoring webhook and one manual
 * adjustment, waits until the table holds every contact's score (read over the REST API), then
 * logs headless Chromium in and captures the table's page.
 * Needs `npm run build` first and Chromium (Debian: apt-get install -y chromium).
 * Usage: node scripts/screenshot-data-table.js [output.png]
 */
const fs = require('node:fs');
const path = require('node:path');
const { bootDemo, OWNER } = require('./lib/live-demo');
const { launchChromium } = require('./lib/cdp');
const { SCORES_DATA_TABLE } = require('./lib/demo');
const { repoRoot } = require('./lib/paths');

const output = path.resolve(process.argv[2] ?? path.join(repoRoot, 'docs', 'data-table.png'));

const clicked = { type: 'email_event', properties: { event: 'clicked' } };
const opened = { type: 'email_event', properties: { event: 'opened' } };
const vip = { type: 'contact_tag', properties: { action: 'added', tag: 'VIP' } };
const form = { type: 'form_submitted', properties: { form: 'demo-request' } };
const booked = { type: 'appointment_booked', properties: { calendar: 'sales' } };
/** Each contact's first change inserts its row, so the rows come out about highest score first. */
const EVENTS_BY_CONTACT = {
	'ann@acme.example': [clicked, opened, vip, form, booked, clicked],
	'cara@initech.example': [vip, clicked, clicked, booked],
	'eve@hooli.example': [form, opened, clicked, clicked, clicked],
	'bob@globex.example': [opened, clicked, form],
	'finn@stark.example': [clicked, booked],
	'dev@umbrella.example': [opened],
};

async function main() {
	const demo = await bootDemo({ log: (line) => console.log(line) });
	let browser;
	try {
		for (const [contactId, events] of Object.entries(EVENTS_BY_CONTACT)) {
			for (const event of events) {
				const { status, body } = await demo.scoreEvent({ contactId, ...event });
				if (status !== 200) throw new Error(`scoring failed (${status}): ${JSON.stringify(body)}`);
			}
		}
		await demo.adjust({ contactId: 'dev@umbrella.example', points: 15, reason: 'Called sales' });

		const table = await demo.client.findDataTable(SCORES_DATA_TABLE.name);
		const projectId = await demo.client.personalProjectId();
		const top = (await demo.topContacts(100)).body.contacts;
		const expected = JSON.stringify(Object.fromEntries(top.map((contact) => [contact.contactId, contact.score])));
		for (let attempt = 0; ; attempt++) {
			const rows = await demo.client.dataTableRows(projectId, table.id);
			const scores = Object.fromEntries(top.map(({ contactId }) => [contactId, rows.find((row) => row.contactId === contactId)?.score]));
			if (JSON.stringify(scores) === expected) break;
			if (attempt > 60) throw new Error(`the data table did not catch up: ${JSON.stringify(scores)} vs ${expected}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}

		browser = await launchChromium({ width: 1800, height: 470 });
		const { page } = browser;
		await page.navigate(`${demo.baseUrl}/signin`);
		const status = await page.evaluate(`(async () => {
			let browserId = localStorage.getItem('n8n-browserId');
			if (!browserId) { browserId = crypto.randomUUID(); localStorage.setItem('n8n-browserId', browserId); }
			const response = await fetch('/rest/login', {
				method: 'POST',
				credentials: 'include',
				headers: { 'content-type': 'application/json', 'browser-id': browserId },
				body: JSON.stringify(${JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password })}),
			});
			return response.status;
		})()`);
		if (status !== 200) throw new Error(`login in the browser failed: ${status}`);

		await page.navigate(`${demo.baseUrl}/projects/${projectId}/datatables/${table.id}`);
		const contacts = Object.keys(EVENTS_BY_CONTACT);
		await page.waitFor(`${JSON.stringify(contacts)}.every((id) => document.body.innerText.includes(id))`);
		// Let the grid settle its column widths.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		fs.mkdirSync(path.dirname(output), { recursive: true });
		fs.writeFileSync(output, await page.screenshotPng());
		console.log(`wrote ${path.relative(process.cwd(), output)}`);
	} finally {
		if (browser) await browser.close();
		await demo.close();
		demo.removeUserFolder();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
