import {
	DateDay,
	Decimal,
	Field,
	Float64,
	Int32,
	Int64,
	List,
	makeData,
	makeVector,
	Struct,
	Table,
	tableFromArrays,
	TimestampMicrosecond,
	Utf8,
	vectorFromArray
} from 'apache-arrow';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CellServices } from '#lib/cells/core/types.ts';
import type { CellSpec } from '#lib/notebook/format.ts';
import type { TableRef } from '#lib/sql/connector.ts';

vi.mock('#lib/sandbox/sandbox.ts', async (importOriginal) => ({
	...(await importOriginal<typeof import('#lib/sandbox/sandbox.ts')>()),
	runSandboxed: vi.fn()
}));

const { jsCell, MAX_INPUT_ROWS, plainValue, sandboxInputs, tableRows, UNTRUSTED_MESSAGE } = await import('#lib/cells/js/js.ts');
const { runSandboxed, SandboxError } = await import('#lib/sandbox/sandbox.ts');
const sandbox = vi.mocked(runSandboxed);

const cell = (source: string, name = 'result', attrs: Record<string, string> = {}): CellSpec => ({ kind: 'js', name, attrs, source });

function tableRef(name: string, table: Table, rowCount = table.numRows): TableRef {
	return { name, rowCount, columns: [], preview: table.slice(0, 100) };
}

function fakeServices(tables: Record<string, Table>, trusted = true) {
	const queries: string[] = [];
	const services = {
		db: async () => ({
			query: async (sql: string) => {
				queries.push(sql);
				const name = /FROM "([^"]+)"/.exec(sql)?.[1] ?? '';
				const limit = Number(/LIMIT (\d+)/.exec(sql)?.[1] ?? Infinity);
				return tables[name].slice(0, limit);
			}
		}),
		trusted: () => trusted
	} as unknown as CellServices;
	return { services, queries };
}

const context = () => ({ signal: new AbortController().signal, progress: () => {} });

/** Every column type DuckDB hands JS cells, nulls included. */
function richTable(): Table {
	const decimals = makeVector(
		makeData({
			type: new Decimal(2, 10, 128),
			length: 3,
			nullCount: 0,
			data: new Uint32Array([12345, 0, 0, 0, -250 >>> 0, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 0])
		})
	);
	return new Table({
		i: vectorFromArray([1, null, 3], new Int32()),
		big: vectorFromArray([1n, 2n ** 60n, null], new Int64()),
		s: vectorFromArray(['a', null, 'c'], new Utf8()),
		ts: vectorFromArray([new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), null, new Date(0)], new TimestampMicrosecond()),
		d: vectorFromArray([new Date(Date.UTC(2024, 5, 1)), null, null], new DateDay()),
		dec: decimals,
		list: vectorFromArray([[1, 2], [], null], new List(new Field('item', new Int32(), true))),
		st: vectorFromArray([{ a: 'x', b: 1.5 }, null, { a: null, b: 2 }], new Struct([new Field('a', new Utf8(), true), new Field('b', new Float64(), true)]))
	});
}

beforeEach(() => {
	// Braces matter: a function returned from beforeEach is run as a teardown.
	sandbox.mockReset();
});

describe('JS cell inputs', () => {
	it('are the free variables that name other cells', () => {
		const names = new Set(['weekly', 'events', 'result', 'unused']);
		const source = 'const events = 1;\nreturn weekly.length + events + result + Math.max(other)';
		expect(jsCell.inputs(cell(source), names)).toEqual(['weekly']);
	});

	it('never include the cell itself', () => {
		expect(jsCell.inputs(cell('result + 1'), new Set(['result']))).toEqual([]);
	});
});

describe('JS cell input conversion', () => {
	it('turns Arrow tables into plain row objects', () => {
		const rows = tableRows(richTable());
		expect(rows).toEqual([
			{
				i: 1,
				big: 1,
				s: 'a',
				ts: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
				d: new Date(Date.UTC(2024, 5, 1)),
				dec: 123.45,
				list: [1, 2],
				st: { a: 'x', b: 1.5 }
			},
			{ i: null, big: 2n ** 60n, s: null, ts: null, d: null, dec: -2.5, list: [], st: null },
			{ i: 3, big: null, s: 'c', ts: new Date(0), d: null, dec: 0, list: null, st: { a: null, b: 2 } }
		]);
		// Plain data: structured clone keeps it as it is.
		expect(structuredClone(rows)).toEqual(rows);
		expect(Object.getPrototypeOf(rows[0].st)).toBe(Object.prototype);
	});

	it('makes other values plain: BigInt to numbers when safe, Arrow parts to arrays and objects', () => {
		const cyclic: Record<string, unknown> = { n: 1n };
		cyclic.self = cyclic;
		const value = plainValue({
			n: 42n,
			huge: 2n ** 64n,
			when: new Date(5),
			bytes: new Uint8Array([1, 2]),
			map: new Map([['k', 3n]]),
			set: new Set([4n]),
			vector: vectorFromArray([1n, null], new Int64()),
			table: tableFromArrays({ x: Int32Array.from([7]) }),
			cyclic
		}) as Record<string, unknown>;
		expect(value).toEqual({
			n: 42,
			huge: 2n ** 64n,
			when: new Date(5),
			bytes: new Uint8Array([1, 2]),
			map: new Map([['k', 3]]),
			set: new Set([4]),
			vector: [1, null],
			table: [{ x: 7 }],
			cyclic: expect.objectContaining({ n: 1 })
		});
		const copy = value.cyclic as Record<string, unknown>;
		expect(copy.self).toBe(copy);
		expect(() => structuredClone(value)).not.toThrow();
	});

	it('reads a table input from DuckDB, all of it', async () => {
		const big = tableFromArrays({ x: Float64Array.from({ length: 250 }, (_, i) => i) });
		const { services, queries } = fakeServices({ weekly: big });
		const values = await sandboxInputs('result', { weekly: tableRef('weekly', big), k: 2n }, services, new AbortController().signal);
		expect(queries).toEqual([`SELECT * FROM "weekly" LIMIT ${MAX_INPUT_ROWS + 1}`]);
		expect(values.k).toBe(2);
		expect(values.weekly).toHaveLength(250);
		expect((values.weekly as unknown[])[249]).toEqual({ x: 249 });
	});

	it('refuses tables over 100,000 rows: aggregate in SQL first', async () => {
		const table = tableFromArrays({ x: new Float64Array(MAX_INPUT_ROWS + 1) });
		const { services } = fakeServices({ events: table });
		const signal = new AbortController().signal;
		await expect(sandboxInputs('result', { events: tableRef('events', table) }, services, signal)).rejects.toThrow(
			'cell result: input "events" has more than 100,000 rows; aggregate or filter it in a SQL cell first'
		);
		// Even when the reference's count is stale, the LIMIT 100001 read catches it.
		await expect(sandboxInputs('result', { events: tableRef('events', table, 10) }, services, signal)).rejects.toThrow('more than 100,000 rows');
	});
});

describe('JS cell run', () => {
	it('sends converted inputs to the sandbox and returns its value', async () => {
		const table = tableFromArrays({ x: Int32Array.from([1, 2]) });
		const { services } = fakeServices({ weekly: table });
		sandbox.mockResolvedValue(4);
		const value = await jsCell.run(cell('weekly.length * 2'), { weekly: tableRef('weekly', table) }, services, context());
		expect(value).toBe(4);
		expect(sandbox).toHaveBeenCalledWith('weekly.length * 2', { weekly: [{ x: 1 }, { x: 2 }] }, expect.objectContaining({ timeoutMs: undefined }));
	});

	it('takes a timeout in seconds from the fence', async () => {
		const { services } = fakeServices({});
		sandbox.mockResolvedValue(1);
		await jsCell.run(cell('1', 'slow', { timeout: '90' }), {}, services, context());
		expect(sandbox.mock.calls[0][2]).toMatchObject({ timeoutMs: 90_000 });
		await expect(jsCell.run(cell('1', 'slow', { timeout: 'soon' }), {}, services, context())).rejects.toThrow(
			'cell slow, option "timeout": "soon" is not a number of seconds'
		);
	});

	it('names the cell and the line in errors from the code', async () => {
		const { services } = fakeServices({});
		sandbox.mockImplementation(async () => {
			throw new SandboxError("SyntaxError: Unexpected token ';'", 'syntax', 2, 11);
		});
		await expect(jsCell.run(cell('const a = 1;\nconst b = ;'), {}, services, context())).rejects.toThrow(
			"cell result, line 2: SyntaxError: Unexpected token ';'"
		);
	});

	it('says a timeout is a timeout', async () => {
		const { services } = fakeServices({});
		sandbox.mockImplementation(async () => {
			throw new SandboxError('timed out after 30 s; the code was stopped', 'timeout');
		});
		const error = await jsCell.run(cell('for (;;) {}'), {}, services, context()).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect([(error as Error).name, (error as Error).message]).toEqual(['TimeoutError', 'cell result: timed out after 30 s; the code was stopped']);
	});

	it('does not run untrusted code', async () => {
		const { services } = fakeServices({}, false);
		const error = (await jsCell.run(cell('1'), {}, services, context()).catch((e: Error) => e)) as Error;
		expect([error.name, error.message]).toEqual(['UntrustedCodeError', UNTRUSTED_MESSAGE]);
		expect(sandbox).not.toHaveBeenCalled();
		expect(jsCell.code).toBe(true);
	});

	it('rejects an empty cell', async () => {
		const { services } = fakeServices({});
		await expect(jsCell.run(cell('  \n'), {}, services, context())).rejects.toThrow('cell result: the cell is empty');
	});
});
