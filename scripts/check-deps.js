// `npm run deps`: the import rules of .dependency-cruiser.cjs, plus one dependency-cruiser cannot
// express: no cycle between folders (a folder is the directory a file sits in; a file importing a
// file of another folder is an edge from its folder to that one, type-only imports included);
// and README's "Where things live" names every source folder, so the map stays true.
import { cruise } from 'dependency-cruiser';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');
const SOURCES = ['src', 'server', 'cli', 'scripts'];

const { output } = await cruise(SOURCES, { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true });
let failed = false;

for (const violation of output.summary.violations) {
	failed = true;
	console.error(`${violation.rule.name}: ${violation.from} → ${violation.to}`);
}

/** folder → (folder → one file-level import that makes the edge, for the message) */
const edges = new Map();
for (const module of output.modules) {
	if (module.coreModule || module.couldNotResolve || !SOURCES.some((s) => module.source.startsWith(`${s}/`))) continue;
	for (const dependency of module.dependencies) {
		if (dependency.couldNotResolve || dependency.coreModule || dependency.resolved.includes('node_modules')) continue;
		const from = dirname(module.source);
		const to = dirname(dependency.resolved);
		if (from === to) continue;
		if (!edges.has(from)) edges.set(from, new Map());
		if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
	}
}

// Tarjan's strongly connected components: every component of more than one folder is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function visit(folder) {
	index.set(folder, counter);
	low.set(folder, counter++);
	stack.push(folder);
	onStack.add(folder);
	for (const next of edges.get(folder)?.keys() ?? []) {
		if (!index.has(next)) {
			visit(next);
			low.set(folder, Math.min(low.get(folder), low.get(next)));
		} else if (onStack.has(next)) low.set(folder, Math.min(low.get(folder), index.get(next)));
	}
	if (low.get(folder) !== index.get(folder)) return;
	const component = [];
	let member;
	do {
		member = stack.pop();
		onStack.delete(member);
		component.push(member);
	} while (member !== folder);
	if (component.length > 1) components.push(component);
}
for (const folder of edges.keys()) if (!index.has(folder)) visit(folder);

for (const component of components) {
	failed = true;
	const members = new Set(component);
	console.error(`import cycle between folders: ${component.sort().join(', ')}`);
	for (const from of component) for (const [to, example] of edges.get(from) ?? []) if (members.has(to)) console.error(`  ${from} → ${to}   (${example})`);
}

// README's "Where things live" names every source folder: a row per top folder, its subfolders in that row.
const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## Where things live'), readme.indexOf('\n## ', readme.indexOf('## Where things live') + 1));
const rowOf = (folder) => section.split('\n').find((line) => line.includes(`\`${folder}/\``));
const subfolders = (dir) =>
	readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name);
for (const [top, nested] of [...subfolders('src/lib').map((d) => [`src/lib/${d}`, true]), ['server', true], ['cli', true], ['src/routes', false]]) {
	const row = rowOf(top);
	if (!row) {
		failed = true;
		console.error(`README.md "Where things live" has no row for ${top}/`);
		continue;
	}
	if (!nested) continue;
	for (const sub of subfolders(top)) {
		if (!row.includes(`${sub}`)) {
			failed = true;
			console.error(`README.md "Where things live": the row of ${top}/ does not name its folder ${join(top, sub)}/`);
		}
	}
}

const folders = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
if (failed) process.exit(1);
console.log(
	`deps: ${output.summary.totalCruised} modules, ${folders.size} folders, no folder cycles, ${config.forbidden.length} layer rules hold, README names every folder`
);
