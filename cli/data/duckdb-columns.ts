// Native DuckDB (@duckdb/node-api, all cores) for the command line: one in-process database,
// and query results copied chunk by chunk into the statistics library's columns, numbers
// straight from DuckDB's vector memory into a Float64Array (no value objects in between).
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBMaterializedResult } from '@duckdb/node-api';
import type Bindings from '@duckdb/node-bindings';
import type { Column } from '#lib/stats/index.ts';

/**
 * DuckDB's packages, loaded by `require` on first use: they are CommonJS, and an ESM `import`
 * of them has Node's ESM loader pre-parse each of their ~80 files for its exports (about 0.35 s
 * of CPU against 0.13 s, at every start of a command that reads a file). Loading them on first
 * use also lets the first file's read run meanwhile.
 */
let packages: { api: typeof Api; bindings: typeof Bindings } | undefined;

function duckdb(): NonNullable<typeof packages> {
	if (!packages) {
		const require = createRequire(import.meta.url);
		packages = { api: require('@duckdb/node-api'), bindings: require('@duckdb/node-bindings') };
	}
	return packages;
}

let instance: Promise<DuckDBInstance> | undefined;

/**
 * Loads DuckDB and starts creating the process's one in-memory database, unless begun: a reader
 * calls it before working out its query, which the database is then ready for.
 */
export function startDuckdb(): Promise<DuckDBInstance> {
	instance ??= duckdb().api.DuckDBInstance.create(':memory:');
	return instance;
}

/** A connection of the process's one in-memory database (created on first use). */
export async function duckdbConnection(): Promise<DuckDBConnection> {
	return (await startDuckdb()).connect();
}

/**
 * Whether DuckDB opens `path` as the file Node does: not where DuckDB would read a glob
 * pattern, a home directory or a URL in it.
 */
export function plainPath(path: string): boolean {
	return !/[*?[\]{}]/.test(path) && !path.startsWith('~') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}

/** A string as an SQL literal. */
export function sqlString(text: string): string {
	return `'${text.replaceAll("'", "''")}'`;
}

/** How each result column becomes a library column. */
export type ResultColumnKind =
	/** A DOUBLE column: NULL becomes NaN (missing). */
	| 'number'
	/** A DOUBLE column: NULL becomes NaN, and a NaN or infinite value means "not these numbers": undefined is returned for it. */
	| 'finite-number'
	/** A DOUBLE column where NULL means "this column is not numbers after all": undefined is returned for it. */
	| 'number-or-nothing'
	/** A VARCHAR column, NULL kept as null. */
	| 'string'
	/** A VARCHAR column, NULL read as the empty string (how a CSV writes it). */
	| 'text';

/** Whether the first `rows` bits of a validity mask are all set (no NULL). */
function allValid(mask: Uint8Array, rows: number): boolean {
	const whole = rows >>> 3;
	for (let b = 0; b < whole; b++) if (mask[b] !== 0xff) return false;
	const rest = rows & 7;
	return rest === 0 || (mask[whole] & ((1 << rest) - 1)) === (1 << rest) - 1;
}

const isValid = (mask: Uint8Array, k: number) => (mask[k >>> 3] & (1 << (k & 7))) !== 0;

/** Copies one chunk's DOUBLE vector into `out` at `at`, NULL as NaN; false when `kind` refuses a value (see ResultColumnKind). */
function copyNumbers(chunk: DuckDBDataChunk, index: number, rows: number, out: Float64Array, at: number, kind: ResultColumnKind): boolean {
	const { bindings } = duckdb();
	const vector = bindings.data_chunk_get_vector(chunk.chunk, index);
	const bytes = bindings.vector_get_data(vector, rows * Float64Array.BYTES_PER_ELEMENT);
	out.set(new Float64Array(bytes.buffer, bytes.byteOffset, rows), at);
	const raw = bindings.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
	const mask = raw && !allValid(raw, rows) ? raw : undefined;
	if (mask && kind === 'number-or-nothing') return false;
	if (kind === 'finite-number') {
		for (let k = 0; k < rows; k++) {
			const x = out[at + k];
			if (x - x !== 0 && (!mask || isValid(mask, k))) return false;
		}
	}
	if (mask) for (let k = 0; k < rows; k++) if (!isValid(mask, k)) out[at + k] = Number.NaN;
	return true;
}

/**
 * A result's columns by `kinds` (one per result column); a number column its kind refuses comes
 * back undefined. Numbers are in shared memory: a drift report's second thread is then handed a
 * column as it is, where drift-split.ts copies any other memory to transfer it.
 */
export function readResultColumns(result: DuckDBMaterializedResult, kinds: readonly ResultColumnKind[]): (Column | undefined)[] {
	const rows = result.rowCount;
	const numbers = kinds.map((kind) => (kind === 'string' || kind === 'text' ? undefined : new Float64Array(new SharedArrayBuffer(rows * Float64Array.BYTES_PER_ELEMENT))));
	const strings = kinds.map((kind) => (kind === 'string' || kind === 'text' ? new Array<string | null>(rows) : undefined));
	const failed = kinds.map(() => false);
	let at = 0;
	for (let i = 0; i < result.chunkCount; i++) {
		const chunk = result.getChunk(i);
		const n = chunk.rowCount;
		kinds.forEach((kind, c) => {
			const out = numbers[c];
			if (out) {
				if (!failed[c] && !copyNumbers(chunk, c, n, out, at, kind)) failed[c] = true;
				return;
			}
			const values = chunk.getColumnVector(c);
			const text = strings[c]!;
			const empty = kind === 'text' ? '' : null;
			for (let k = 0; k < n; k++) text[at + k] = (values.getItem(k) as string | null) ?? empty;
		});
		at += n;
	}
	return kinds.map((_, c) => {
		if (failed[c]) return undefined;
		const out = numbers[c];
		return out ? { type: 'number', values: out } : { type: 'string', values: strings[c]! };
	});
}
