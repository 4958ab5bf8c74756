/**
 * jest globalSetup of `npm run test:editor`: Debian's Chromium (installed when missing, through
 * scripts/lib/system-packages.js) and the pinned n8n. The browser's path reaches the tests in
 * ENGAGEMENT_SCORE_CHROMIUM (the suite runs in band, in this process).
 */
const { ensureSystemPackages } = require('../../scripts/lib/system-packages');
const { ensureRuntime } = require('../../scripts/lib/runtime');

module.exports = async () => {
	const { chromium } = await ensureSystemPackages(['chromium']);
	process.env.ENGAGEMENT_SCORE_CHROMIUM = chromium;
	await ensureRuntime();
};
