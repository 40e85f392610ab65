/**
 * The names a JavaScript cell reads but does not declare, from the Lezer JavaScript parser that
 * CodeMirror already ships. Scopes follow the language: `var` and parameters belong to the
 * function, `let`/`const`/`class` to the block, a function declaration's name to the block around
 * it, a named function or class expression's name to itself, a catch parameter to its clause.
 *
 * Over-reporting is harmless (the JS cell kind intersects the result with the notebook's cell
 * names); missing a name is a bug. So whenever the tree is unclear (a syntax error, a construct
 * this module does not know) names are reported rather than dropped.
 */
import { parser } from '@lezer/javascript';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * Globals of the ECMAScript standard library and of a dedicated worker (where JS cells run) that a
 * cell never means as another cell. Short words that make plausible cell names (`name`,
 * `location`, `status`, `event`, `origin`, `length`) are deliberately absent.
 */
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
	// ECMAScript
	'globalThis',
	'undefined',
	'NaN',
	'Infinity',
	'arguments',
	'Object',
	'Function',
	'Array',
	'Number',
	'String',
	'Boolean',
	'Symbol',
	'BigInt',
	'Math',
	'JSON',
	'Date',
	'RegExp',
	'Error',
	'AggregateError',
	'EvalError',
	'RangeError',
	'ReferenceError',
	'SyntaxError',
	'TypeError',
	'URIError',
	'Promise',
	'Proxy',
	'Reflect',
	'Map',
	'Set',
	'WeakMap',
	'WeakSet',
	'WeakRef',
	'FinalizationRegistry',
	'ArrayBuffer',
	'SharedArrayBuffer',
	'DataView',
	'Atomics',
	'Int8Array',
	'Uint8Array',
	'Uint8ClampedArray',
	'Int16Array',
	'Uint16Array',
	'Int32Array',
	'Uint32Array',
	'Float16Array',
	'Float32Array',
	'Float64Array',
	'BigInt64Array',
	'BigUint64Array',
	'Intl',
	'Iterator',
	'parseInt',
	'parseFloat',
	'isNaN',
	'isFinite',
	'encodeURI',
	'encodeURIComponent',
	'decodeURI',
	'decodeURIComponent',
	'escape',
	'unescape',
	'eval',
	'WebAssembly',
	// Web APIs present in a dedicated worker
	'self',
	'console',
	'performance',
	'crypto',
	'navigator',
	'fetch',
	'Request',
	'Response',
	'Headers',
	'FormData',
	'URL',
	'URLSearchParams',
	'Blob',
	'File',
	'FileReader',
	'TextEncoder',
	'TextDecoder',
	'AbortController',
	'AbortSignal',
	'DOMException',
	'Event',
	'EventTarget',
	'MessageChannel',
	'setTimeout',
	'clearTimeout',
	'setInterval',
	'clearInterval',
	'queueMicrotask',
	'structuredClone',
	'atob',
	'btoa',
	'ReadableStream',
	'WritableStream',
	'TransformStream',
	'CompressionStream',
	'DecompressionStream',
	'OffscreenCanvas',
	'ImageData',
	'createImageBitmap',
	'postMessage',
	'importScripts',
	'indexedDB',
	'caches'
]);

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration']);
const PATTERN_PARTS = new Set(['ObjectPattern', 'ArrayPattern', 'PatternProperty']);
const KEYWORDS = new Set(
	(
		'break case catch class const continue debugger default delete do else export extends false finally for ' +
		'function if import in instanceof let new null return super switch this throw true try typeof var void ' +
		'while with yield await async of get set static'
	).split(' ')
);

/** A method inside an object literal (`{ m() {} }`, `{ get g() {} }`): a function like any other. */
function isFunction(node: SyntaxNode): boolean {
	return FUNCTIONS.has(node.name) || (node.name === 'Property' && node.getChild('ParamList') !== null);
}

/** The function body block, the script, or a class static block: where `var` lands. */
function varScope(node: SyntaxNode): SyntaxNode {
	for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
		if (n.name === 'Script') return n;
		if (n.name === 'Block' && n.parent && (isFunction(n.parent) || n.parent.name === 'StaticBlock')) return n;
		if (isFunction(n)) return n;
	}
	return node;
}

/** The nearest block-like scope: where `let`, `const`, `class` and function declarations land. */
function blockScope(node: SyntaxNode): SyntaxNode {
	for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
		if (n.name === 'Block' || n.name === 'Script' || n.name === 'SwitchBody' || n.name === 'ForStatement') return n;
		if (isFunction(n)) return n;
	}
	return node;
}

function keywordOf(node: SyntaxNode): string | undefined {
	for (let child = node.firstChild; child; child = child.nextSibling) {
		if (child.name === 'var' || child.name === 'let' || child.name === 'const' || child.name === 'using') return child.name;
	}
	return undefined;
}

/**
 * The scope node a `VariableDefinition` declares into, or `undefined` when it is not a
 * declaration at all (a destructuring assignment `({ a } = b)` writes to an outer `a`).
 */
function declaringScope(definition: SyntaxNode): SyntaxNode | undefined {
	let owner = definition.parent;
	while (owner && PATTERN_PARTS.has(owner.name)) owner = owner.parent;
	if (!owner) return undefined;
	switch (owner.name) {
		case 'VariableDeclaration':
			return keywordOf(owner) === 'var' ? varScope(owner) : blockScope(owner);
		case 'ForInSpec':
		case 'ForOfSpec': {
			const keyword = keywordOf(owner);
			if (!keyword) return undefined;
			return keyword === 'var' ? varScope(owner) : (owner.parent ?? undefined);
		}
		case 'ParamList':
			return owner.parent && isFunction(owner.parent) ? owner.parent : undefined;
		case 'FunctionDeclaration':
		case 'ClassDeclaration':
			return blockScope(owner);
		case 'FunctionExpression':
		case 'ClassExpression':
			return owner;
		case 'CatchClause':
			return owner;
		case 'Script':
		case 'ImportDeclaration':
		case 'ImportGroup':
			return varScope(owner);
		default:
			return undefined;
	}
}

/** Every identifier-looking word outside strings and comments: the fallback for unreadable code. */
function allWords(source: string): FreeReference[] {
	// Blanked to spaces of the same length, so the words keep their places in `source`.
	const blank = (text: string) => ' '.repeat(text.length);
	const code = source
		.replace(/\/\/[^\n]*/g, blank)
		.replace(/\/\*[\s\S]*?\*\//g, blank)
		.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, blank);
	const words: FreeReference[] = [];
	for (const m of code.matchAll(/(?<![\w$.#])[A-Za-z_$][\w$]*/g)) {
		if (!KEYWORDS.has(m[0])) words.push({ name: m[0], from: m.index, to: m.index + m[0].length, shorthand: false });
	}
	return words;
}

/** One place where a cell reads a name it does not declare. */
export interface FreeReference {
	name: string;
	from: number;
	to: number;
	/** A shorthand property, `{ weekly }`: the name is the key as well as the value. */
	shorthand: boolean;
}

/**
 * Every place `source` reads (or assigns) a name without declaring it, standard globals
 * included, in source order. Property names after `.`, object keys, labels and class members
 * are not variables; a shorthand property `{ weekly }` and a template interpolation are reads.
 * Code that does not parse adds every word outside strings and comments.
 */
export function freeReferences(source: string): FreeReference[] {
	const tree = parser.parse(source);
	const scopeKey = (node: SyntaxNode) => `${node.from}:${node.to}:${node.name}`;
	const scopes = new Map<string, Set<string>>();
	const references: { node: SyntaxNode; shorthand: boolean }[] = [];
	let broken = false;

	tree.iterate({
		enter(ref) {
			if (ref.type.isError) broken = true;
			const node = ref.node;
			if (ref.name === 'VariableName') {
				references.push({ node, shorthand: false });
			} else if (ref.name === 'VariableDefinition') {
				const scope = declaringScope(node);
				if (!scope) {
					references.push({ node, shorthand: false });
					return;
				}
				const key = scopeKey(scope);
				let names = scopes.get(key);
				if (!names) scopes.set(key, (names = new Set()));
				names.add(source.slice(node.from, node.to));
			} else if (ref.name === 'PropertyDefinition' && node.parent?.name === 'Property') {
				// `{ weekly }` is `{ weekly: weekly }`: a read.
				let only = true;
				for (let c = node.parent.firstChild; c; c = c.nextSibling) if (c.name !== 'PropertyDefinition') only = false;
				if (only) references.push({ node, shorthand: true });
			}
		}
	});

	const free: FreeReference[] = [];
	for (const { node, shorthand } of references) {
		const name = source.slice(node.from, node.to);
		let bound = false;
		for (let n: SyntaxNode | null = node.parent; n && !bound; n = n.parent) {
			bound = scopes.get(scopeKey(n))?.has(name) ?? false;
		}
		if (!bound) free.push({ name, from: node.from, to: node.to, shorthand });
	}
	if (!broken) return free;
	const found = new Set(free.map((r) => r.from));
	return [...free, ...allWords(source).filter((w) => !found.has(w.from))].sort((a, b) => a.from - b.from);
}

/** The names `source` reads without declaring them, minus standard globals, in order of first appearance. */
export function freeVariables(source: string): string[] {
	const names = freeReferences(source)
		.map((r) => r.name)
		.filter((name) => !STANDARD_GLOBALS.has(name));
	return [...new Set(names)];
}
