#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.js against the built package (dist/) in turn and
 * prints one line per measurement. Each bench module exports `async function run(report)`, where
 * report(name, value, unit, target?) prints and records a figure; target is { min } for
 * throughputs and { max } for latencies, with { floor } for a throughput that must never fall
 * below a figure measured before, and { exactly } for a total that must come out exact.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

async function main() {
	const [first, ...rest] = process.argv.slice(2);
	if (first === '--only-file') return await runFile(rest[0]);
	const only = first === undefined ? [] : [first, ...rest];
	const files = fs
		.readdirSync(__dirname)
		.filter((file) => file.endsWith('.bench.js'))
		.filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
		.sort();
	console.log(`node ${process.version}, ${require('node:os').cpus().length} cpus`);
	// Each bench file in a process of its own, so that no benchmark pays for another's heap.
	for (const file of files) {
		console.log(`\n# ${file}`);
		const { status } = spawnSync(process.execPath, [__filename, '--only-file', file], { stdio: 'inherit' });
		if (status !== 0) throw new Error(`${file} failed (exit ${status})`);
	}
}

async function runFile(file) {
	const report = (name, value, unit, target) => {
		const verdicts = [];
		const met = (ok) => (ok ? 'met' : 'NOT met');
		if (target?.min !== undefined) verdicts.push(`target >= ${formatNumber(target.min)}: ${met(value >= target.min)}`);
		if (target?.max !== undefined) verdicts.push(`target <= ${formatNumber(target.max)}: ${met(value <= target.max)}`);
		if (target?.exactly !== undefined) verdicts.push(`must be exactly ${formatNumber(target.exactly)}: ${met(value === target.exactly)}`);
		if (target?.floor !== undefined) verdicts.push(`never below ${formatNumber(target.floor)}: ${met(value >= target.floor)}`);
		const verdict = verdicts.length === 0 ? '' : `  (${verdicts.join('; ')})`;
		console.log(`${name}: ${formatNumber(value)} ${unit}${verdict}`);
	};
	await require(path.join(__dirname, file)).run(report);
	// Some benches leave pooled connections or timers behind; the figures are printed.
	process.exit(0);
}

function formatNumber(value) {
	return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
