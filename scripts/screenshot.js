#!/usr/bin/env node
/**
 * Renders docs/workflows.png: the demo workflows as n8n's editor shows them, with this package's
 * nodes on the canvas. Boots a throwaway n8n (fresh user folder, owner account created through
 * the REST API), logs headless Chromium in, captures four workflows' canvases and lays them out
 * on one image.
 * Needs `npm run build` first and Chromium (Debian: apt-get install -y chromium).
 * Usage: node scripts/screenshot.js [output.png]
 */
const fs = require('node:fs');
const path = require('node:path');
const { bootDemo, OWNER } = require('./lib/live-demo');
const { launchChromium } = require('./lib/cdp');
const { repoRoot } = require('./lib/paths');

const output = path.resolve(process.argv[2] ?? path.join(repoRoot, 'docs', 'workflows.png'));
const SHOWN = [
	{ id: 'EngScoreEvents01', nodes: 4 },
	{ id: 'EngScoreHotLead1', nodes: 2 },
	{ id: 'EngScoreDecay001', nodes: 2 },
	{ id: 'EngScoreTopList1', nodes: 4 },
];

async function main() {
	const demo = await bootDemo({ log: (line) => console.log(line) });
	let browser;
	try {
		browser = await launchChromium({ width: 1100, height: 560 });
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

		const shots = [];
		for (const { id, nodes } of SHOWN) {
			await page.navigate(`${demo.baseUrl}/workflow/${id}`);
			await page.waitFor(`document.querySelectorAll('.vue-flow__node').length >= ${nodes}`);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			// The editor's "Production Checklist" popover would cover half the canvas.
			await page.evaluate(`(() => {
				const title = [...document.querySelectorAll('body *')]
					.find((element) => element.children.length === 0 && element.textContent.trim() === 'Production Checklist');
				let panel = title;
				while (panel && panel.parentElement && panel.getBoundingClientRect().height < 150) panel = panel.parentElement;
				if (panel) panel.style.display = 'none';
				return Boolean(panel);
			})()`);
			// Let the canvas fit the view and the node icons load.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const name = await page.evaluate(`document.title`);
			shots.push({ name, png: await page.screenshotPng() });
			console.log(`  captured ${id}: ${name}`);
		}

		const html = `<!doctype html><html><body style="margin:0;background:#e9ecf1;font:15px system-ui,sans-serif">
			<div style="display:grid;grid-template-columns:1fr 1fr;gap:14px;padding:14px">
			${shots
				.map(
					({ png }) =>
						`<div style="background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 3px #0003">
						<img style="display:block;width:100%" src="data:image/png;base64,${png.toString('base64')}"></div>`,
				)
				.join('')}
			</div></body></html>`;
		const htmlFile = path.join(demo.userFolder, 'workflows.html');
		fs.writeFileSync(htmlFile, html);
		await page.send('Emulation.setDeviceMetricsOverride', { width: 1800, height: 960, deviceScaleFactor: 1, mobile: false });
		await page.navigate(`file://${htmlFile}`);
		const height = await page.evaluate('document.body.scrollHeight');
		await page.send('Emulation.setDeviceMetricsOverride', { width: 1800, height, deviceScaleFactor: 1, mobile: false });
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
