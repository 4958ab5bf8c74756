/**
 * Where the live-n8n tooling keeps things. Everything lives inside the repository so a fresh
 * clone builds it by itself; both folders are git-ignored.
 */
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const packageJson = require(path.join(repoRoot, 'package.json'));

module.exports = {
	repoRoot,
	packageName: packageJson.name,
	/** n8n's own install, shared by `npm start`, the e2e tests and the e2e benchmark. */
	runtimeDir: path.join(repoRoot, '.n8n-runtime'),
	/** Scratch user folders of e2e tests and benchmarks. */
	scratchDir: path.join(repoRoot, '.e2e'),
	/** The user folder `npm start` keeps between runs, so workflows and scores survive. */
	startUserFolder: path.join(repoRoot, '.n8n-runtime', 'user'),
	examplesDir: path.join(repoRoot, 'examples'),
};
