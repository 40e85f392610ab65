import { describe, expect, it } from 'vitest';
import { CancelledError, Runtime, UpstreamError, WaitingError, type CellDefinition } from '#lib/runtime/runtime.ts';

/** A notebook of cells given as `name: inputs`, each computing the sum of its inputs plus its own constant. */
function notebook(spec: Record<string, { inputs?: string[]; value?: number; fail?: boolean; delay?: number }>) {
	const log: string[] = [];
	const definitions = (): CellDefinition[] =>
		Object.entries(spec).map(([name, cell]) => ({
			name,
			key: JSON.stringify(cell),
			inputs: cell.inputs ?? [],
			async run(inputs, { signal }) {
				log.push(name);
				if (cell.delay) await new Promise((r) => setTimeout(r, cell.delay));
				if (signal.aborted) throw new Error('aborted');
				if (cell.fail) throw new Error(`${name} failed`);
				return Object.values(inputs).reduce((a: number, b) => a + (b as number), cell.value ?? 1);
			}
		}));
	return { log, definitions };
}

describe('Runtime', () => {
	it('runs cells in dependency order and computes values', async () => {
		const nb = notebook({ c: { inputs: ['a', 'b'] }, a: {}, b: { inputs: ['a'] } });
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		expect(nb.log.indexOf('a')).toBeLessThan(nb.log.indexOf('b'));
		expect(nb.log.indexOf('b')).toBeLessThan(nb.log.indexOf('c'));
		expect(rt.state('c')).toMatchObject({ status: 'done', value: 4 });
	});

	const rerunCases: Array<{ edit: string; reran: string[] }> = [
		{ edit: 'a', reran: ['a', 'b', 'c', 'd'] },
		{ edit: 'b', reran: ['b', 'd'] },
		{ edit: 'c', reran: ['c', 'd'] },
		{ edit: 'd', reran: ['d'] },
		{ edit: 'e', reran: ['e'] }
	];
	it.each(rerunCases)('editing $edit re-runs exactly $reran', async ({ edit, reran }) => {
		const spec: Record<string, { inputs?: string[]; value?: number }> = {
			a: {},
			b: { inputs: ['a'] },
			c: { inputs: ['a'] },
			d: { inputs: ['b', 'c'] },
			e: {}
		};
		const nb = notebook(spec);
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		nb.log.length = 0;
		spec[edit] = { ...spec[edit], value: 10 };
		rt.define(nb.definitions());
		await rt.idle();
		expect([...nb.log].sort()).toEqual(reran);
	});

	it('runs independent cells concurrently', async () => {
		const nb = notebook({ a: { delay: 50 }, b: { delay: 50 }, c: { inputs: ['a', 'b'] } });
		const rt = new Runtime();
		const started = performance.now();
		rt.define(nb.definitions());
		await rt.idle();
		expect(performance.now() - started).toBeLessThan(95);
		expect(rt.state('c')?.value).toBe(3);
	});

	it('makes errors values: dependents show an upstream error, others keep working', async () => {
		const nb = notebook({ a: { fail: true }, b: { inputs: ['a'] }, c: { inputs: ['b'] }, d: {} });
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		expect(rt.state('a')).toMatchObject({ status: 'error' });
		expect(rt.state('a')?.error?.message).toBe('a failed');
		expect(rt.state('b')?.error).toBeInstanceOf(UpstreamError);
		expect(rt.state('c')?.error?.message).toBe('upstream error in cell "b"');
		expect(rt.state('d')).toMatchObject({ status: 'done', value: 1 });
		expect(nb.log.sort()).toEqual(['a', 'd']);
	});

	it('reports cycles on every cell involved and never hangs', async () => {
		const nb = notebook({ a: { inputs: ['c'] }, b: { inputs: ['a'] }, c: { inputs: ['b'] }, d: { inputs: ['c'] }, e: {} });
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		for (const name of ['a', 'b', 'c']) expect(rt.state(name)?.error?.message).toMatch(/circular definition/);
		expect(rt.state('d')?.error).toBeInstanceOf(UpstreamError);
		expect(rt.state('e')?.status).toBe('done');
		expect(nb.log).toEqual(['e']);
	});

	it('reports duplicate names and unknown inputs', async () => {
		const rt = new Runtime();
		const run = () => 1;
		rt.define([
			{ name: 'x', key: '1', inputs: [], run },
			{ name: 'x', key: '2', inputs: [], run },
			{ name: 'y', key: '3', inputs: ['nope'], run }
		]);
		await rt.idle();
		expect(rt.state('x')?.error?.message).toBe('2 cells are named "x"');
		expect(rt.state('y')?.error?.message).toBe('reads "nope", which no cell defines');
	});

	it('aborts a running cell when its input changes and drops its stale result', async () => {
		const signals: AbortSignal[] = [];
		let source = 1;
		const rt = new Runtime();
		const define = () =>
			rt.define([
				{ name: 'a', key: String(source), inputs: [], run: () => source },
				{
					name: 'slow',
					key: 'slow',
					inputs: ['a'],
					run: async ({ a }, { signal }) => {
						signals.push(signal);
						await new Promise((r) => setTimeout(r, 30));
						return (a as number) * 100;
					}
				}
			]);
		define();
		await new Promise((r) => setTimeout(r, 5));
		expect(rt.state('slow')?.status).toBe('running');
		source = 2;
		define();
		await rt.idle();
		expect(signals[0].aborted).toBe(true);
		expect(signals[1].aborted).toBe(false);
		expect(rt.state('slow')).toMatchObject({ status: 'done', value: 200, runs: 2 });
	});

	it('cancel aborts a running cell, marks it and holds its dependents', async () => {
		let signal: AbortSignal | undefined;
		const rt = new Runtime();
		rt.define([
			{
				name: 'slow',
				key: '1',
				inputs: [],
				run: (_, context) => {
					signal = context.signal;
					return new Promise((resolve) => setTimeout(() => resolve(1), 50));
				}
			},
			{ name: 'after', key: '1', inputs: ['slow'], run: () => 2 }
		]);
		await new Promise((r) => setTimeout(r, 5));
		rt.cancel('slow');
		await rt.idle();
		expect(signal?.aborted).toBe(true);
		expect(rt.state('slow')?.error).toBeInstanceOf(CancelledError);
		expect(rt.state('after')?.error).toBeInstanceOf(UpstreamError);
		await new Promise((r) => setTimeout(r, 60));
		expect(rt.state('slow')?.status).toBe('error');
		rt.rerun('slow');
		await rt.idle();
		expect(rt.state('after')).toMatchObject({ status: 'done', value: 2 });
	});

	it('rerun re-executes one cell and its dependents only', async () => {
		const nb = notebook({ a: {}, b: { inputs: ['a'] }, c: {} });
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		nb.log.length = 0;
		rt.rerun('b');
		await rt.idle();
		expect(nb.log).toEqual(['b']);
	});
});

describe('rerunMany', () => {
	it('re-runs the named cells and their dependents, but leaves the kept ones alone', async () => {
		const runs: string[] = [];
		const runtime = new Runtime();
		let release!: () => void;
		const blocked = new Promise<void>((r) => (release = r));
		runtime.define([
			{ name: 'a', key: '1', inputs: [], run: () => (runs.push('a'), 1) },
			{ name: 'b', key: '1', inputs: ['a'], run: (i) => (runs.push('b'), (i.a as number) + 1) },
			{ name: 'slow', key: '1', inputs: ['a'], run: async () => (runs.push('slow'), await blocked, 'late') }
		]);
		await new Promise((r) => setTimeout(r, 0));
		expect(runtime.state('slow')?.status).toBe('running');
		runs.length = 0;
		runtime.rerunMany(['a', 'b', 'missing'], new Set(['slow']));
		release();
		await runtime.idle();
		expect(runs.sort()).toEqual(['a', 'b']);
		expect(runtime.state('slow')).toMatchObject({ status: 'done', value: 'late', runs: 1 });
		expect(runtime.state('b')).toMatchObject({ status: 'done', value: 2, runs: 2 });
	});
});

describe('a cell waiting for the user', () => {
	/** `file` needs a value that is not there yet; `table` reads it, `report` reads `table`; `other` is independent. */
	function waitingNotebook() {
		let picked: string | undefined;
		const definitions = (): CellDefinition[] => [
			{ name: 'file', key: picked ?? 'none', inputs: [], run: () => picked ?? null },
			{
				name: 'table',
				key: '1',
				inputs: ['file'],
				run: (i) => {
					if (i.file === null) throw new WaitingError('waiting for a file in file — pick it above');
					return `rows of ${i.file as string}`;
				}
			},
			{ name: 'report', key: '1', inputs: ['table'], run: (i) => `report on ${i.table as string}` },
			{ name: 'other', key: '1', inputs: [], run: () => 1 }
		];
		return { definitions, pick: (name: string) => (picked = name) };
	}

	it('stays queued, not failed, with its dependents waiting too; idle() does not wait for the user', async () => {
		const nb = waitingNotebook();
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		const waiting = { cell: 'table', reason: 'waiting for a file in file — pick it above' };
		expect(rt.state('table')).toMatchObject({ status: 'queued', waiting, runs: 1 });
		expect(rt.state('report')).toMatchObject({ status: 'queued', waiting, runs: 0 });
		expect(rt.state('report')?.error).toBeUndefined();
		expect(rt.state('other')).toMatchObject({ status: 'done', value: 1 });
	});

	it('runs, with its dependents, once what it waits for arrives', async () => {
		const nb = waitingNotebook();
		const rt = new Runtime();
		rt.define(nb.definitions());
		await rt.idle();
		nb.pick('people.csv');
		rt.define(nb.definitions());
		await rt.idle();
		expect(rt.state('table')).toMatchObject({ status: 'done', value: 'rows of people.csv', runs: 2 });
		expect(rt.state('report')).toMatchObject({ status: 'done', value: 'report on rows of people.csv', runs: 1 });
		expect(rt.state('report')?.waiting).toBeUndefined();
	});
});

describe('a deferred cell', () => {
	/**
	 * `data` feeds `drift` (slow, released by the test), `features` and the deferred `model`, which
	 * `calibration` reads. Each run is logged as it starts.
	 */
	function modelNotebook() {
		const started: string[] = [];
		let release!: () => void;
		const driftDone = new Promise<void>((r) => (release = r));
		const cell = (name: string, inputs: string[], run: () => unknown, deferred?: boolean): CellDefinition => ({
			name,
			key: '1',
			inputs,
			deferred,
			run: () => (started.push(name), run())
		});
		const definitions = [
			cell('data', [], () => 1),
			cell('model', ['features'], () => 'scores', true),
			cell('drift', ['data'], async () => (await driftDone, 'drifted')),
			cell('features', ['data'], () => 2),
			cell('calibration', ['model'], () => 'calibrated')
		];
		return { started, release, definitions };
	}

	it('starts once no other cell runs, and its dependents run after it', async () => {
		const nb = modelNotebook();
		const runtime = new Runtime();
		runtime.define(nb.definitions);
		await new Promise((r) => setTimeout(r, 0));
		expect(runtime.state('features')?.status).toBe('done');
		expect(runtime.state('drift')?.status).toBe('running');
		expect(runtime.state('model')?.status).toBe('queued');
		expect(nb.started).toEqual(['data', 'drift', 'features']);
		nb.release();
		await runtime.idle();
		expect(nb.started).toEqual(['data', 'drift', 'features', 'model', 'calibration']);
		expect(runtime.state('calibration')).toMatchObject({ status: 'done', value: 'calibrated' });
	});

	it('lets a cell that becomes ready with it start first, whatever their order', async () => {
		const started: string[] = [];
		const runtime = new Runtime();
		let release!: () => void;
		const blocked = new Promise<void>((r) => (release = r));
		runtime.define([
			{ name: 'a', key: '1', inputs: [], run: () => (started.push('a'), 1) },
			{ name: 'model', key: '1', inputs: ['a'], deferred: true, run: () => (started.push('model'), 2) },
			{ name: 'b', key: '1', inputs: ['a'], run: async () => (started.push('b'), await blocked, 3) }
		]);
		await new Promise((r) => setTimeout(r, 0));
		expect(started).toEqual(['a', 'b']);
		release();
		await runtime.idle();
		expect(started).toEqual(['a', 'b', 'model']);
	});
});
