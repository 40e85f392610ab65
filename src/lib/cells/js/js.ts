import { DataType, Table, Vector, type Decimal } from 'apache-arrow';
import type { CellRunner, CellServices } from '#lib/cells/core/types.ts';
import type { TableRef } from '#lib/sql/connector.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { freeVariables } from '#lib/sandbox/free-variables.ts';
import { runSandboxed, SandboxError } from '#lib/sandbox/sandbox.ts';

/** The most rows of a table a JavaScript cell receives; bigger tables should be aggregated in SQL. */
export const MAX_INPUT_ROWS = 100_000;

export const UNTRUSTED_MESSAGE = 'This JavaScript cell comes from a shared notebook and has not run. Read it, then press "Trust and run" to run it.';

function isArrowTable(value: unknown): value is Table {
	if (value instanceof Table) return true;
	const v = value as Partial<Table> | null;
	return typeof v === 'object' && v !== null && typeof v.numRows === 'number' && Array.isArray(v.schema?.fields) && typeof v.getChild === 'function';
}

/** A table in DuckDB that a SQL or data cell produced (what those cells' values are). */
export function isTableRef(value: unknown): value is TableRef {
	if (value === null || typeof value !== 'object') return false;
	const v = value as Partial<TableRef>;
	return typeof v.name === 'string' && typeof v.rowCount === 'number' && isArrowTable(v.preview);
}

/** A 64-bit integer as a number when no precision is lost; otherwise it stays a BigInt (which clones). */
function integer(value: bigint): number | bigint {
	return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

type Convert = (value: unknown) => unknown;

/** How to turn what Arrow's `get` returns for `type` into plain, structured-cloneable data. */
function converter(type: DataType): Convert {
	if (DataType.isDate(type) || DataType.isTimestamp(type)) {
		// Arrow gives epoch milliseconds.
		return (v) => (v === null || v === undefined ? null : new Date(Number(v)));
	}
	if (DataType.isDecimal(type)) {
		const scale = (type as Decimal).scale;
		return (v) => (v === null || v === undefined ? null : (v as { valueOf(scale: number): number }).valueOf(scale));
	}
	if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
		const item = converter(type.children[0].type);
		return (v) => {
			if (v === null || v === undefined) return null;
			const list = v as Vector;
			const out = new Array<unknown>(list.length);
			for (let i = 0; i < list.length; i++) out[i] = item(list.get(i));
			return out;
		};
	}
	if (DataType.isStruct(type)) {
		const fields = type.children.map((f) => [f.name, converter(f.type)] as const);
		return (v) => {
			if (v === null || v === undefined) return null;
			const row = v as Record<string, unknown>;
			const out: Record<string, unknown> = {};
			for (const [name, convert] of fields) out[name] = convert(row[name]);
			return out;
		};
	}
	return (v) => plainValue(v);
}

/** The rows of an Arrow table as plain objects keyed by column name. */
export function tableRows(table: Table): Record<string, unknown>[] {
	const columns = table.schema.fields.map((f) => ({ name: f.name, vector: table.getChild(f.name)!, convert: converter(f.type) }));
	const rows = new Array<Record<string, unknown>>(table.numRows);
	for (let i = 0; i < table.numRows; i++) {
		const row: Record<string, unknown> = {};
		for (const { name, vector, convert } of columns) row[name] = convert(vector.get(i));
		rows[i] = row;
	}
	return rows;
}

/**
 * A value as plain data that structured clone copies faithfully: BigInt becomes a number when
 * that loses nothing, Arrow tables become arrays of rows and Arrow vectors arrays, Arrow rows
 * objects. Dates, Maps, Sets, typed arrays stay. Functions and other uncloneable parts stay too,
 * so the sandbox can name the input that holds them.
 */
export function plainValue(value: unknown, seen = new Map<object, unknown>()): unknown {
	if (typeof value === 'bigint') return integer(value);
	if (value === null || typeof value !== 'object') return value;
	if (seen.has(value)) return seen.get(value);
	if (isArrowTable(value)) return tableRows(value);
	if (value instanceof Vector) {
		const convert = converter(value.type);
		const out = new Array<unknown>(value.length);
		for (let i = 0; i < value.length; i++) out[i] = convert(value.get(i));
		return out;
	}
	if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		seen.set(value, out);
		for (const item of value) out.push(plainValue(item, seen));
		return out;
	}
	if (value instanceof Map) {
		const out = new Map();
		seen.set(value, out);
		for (const [k, v] of value) out.set(plainValue(k, seen), plainValue(v, seen));
		return out;
	}
	if (value instanceof Set) {
		const out = new Set();
		seen.set(value, out);
		for (const v of value) out.add(plainValue(v, seen));
		return out;
	}
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) {
		// Arrow's StructRow and MapRow (proxies) know how to be plain.
		const toJSON = (value as { toJSON?: unknown }).toJSON;
		if (typeof toJSON === 'function') return plainValue(toJSON.call(value), seen);
		return value;
	}
	const out: Record<string, unknown> = {};
	seen.set(value, out);
	for (const [k, v] of Object.entries(value)) out[k] = plainValue(v, seen);
	return out;
}

/** A table a cell produced, read from DuckDB as rows; refuses tables over MAX_INPUT_ROWS. */
async function readTable(cellName: string, input: string, ref: TableRef, services: CellServices, signal: AbortSignal) {
	const tooMany = () =>
		new Error(
			`cell ${cellName}: input "${input}" has more than ${MAX_INPUT_ROWS.toLocaleString('en-US')} rows; ` +
				`aggregate or filter it in a SQL cell first and read that cell instead`
		);
	if (ref.rowCount > MAX_INPUT_ROWS) throw tooMany();
	const db = await services.db();
	const table = await db.query(`SELECT * FROM ${quoteIdentifier(ref.name)} LIMIT ${MAX_INPUT_ROWS + 1}`, signal);
	if (table.numRows > MAX_INPUT_ROWS) throw tooMany();
	return tableRows(table);
}

/** The values a JavaScript cell receives: tables as arrays of row objects, everything else as plain data. */
export async function sandboxInputs(
	cellName: string,
	inputs: Record<string, unknown>,
	services: CellServices,
	signal: AbortSignal
): Promise<Record<string, unknown>> {
	const entries = await Promise.all(
		Object.entries(inputs).map(async ([name, value]) => {
			if (isTableRef(value)) return [name, await readTable(cellName, name, value, services, signal)] as const;
			return [name, plainValue(value)] as const;
		})
	);
	return Object.fromEntries(entries);
}

/** The fence option `timeout=60` (seconds) raises the default 30 s limit for slow cells. */
function timeoutOf(cellName: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`cell ${cellName}, option "timeout": "${raw}" is not a number of seconds`);
	return seconds * 1000;
}

function cellError(cellName: string, error: unknown): unknown {
	if (!(error instanceof SandboxError)) return error;
	const where = error.line === undefined ? '' : `, line ${error.line}`;
	const wrapped = new Error(`cell ${cellName}${where}: ${error.detail}`, { cause: error });
	wrapped.name = error.reason === 'timeout' ? 'TimeoutError' : 'JavaScriptCellError';
	return wrapped;
}

/**
 * A JavaScript cell: an expression (`weekly.length * 2`) or a function body with `return`, `await`
 * allowed. It reads other cells by name and runs in the sandbox (see `$lib/sandbox/sandbox`).
 * Tables arrive as arrays of row objects. The fence option `timeout=<seconds>` changes the 30 s limit.
 */
export const jsCell: CellRunner = {
	kind: 'js',
	code: true,
	inputs: (cell, cellNames) => freeVariables(cell.source).filter((name) => name !== cell.name && cellNames.has(name)),
	async run(cell, inputs, services, { signal }) {
		// The registry checks trust before any `code` cell runs; this keeps the kind safe on its own.
		if (!services.trusted()) {
			const error = new Error(UNTRUSTED_MESSAGE);
			error.name = 'UntrustedCodeError';
			throw error;
		}
		if (cell.source.trim() === '') throw new Error(`cell ${cell.name}: the cell is empty`);
		const timeoutMs = timeoutOf(cell.name, cell.attrs.timeout);
		const values = await sandboxInputs(cell.name, inputs, services, signal);
		signal.throwIfAborted();
		try {
			return await runSandboxed(cell.source, values, { signal, timeoutMs });
		} catch (error) {
			throw cellError(cell.name, error);
		}
	}
};
