import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const SOURCE_ROOT = join(__dirname, '..', '..', 'src');

/**
 * Child processes run plain JavaScript, not jest: this writes `src/` transpiled to CommonJS into
 * a fresh temp folder (types are erased, nothing is checked) and returns that folder, holding
 * `src/...js` with the same layout, and a link to the package's node_modules for what src imports (luxon).
 */
export function compileSourceForChildProcesses(): string {
	const outputRoot = mkdtempSync(join(tmpdir(), 'engagement-src-'));
	symlinkSync(join(SOURCE_ROOT, '..', 'node_modules'), join(outputRoot, 'node_modules'), 'dir');
	for (const file of typeScriptFilesUnder(SOURCE_ROOT)) {
		const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: file,
		});
		const target = join(outputRoot, 'src', relative(SOURCE_ROOT, file)).replace(/\.ts$/, '.js');
		mkdirSync(dirname(target), { recursive: true });
		writeFileSync(target, outputText);
	}
	return outputRoot;
}

function typeScriptFilesUnder(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return typeScriptFilesUnder(path);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
	});
}
