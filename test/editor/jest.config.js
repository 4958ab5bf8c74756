/**
 * The editor suite: the package in n8n's real editor (the pinned live n8n), driven in headless
 * Chromium over the DevTools protocol. Run with `npm run test:editor`, which builds the package first.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: '<rootDir>/test/editor/environment.js',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.editor.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
	globalSetup: '<rootDir>/test/setup/editor.global-setup.js',
	testTimeout: 10 * 60 * 1000,
};
