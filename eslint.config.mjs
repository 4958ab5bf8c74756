import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

/**
 * n8n's own community-node rules, in the variant for packages that cannot run on n8n Cloud:
 * the embedded SQLite store needs `node:sqlite` and the file system, which the Cloud variant's
 * restricted-imports/globals rules forbid by design.
 */
const communityNodeRules = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.e2e/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['src/**/*.ts'],
		plugins: communityNodeRules.plugins,
		rules: {
			'@n8n/community-nodes/no-dangerous-functions': 'error',
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['n8n-*', '@n8n/*'], message: 'src/ is the plain engine: it imports nothing from n8n.' }] },
			],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		plugins: communityNodeRules.plugins,
		rules: communityNodeRules.rules,
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
);
