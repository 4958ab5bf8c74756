/**
 * The system programs the tests run for real (redis-server, PostgreSQL, Chromium, the compiler
 * n8n's native addons need), found on this machine or installed from Debian's packages.
 *
 * The one place that knows how: the jest globalSetups, the live-n8n scripts and `.ci/run` all come
 * through `ensureSystemPackages`, so the README's `npm install && npm test` provides what CI does.
 * When a program is missing and we are root with `apt-get`, it installs the Debian package (one
 * line of output); otherwise it throws one error naming the packages and the command to run.
 * No dependencies: it runs before anything else is known to work.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');

/** Every program the tests may ask for: how to find it, and which Debian package provides it. */
const SYSTEM_PACKAGES = {
	'redis-server': onPath('redis-server', 'redis-server'),
	// Debian keeps PostgreSQL's server binaries off PATH, one folder per major version.
	postgresql: { debianPackage: 'postgresql', lookedFor: 'no /usr/lib/postgresql/*/bin/postgres', find: newestPostgresBinDir },
	chromium: onPath('chromium', 'chromium'),
	// node-gyp's toolchain, for the first-run rebuild of n8n's native addons (sqlite3, isolated-vm).
	'g++': onPath('g++', 'g++'),
	make: onPath('make', 'make'),
	python3: onPath('python3', 'python3'),
};

const POSTGRES_ROOT = '/usr/lib/postgresql';

function onPath(binary, debianPackage) {
	return { debianPackage, lookedFor: `no ${binary} on PATH`, find: () => findOnPath(binary) };
}

let aptListsUpdated = false;

/**
 * Resolves to `{ [name]: absolute path }` (the binary; PostgreSQL's bin folder) for each name of
 * `SYSTEM_PACKAGES`, installing what is missing when it can. `log` receives the one progress line.
 */
async function ensureSystemPackages(names, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	const unknown = names.filter((name) => !Object.hasOwn(SYSTEM_PACKAGES, name));
	if (unknown.length > 0) {
		throw new Error(`Unknown system package name(s): ${unknown.join(', ')} (known: ${Object.keys(SYSTEM_PACKAGES).join(', ')})`);
	}
	const found = findAll(names);
	const missing = names.filter((name) => !found[name]);
	if (missing.length === 0) return found;

	const debianPackages = [...new Set(missing.map((name) => SYSTEM_PACKAGES[name].debianPackage))];
	const installCommand = `apt-get install -y ${debianPackages.join(' ')}`;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const aptGet = findOnPath('apt-get');
	if (!isRoot || !aptGet) {
		const why = !aptGet ? 'apt-get is not available here' : 'not running as root, so it cannot be installed automatically';
		throw new SystemPackageError(
			`The tests need Debian's package${debianPackages.length > 1 ? 's' : ''} ${debianPackages.join(', ')} ` +
				`(${missing.map((name) => SYSTEM_PACKAGES[name].lookedFor).join(', ')}; ${why}). ` +
				`Install ${debianPackages.length > 1 ? 'them' : 'it'} with \`${isRoot ? '' : 'sudo '}${installCommand}\` (or your system's equivalent) and run the tests again.`,
		);
	}

	const plural = debianPackages.length > 1 ? 's' : '';
	log(`Installing Debian package${plural} ${debianPackages.join(' ')} for the tests (not found on this machine)…`);
	// Several test runs may share the machine: wait for dpkg's lock instead of failing on it.
	const aptOptions = ['-qq', '-o', 'DPkg::Lock::Timeout=300'];
	try {
		if (!aptListsUpdated) {
			await run(aptGet, ['update', ...aptOptions]);
			aptListsUpdated = true;
		}
		await run(aptGet, ['install', '-y', ...aptOptions, ...debianPackages]);
	} catch (error) {
		throw new SystemPackageError(`Installing ${debianPackages.join(' ')} failed (${error.message}). Install it with \`${installCommand}\` and run the tests again.`);
	}

	const afterInstall = findAll(names);
	const stillMissing = names.filter((name) => !afterInstall[name]);
	if (stillMissing.length > 0) {
		throw new SystemPackageError(`${stillMissing.join(', ')} still not found after \`${installCommand}\`.`);
	}
	return afterInstall;
}

/** A message meant to be read as it is: jest prints the stack of a failed globalSetup, so it has none. */
class SystemPackageError extends Error {
	constructor(message) {
		super(message);
		this.name = 'SystemPackageError';
		this.stack = `${this.name}: ${message}`;
	}
}

function findAll(names) {
	return Object.fromEntries(names.map((name) => [name, SYSTEM_PACKAGES[name].find()]));
}

function findOnPath(binary) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const candidate = path.join(dir, binary);
		if (isExecutableFile(candidate)) return candidate;
	}
	return undefined;
}

function newestPostgresBinDir() {
	if (!fs.existsSync(POSTGRES_ROOT)) return undefined;
	const newest = fs
		.readdirSync(POSTGRES_ROOT)
		.filter((version) => isExecutableFile(path.join(POSTGRES_ROOT, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a))[0];
	return newest === undefined ? undefined : path.join(POSTGRES_ROOT, newest, 'bin');
}

function isExecutableFile(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** Runs a command quietly; its output is shown only if it fails. */
function run(command, args) {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{ env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (!error) return resolve();
				const output = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
				reject(new Error(`\`${path.basename(command)} ${args.join(' ')}\` exited with ${error.code}${output ? `:\n${output}` : ''}`));
			},
		);
	});
}

module.exports = { ensureSystemPackages, SYSTEM_PACKAGES };
