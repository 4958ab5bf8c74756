/**
 * jest's node environment without Node's global WebSocket, which scripts/lib/cdp.js talks to
 * Chromium with: the sandbox gets the one of the Node running jest.
 */
const { TestEnvironment } = require('jest-environment-node');

class EditorTestEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.global.WebSocket = WebSocket;
	}
}

module.exports = EditorTestEnvironment;
