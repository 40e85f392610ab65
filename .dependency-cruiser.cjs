/**
 * Import rules checked by `npm run deps` (part of `npm test`), with scripts/check-deps.js's own
 * rule: no import cycle between folders. Paths are from the repository root.
 */
const APP = '^(src|server|cli)/';
const LOGIC = '^src/lib/(stats|ingest|sql|runtime|notebook|inference|contracts|api|format|sandbox)/';

module.exports = {
	forbidden: [
		{
			name: 'pure-statistics',
			comment: 'Statistics run unchanged in Node, workers and the CLI: they import nothing of the app but number formatting.',
			severity: 'error',
			from: { path: '^src/lib/stats/' },
			to: { path: APP, pathNot: '^src/lib/(stats|format)/' }
		},
		{
			name: 'pure-leaves',
			comment: 'The scheduler, the wire contracts and number formatting import nothing of the app.',
			severity: 'error',
			from: { path: '^src/lib/(runtime|contracts|format)/' },
			to: { path: APP, pathNot: '^src/lib/$1/' }
		},
		{
			name: 'logic-without-ui',
			comment: 'Library modules know nothing of components, Svelte state or cell kinds.',
			severity: 'error',
			from: { path: LOGIC },
			to: { path: '^src/lib/(components|state|cells)/|\\.svelte$' }
		},
		{
			name: 'library-without-workers',
			comment: 'Worker entries import library modules, never the other way round (the protocol composes library types).',
			severity: 'error',
			from: { path: LOGIC },
			to: { path: '^src/lib/workers/' }
		},
		{
			name: 'server-without-browser-code',
			comment: "The server shares only pure libraries with the browser (serving builds tensors with the model cell's pre-processing).",
			severity: 'error',
			from: { path: '^server/' },
			to: { path: '^src/lib/', pathNot: '^src/lib/(contracts|stats|format|notebook|sandbox/frame-script|inference/(features|model-uri)\\.ts$)' }
		},
		{
			name: 'browser-without-server',
			comment:
				'Browser code reaches the server over HTTP (src/lib/api on src/lib/contracts); only the SvelteKit hooks and the API routes (and /metrics) mount it.',
			severity: 'error',
			from: { path: '^src/', pathNot: '^src/(hooks\\.server\\.ts|routes/(api|ajax-api|metrics)/)' },
			to: { path: '^server/' }
		},
		{
			name: 'zod-only-in-contracts',
			comment:
				"zod 4 builds its schemas with Function(''), which the pages' Content-Security-Policy refuses: library code that runs in the browser or a worker (statistics, cells) validates by hand; request schemas live in src/lib/contracts/.",
			severity: 'error',
			from: { path: '^src/', pathNot: '^src/lib/contracts/' },
			to: { path: '(^|/)node_modules/zod/' }
		},
		{
			name: 'workers-without-zod',
			comment: "A worker reaches no zod, even through a contract: the CSP refuses its Function('') in the worker too, where the page's checks do not see it.",
			severity: 'error',
			from: { path: '^src/lib/workers/[^/]+\\.worker\\.ts$' },
			to: { path: '(^|/)node_modules/zod/', reachable: true }
		},
		{
			name: 'cli-is-an-entry',
			comment: 'Nothing in the app imports the command line.',
			severity: 'error',
			from: { path: '^(src|server)/' },
			to: { path: '^cli/' }
		}
	],
	options: {
		tsConfig: { fileName: 'tsconfig.json' },
		tsPreCompilationDeps: true,
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '(^|/)(\\.svelte-kit|build)/' },
		enhancedResolveOptions: {
			extensions: ['.ts', '.js', '.svelte'],
			conditionNames: ['import', 'svelte', 'default']
		}
	}
};
