import { describe, expect, it } from 'vitest';
import { freeVariables } from '#lib/sandbox/free-variables.ts';

const sorted = (source: string) => [...freeVariables(source)].sort();

describe('freeVariables', () => {
	it.each([
		// [what, source, free names]
		['an expression', 'weekly.length * 2', ['weekly']],
		['a block with return', 'const a = 1; return a + weekly.length', ['weekly']],
		['await', 'await fetchRows(events)', ['events', 'fetchRows']],
		['property names after . and ?.', 'a.b.c + d?.e + f?.[g]', ['a', 'd', 'f', 'g']],
		['computed members', 'rows[index].value', ['index', 'rows']],
		['object keys and shorthand', '({ a: b, c, [d]: 1, "e": f, 2: g })', ['b', 'c', 'd', 'f', 'g']],
		['object methods and accessors', '({ m(x) { return x + y }, get g() { return z }, set s(v) { w = v } })', ['w', 'y', 'z']],
		['spread', '({ ...base, list: [...items] })', ['base', 'items']],
		['let/const/var', 'let a = 1; const b = a; var c = b; return c + d', ['d']],
		['declarations read later in the same scope', 'return f(); function f() { return k }', ['k']],
		['var hoists out of a block', 'if (x) { var weekly = 1 } return weekly', ['x']],
		['let stays in its block', 'if (x) { let weekly = 1 } return weekly', ['weekly', 'x']],
		['a parameter shadows only inside its function', 'function f(weekly) { return weekly } return f(1) + weekly.length', ['weekly']],
		['destructured parameters and defaults', 'function f({ a, b: [c, ...d] = e }, g = h, ...i) { return a + c + d + g + i + j }', ['e', 'h', 'j']],
		['parameter defaults do not see the body', 'function f(a = weekly) { var weekly = 1; return a }', ['weekly']],
		['arrow functions', 'rows.map((r, i) => r.x * i + scale).filter(x => x > min)', ['min', 'rows', 'scale']],
		['async arrow with destructuring', 'await Promise.all(list.map(async ({ id }) => load(id)))', ['list', 'load']],
		[
			'destructuring declarations',
			'const { a, b: { c } = def, ...rest } = source; const [x, , y = z] = arr; return a + c + rest + x + y',
			['arr', 'def', 'source', 'z']
		],
		['destructuring assignment writes outer names', '({ a, b: c } = obj); [d, e] = pair', ['a', 'c', 'd', 'e', 'obj', 'pair']],
		['assignment to an undeclared name', 'total = 0', ['total']],
		['catch parameters', 'try { risky() } catch (err) { return err.message + fallback } ', ['fallback', 'risky']],
		['destructured catch parameter', 'try { x() } catch ({ message }) { return message }', ['x']],
		['catch parameter is local to the clause', 'try { x() } catch (e) { } return e', ['e', 'x']],
		['for loops', 'for (let i = 0; i < n; i++) total += rows[i]; for (const r of rows) use(r); for (const k in obj) k', ['n', 'obj', 'rows', 'total', 'use']],
		['for-of with a var', 'for (var r of rows) {} return r', ['rows']],
		['for-in over an outer name', 'for (key in obj) {}', ['key', 'obj']],
		['labels', 'outer: for (const r of rows) { for (;;) { if (r) break outer; continue outer } }', ['rows']],
		['class declarations', 'class A extends Base { #p = seed; static s = 1; m() { return this.#p + A.s + other } } return new A()', ['Base', 'other', 'seed']],
		['class expressions name themselves only', 'const C = class K { m() { return K } }; return K', ['K']],
		['named function expressions name themselves only', 'const f = function g() { return g }; return g', ['g']],
		['function declarations inside blocks', '{ function inner() { return q } inner() } return inner', ['inner', 'q']],
		['template literals', '`${a} and ${b.c} and ${`${d}`}`', ['a', 'b', 'd']],
		['tagged templates', 'html`<p>${x}</p>`', ['html', 'x']],
		['typeof and delete', 'typeof maybe === "undefined" && delete obj.k', ['maybe', 'obj']],
		['switch with block-scoped cases', 'switch (mode) { case a: { const b = 1; return b } default: return c }', ['a', 'c', 'mode']],
		[
			'standard globals are not cells',
			'Math.max(...values) + JSON.stringify(Object.keys(o)) + new Date(t).getTime() + Number(s) + String(u) + console.log(1) + Array.from(v)',
			['o', 's', 't', 'u', 'values', 'v']
		],
		[
			'more globals',
			'new Map(); new Set(); Promise.resolve(); parseInt(x); isNaN(y); undefined; NaN; Infinity; globalThis; structuredClone(z); arguments',
			['x', 'y', 'z']
		],
		[
			'names that are plausible cells are not globals',
			'name + location + status + event + length + origin',
			['event', 'length', 'location', 'name', 'origin', 'status']
		],
		['strings and comments are not names', '"weekly" + \'events\' // monthly\n/* yearly */ + daily', ['daily']],
		['unicode identifiers', 'größe * 2 + $x + _y', ['$x', '_y', 'größe']],
		['regular expressions', '/weekly/.test(text)', ['text']],
		['new.target and this', 'function F() { return new.target && this.x }', []],
		['a nested function reading an outer cell', 'function f() { return () => weekly } return f()()', ['weekly']],
		['shadowing in a nested block only', 'let r = 0; { const weekly = 1; r = weekly } return r + weekly', ['weekly']]
	])('%s', (_, source, expected) => {
		expect(sorted(source)).toEqual([...expected].sort());
	});

	it('lists names in order of first appearance, once', () => {
		expect(freeVariables('b + a + b + c.a')).toEqual(['b', 'a', 'c']);
	});

	it('over-reports rather than misses when the code does not parse', () => {
		const free = freeVariables('const a = weekly.length *\nreturn a + (events');
		expect(free).toEqual(expect.arrayContaining(['weekly', 'events']));
		expect(free).not.toContain('length');
		expect(free).not.toContain('const');
	});
});
