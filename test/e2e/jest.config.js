/**
 * End-to-end tests against a live n8n (the pinned runtime in .n8n-runtime/, installed on first
 * use). Run with `npm run test:e2e`, which builds the package first. Slow: n8n boots twice.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
	// The first run installs n8n (about 6 minutes) before the first boot.
	testTimeout: 15 * 60 * 1000,
};
