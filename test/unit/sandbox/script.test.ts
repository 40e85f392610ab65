import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { functionBody, isInputName, workerScript } from '#lib/sandbox/script.ts';

/**
 * Runs a worker script the way a worker would, in a fresh V8 context whose `self` posts back the
 * first message (structured-cloned, like postMessage). The browser path is covered end to end in
 * test/e2e/sandbox.spec.ts.
 */
function runWorkerScript(source: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
	const url = 'blob:null/00000000-test';
	return new Promise((resolve) => {
		const self: Record<string, unknown> = {
			location: { href: url },
			postMessage: (message: unknown) => resolve(structuredClone(message) as Record<string, unknown>)
		};
		vm.runInContext(workerScript(source, Object.keys(inputs)), vm.createContext({ self, setTimeout }), { filename: url });
		(self.onmessage as (event: { data: unknown }) => void)({ data: inputs });
	});
}

describe('functionBody', () => {
	it.each([
		['an expression', 'weekly.length * 2', 'return (weekly.length * 2\n)'],
		['an expression ending in a semicolon and a comment', 'a + b; // sum', 'return (a + b\n); // sum'],
		['a multi-line expression keeps its lines', 'rows\n  .map((r) => r.x)\n  .filter(Boolean)', 'return (rows\n  .map((r) => r.x)\n  .filter(Boolean)\n)'],
		['await', 'await load()', 'return (await load()\n)'],
		['a bare object literal', '{ a: 1, b: [1, 2] }', 'return ({ a: 1, b: [1, 2] }\n)'],
		['an empty object', '{}', 'return ({}\n)'],
		['a block with return', 'const a = 1;\nreturn a', 'const a = 1;\nreturn a'],
		['a real block', '{ const a = 1; return a }', '{ const a = 1; return a }'],
		['several expression statements', 'a()\nb()', 'a()\nb()'],
		['code that does not parse', 'a +', 'a +']
	])('%s', (_, source, body) => {
		expect(functionBody(source)).toBe(body);
	});
});

describe('workerScript', () => {
	it('accepts only identifiers as input names', () => {
		expect(isInputName('weekly')).toBe(true);
		expect(isInputName('$x_1')).toBe(true);
		expect(isInputName('größe')).toBe(true);
		expect(isInputName('1st')).toBe(false);
		expect(isInputName('my-table')).toBe(false);
		expect(isInputName('class')).toBe(false);
		expect(() => workerScript('1', ['my-table'])).toThrow('"my-table" cannot be an input');
	});

	it('returns the value of an expression, with inputs as variables', async () => {
		expect(await runWorkerScript('weekly.length * 2 + k', { weekly: [1, 2, 3], k: 1 })).toEqual({ type: 'value', value: 7 });
	});

	it('returns what a block returns, awaiting on the way', async () => {
		const source = 'const a = await Promise.resolve(1);\nreturn a + weekly.length';
		expect(await runWorkerScript(source, { weekly: [1] })).toEqual({ type: 'value', value: 2 });
	});

	it('reports errors with the line in the cell source', async () => {
		const source = 'const a = 1;\n\nfunction f(x) {\n  return x.y.z\n}\nreturn f({})';
		expect(await runWorkerScript(source, {})).toMatchObject({ type: 'error', name: 'TypeError', line: 4 });
		expect(await runWorkerScript('missing + 1', {})).toMatchObject({ type: 'error', name: 'ReferenceError', line: 1 });
	});

	it('reports thrown non-errors by value', async () => {
		expect(await runWorkerScript('throw "boom"', {})).toEqual({ type: 'error', name: 'Error', message: 'boom' });
		expect(await runWorkerScript('throw { code: 7 }', {})).toEqual({ type: 'error', name: 'Error', message: '{"code":7}' });
	});

	it('says when the value cannot be cloned', async () => {
		const reply = await runWorkerScript('() => 1', {});
		expect(reply.type).toBe('unclonable');
		expect(reply.message).toContain('the cell returned a function');
	});
});
