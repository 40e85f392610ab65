/** Import rules checked by `npm run deps` (part of `npm test`). Folder cycles: scripts/check-folder-cycles.js. */
module.exports = {
	forbidden: [],
	options: {
		tsConfig: { fileName: 'tsconfig.json' },
		tsPreCompilationDeps: true,
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '(^|/)(node_modules|\\.svelte-kit|build)/' },
		enhancedResolveOptions: {
			extensions: ['.ts', '.js', '.svelte'],
			conditionNames: ['import', 'svelte', 'default']
		}
	}
};
