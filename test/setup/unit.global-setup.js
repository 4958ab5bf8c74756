/**
 * jest globalSetup of `npm test`: the store and node tests run a real redis-server. Provided here
 * once, before any suite starts, so a machine without it gets it installed or one clear message.
 */
const { ensureSystemPackages } = require('../../scripts/lib/system-packages');

module.exports = async () => {
	await ensureSystemPackages(['redis-server']);
};
