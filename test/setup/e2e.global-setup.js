/**
 * jest globalSetup of `npm run test:e2e`: the pinned n8n the test boots, installed before any test
 * on the first run (its native addons need a C++ toolchain, which the install provides through
 * scripts/lib/system-packages.js). A later run finds it installed and returns at once.
 */
const { ensureRuntime } = require('../../scripts/lib/runtime');

module.exports = async () => {
	await ensureRuntime();
};
