/**
 * jest globalSetup of `npm run test:e2e-queue`: queue mode runs a real redis-server (queue and score
 * store) and a throwaway PostgreSQL cluster, and the pinned n8n. Provided before any test starts,
 * so a machine without them gets them installed or one clear message.
 */
const { ensureRuntime } = require('../../scripts/lib/runtime');
const { ensureSystemPackages } = require('../../scripts/lib/system-packages');

module.exports = async () => {
	await ensureSystemPackages(['redis-server', 'postgresql']);
	await ensureRuntime();
};
