/**
 * The command line's data files (CSV or Parquet) as the statistics library's columns: read by
 * native DuckDB on all cores (./native-csv.ts, ./native-parquet.ts), with what the JS readers
 * give, which read the file instead wherever DuckDB cannot stand in for them exactly, and name
 * the file and line of every problem. Node only (the CLI and its tests).
 */
import { open, readFile } from 'node:fs/promises';
import { readCsvColumns, type CsvColumns } from '#lib/ingest/csv/columns.ts';
import { CsvError } from '#lib/ingest/csv/tokenize.ts';
import { columnFromStrings, NUMERICAL_MIN_DISTINCT, type Column } from '#lib/stats/index.ts';
import { readCsvNative } from './native-csv';
import { readParquetNative } from './native-parquet';

/**
 * Bad input in a data file, naming the file (and line): the command line prints it on one line
 * and exits 2, as it does every error named UsageError (cli/main.ts).
 */
export class DataFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** A data file's columns. */
export interface DataTable {
	columns: Record<string, Column>;
	/**
	 * For a CSV read natively: the text as written of columns read as numbers, for where the
	 * library must see the text (categories are the values as written).
	 */
	text?: (names: readonly string[]) => Promise<Record<string, Column>>;
	/** Its number columns hold no infinite value (a CSV read natively: DuckDB's reading refuses them). */
	finite?: boolean;
}

function cannotRead(path: string, error: unknown): DataFileError {
	const code = (error as NodeJS.ErrnoException).code;
	const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
	return new DataFileError(`cannot read ${path}: ${why}`);
}

export async function readBytes(path: string): Promise<Buffer> {
	try {
		return await readFile(path);
	} catch (error) {
		throw cannotRead(path, error);
	}
}

/** A CSV as the JS reader reads it: every value a string as written; errors name the file and line. */
export function readCsvText(path: string, bytes: Uint8Array): CsvColumns {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new DataFileError(`${path}: not UTF-8 text (CSV files must be UTF-8; Parquet files end in .parquet)`);
	}
	try {
		return readCsvColumns(text);
	} catch (error) {
		if (error instanceof CsvError) throw new DataFileError(`${path}, ${error.message}`);
		throw error;
	}
}

/** Parquet by parquet-wasm through Arrow (loaded only when needed: they take a while to load). */
async function readParquetJs(path: string, bytes: Uint8Array): Promise<Record<string, Column>> {
	const [parquet, { tableFromIPC }, { arrowColumns }] = await Promise.all([
		import('parquet-wasm/node'),
		import('apache-arrow'),
		import('#lib/stats/arrow-columns.ts')
	]);
	let ipc: Uint8Array;
	try {
		ipc = parquet.readParquet(bytes).intoIPCStream();
	} catch (error) {
		throw new DataFileError(`${path}: not a readable Parquet file (${String((error as Error).message ?? error).split('\n')[0]})`);
	}
	return arrowColumns(tableFromIPC(ipc));
}

function startsParquet(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

async function isParquet(path: string): Promise<boolean> {
	if (/\.(parquet|pq)$/i.test(path)) return true;
	let file;
	try {
		file = await open(path);
	} catch (error) {
		throw cannotRead(path, error);
	}
	try {
		const head = new Uint8Array(4);
		await file.read(head, 0, 4, 0);
		return startsParquet(head);
	} catch (error) {
		throw cannotRead(path, error);
	} finally {
		await file.close();
	}
}

/**
 * A data file (CSV with a header row, or Parquet) as named columns; every problem is a one-line
 * DataFileError naming the file. `native: false` reads it with the JS readers alone (to compare).
 */
export async function readDataFile(path: string, { native = true } = {}): Promise<DataTable> {
	if (await isParquet(path)) {
		const columns = native ? await readParquetNative(path) : undefined;
		return { columns: columns ?? (await readParquetJs(path, await readBytes(path))) };
	}
	// the whole file arrives while the native reader starts DuckDB on its first megabyte
	const bytes = readBytes(path);
	bytes.catch(() => {}); // awaited below, whichever way the file is read
	const csv = native ? await readCsvNative(path, bytes) : undefined;
	if (csv) return { columns: csv.columns, text: csv.text, finite: true };
	const js = readCsvText(path, await bytes);
	return { columns: Object.fromEntries(js.names.map((name, i) => [name, columnFromStrings(js.columns[i])])) };
}

/** No value is infinite (NaN, missing, may be there). */
function noInfinity(values: Float64Array): boolean {
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		if (x - x !== 0 && x === x) return false;
	}
	return true;
}

/**
 * Whether the library reads this pair of number columns as numerical (src/lib/stats/column-kind.ts):
 * no infinite value and at least NUMERICAL_MIN_DISTINCT distinct numbers in both together.
 * `finite`: both are known to hold no infinite value.
 */
function readAsNumerical(a: Float64Array, b: Float64Array, finite: boolean): boolean {
	if (!finite && !(noInfinity(a) && noInfinity(b))) return false;
	const seen: number[] = [];
	for (const values of [a, b]) {
		for (let i = 0; i < values.length && seen.length < NUMERICAL_MIN_DISTINCT; i++) {
			const x = values[i];
			if (x === x && !seen.includes(x)) seen.push(x);
		}
	}
	return seen.length >= NUMERICAL_MIN_DISTINCT;
}

/**
 * The columns `names` of both files for the drift report, as the JS readers would give them:
 * a CSV column read as numbers stays numbers only where the library reads the pair as
 * numerical; elsewhere it counts categories, which are the text as written ("1.0" is not "1").
 */
export async function driftColumns(
	reference: DataTable,
	current: DataTable,
	names: readonly string[]
): Promise<{ reference: Record<string, Column>; current: Record<string, Column> }> {
	const textual = names.filter((name) => {
		const r = reference.columns[name];
		const c = current.columns[name];
		return r && c && !(r.type === 'number' && c.type === 'number' && readAsNumerical(r.values, c.values, !!reference.finite && !!current.finite));
	});
	const withText = async (table: DataTable): Promise<Record<string, Column>> => {
		const wanted = table.text ? textual.filter((name) => table.columns[name].type === 'number') : [];
		return wanted.length ? { ...table.columns, ...(await table.text!(wanted)) } : table.columns;
	};
	const [r, c] = await Promise.all([withText(reference), withText(current)]);
	return { reference: r, current: c };
}
