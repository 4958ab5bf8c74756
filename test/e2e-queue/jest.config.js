/**
 * The queue-mode end-to-end test (issue 4): a real n8n main and two `n8n worker` processes on
 * PostgreSQL, Redis as the queue and as the score store. Run with `npm run test:e2e-queue`, which
 * builds the package first. Slow (several minutes): it posts 20,000 events through n8n.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
	globalSetup: '<rootDir>/test/setup/e2e-queue.global-setup.js',
	testTimeout: 20 * 60 * 1000,
};
