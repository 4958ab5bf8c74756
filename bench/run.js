#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.js against the built package (dist/) in turn and
 * prints one line per measurement. Each bench module exports `async function run(report)`, where
 * report(name, value, unit, target?) prints and records a figure; target is { min } for
 * throughputs and { max } for latencies.
 */
const fs = require('node:fs');
const path = require('node:path');

async function main() {
	const only = process.argv.slice(2);
	const files = fs
		.readdirSync(__dirname)
		.filter((file) => file.endsWith('.bench.js'))
		.filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
		.sort();
	const results = [];
	const report = (name, value, unit, target) => {
		let verdict = '';
		if (target?.min !== undefined) verdict = `  (target >= ${formatNumber(target.min)}: ${value >= target.min ? 'met' : 'NOT met'})`;
		if (target?.max !== undefined) verdict = `  (target <= ${formatNumber(target.max)}: ${value <= target.max ? 'met' : 'NOT met'})`;
		console.log(`${name}: ${formatNumber(value)} ${unit}${verdict}`);
		results.push({ name, value, unit, target });
	};
	console.log(`node ${process.version}, ${require('node:os').cpus().length} cpus`);
	for (const file of files) {
		console.log(`\n# ${file}`);
		await require(path.join(__dirname, file)).run(report);
	}
	return results;
}

function formatNumber(value) {
	return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
