const path = require('path');
const { task, src, dest } = require('gulp');

task('build:icons', copyIconsAndCodex);

/** tsc compiles only TypeScript; n8n also reads each node's icons and codex file from dist/. */
function copyIconsAndCodex() {
	const nodeAssets = path.resolve('nodes', '**', '*.{png,svg,json}');
	const credentialAssets = path.resolve('credentials', '**', '*.{png,svg}');
	src(nodeAssets).pipe(dest(path.resolve('dist', 'nodes')));
	return src(credentialAssets).pipe(dest(path.resolve('dist', 'credentials')));
}
