/**
 * Installs the built package into an n8n user folder the way n8n's own community-package
 * installer does (CommunityPackagesService.downloadPackage in n8n 2.41), except that the tarball
 * comes from `npm pack` of this repository instead of the registry:
 *   1. `<user folder>/.n8n/nodes/package.json` exists ({ name: 'installed-nodes', private, dependencies });
 *   2. the package folder `nodes/node_modules/<name>` is recreated and the tarball extracted into it;
 *   3. devDependencies, peerDependencies and optionalDependencies are stripped from its package.json;
 *   4. `npm install --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false`
 *      runs inside the package folder (installs runtime dependencies; this package has none);
 *   5. the package is recorded in nodes/package.json's dependencies.
 * n8n then loads it at boot from nodes/node_modules, naming its node types `<package>.<node>`.
 * What n8n does beyond the files, recording the package in its own database, only serves the
 * Settings > Community Nodes list; loading does not depend on it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { repoRoot, packageName } = require('./paths');

const NPM_INSTALL_ARGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

function nodesFolder(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

/** Packs the repository (dist/ must be built) into a tarball in a temporary folder; returns its path. */
function packRepository() {
	if (!fs.existsSync(path.join(repoRoot, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-score-pack-'));
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination, '--loglevel=error'], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(output);
	return path.join(destination, filename);
}

/** Installs the tarball (default: a fresh `npm pack` of this repository) into the user folder. */
function installPackage(userFolder, tarball = packRepository()) {
	const downloadFolder = nodesFolder(userFolder);
	const manifestPath = path.join(downloadFolder, 'package.json');
	fs.mkdirSync(downloadFolder, { recursive: true });
	if (!fs.existsSync(manifestPath)) {
		writeJson(manifestPath, { name: 'installed-nodes', private: true, dependencies: {} });
	}

	const packageDirectory = path.join(downloadFolder, 'node_modules', packageName);
	fs.rmSync(packageDirectory, { recursive: true, force: true });
	fs.mkdirSync(packageDirectory, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDirectory, '--strip-components=1']);

	const packageJsonPath = path.join(packageDirectory, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = readJson(packageJsonPath);
	writeJson(packageJsonPath, packageJson);
	execFileSync('npm', ['install', ...NPM_INSTALL_ARGS, '--loglevel=error'], {
		cwd: packageDirectory,
		stdio: ['ignore', 'ignore', 'pipe'],
		env: { ...process.env, NODE_ENV: 'production' },
	});

	const manifest = readJson(manifestPath);
	writeJson(manifestPath, { ...manifest, dependencies: { ...manifest.dependencies, [packageName]: packageJson.version } });
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	return { packageDirectory, version: packageJson.version };
}

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
	fs.writeFileSync(file, JSON.stringify(value, null, 2), 'utf8');
}

module.exports = { installPackage, packRepository, nodesFolder };
