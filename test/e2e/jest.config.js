/**
 * End-to-end tests against a live n8n (the pinned runtime in .n8n-runtime/, installed on first
 * use). Run with `npm run test:e2e`, which builds the package first. Slow: n8n boots three times (twice for live-n8n, once for recalculation).
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
	globalSetup: '<rootDir>/test/setup/e2e.global-setup.js',
	testTimeout: 15 * 60 * 1000,
};
