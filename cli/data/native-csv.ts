/**
 * CSV through native DuckDB, giving what the JS reader (src/lib/ingest/csv/columns.ts, every
 * value a string as written) gives the statistics, only faster: DuckDB splits and parses the
 * file on all cores, and a column whose every value the library reads as a number (or a missing
 * one) comes back as a Float64Array instead of strings. Everything that decides the result
 * stays the JS reader's: the delimiter is detected and the header read by the JS code on the
 * start of the file, and which columns look numeric is judged by the library's own number rule
 * on it. DuckDB then parses those columns itself (the fast way) when the file has no underscore
 * or `+-` (which DuckDB's numbers allow and the rule does not) and every value is a finite
 * number or empty; otherwise (an NA, a NaN, an infinity, a word further down) every value is
 * read as text and checked in SQL against the rule, a column with a value that is not a number
 * becoming text again.
 *
 * Where DuckDB could read a file differently from the JS reader, this reader declines
 * (undefined) and the caller reads the file with the JS reader, which also names the line of
 * any error: DuckDB failing, a header that is not the first line or has empty or repeated
 * names, a file DuckDB would accept and the JS reader refuse (a quote inside an unquoted field,
 * a record with a trailing extra delimiter).
 */
import { open } from 'node:fs/promises';
import { DELIMITERS, detectDelimiter } from '#lib/ingest/csv/dialect.ts';
import { CsvError, isBlankRecord, tokenizeCsv } from '#lib/ingest/csv/tokenize.ts';
import { isMissingString, parseNumber, type Column } from '#lib/stats/index.ts';
import { duckdbConnection, plainPath, readResultColumns, sqlString, startDuckdb, type ResultColumnKind } from './duckdb-columns';

/** A CSV read natively: numeric columns as numbers, the rest as text. */
export interface NativeCsv {
	names: string[];
	columns: Record<string, Column>;
	/** The text as written of some columns (another pass over the file). */
	text(names: readonly string[]): Promise<Record<string, Column>>;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** Bytes of the start of the file read by the JS code (doubled until it holds what the detection reads). */
const PREFIX_BYTES = 1 << 20;
/** Records the delimiter detection reads (detectDelimiter's limit). */
const DETECTION_RECORDS = 500;
/** Data records whose values judge whether a column looks numeric. */
const SAMPLE_RECORDS = 2000;

interface Layout {
	delimiter: string;
	names: string[];
	/** Per column: every sampled value is a number or missing. */
	numeric: boolean[];
}

function utf8Bom(bytes: Uint8Array): boolean {
	return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** csvLayout's answer when the bytes it was given end before what it must read. */
const MORE = 'more';

/**
 * The delimiter the JS reader would detect on the whole file, the header and the columns that
 * look numeric, from a prefix; undefined where the JS reader must read the file itself. `bytes`
 * is the start of a file of `fileSize` bytes (by default all of it); MORE when the answer needs
 * more of the file than that.
 */
function csvLayout(bytes: Uint8Array, fileSize = bytes.length): Layout | undefined | typeof MORE {
	for (let size = PREFIX_BYTES; ; size *= 2) {
		const whole = size >= fileSize;
		if (bytes.length < Math.min(size, fileSize)) return MORE;
		const text = new TextDecoder().decode(bytes.subarray(0, size));
		// The detection on a prefix equals the one on the whole text when the prefix holds every
		// record it reads, whatever delimiter is tried.
		const enough = whole || DELIMITERS.every((d) => tokenizeCsv(text, { delimiter: d }, { limit: DETECTION_RECORDS, complete: false }).records.length === DETECTION_RECORDS);
		if (!enough) continue;
		const delimiter = detectDelimiter(text, {}, whole);
		let records: string[][];
		try {
			records = tokenizeCsv(text, { delimiter }, { strict: true, limit: SAMPLE_RECORDS + 1, complete: whole }).records;
		} catch (error) {
			if (error instanceof CsvError) return undefined;
			throw error;
		}
		const names = records[0];
		if (!names || isBlankRecord(names) || names.includes('') || new Set(names).size !== names.length) return undefined;
		const sample = records.slice(1).filter((r) => r.length === names.length);
		const numeric = names.map((_, c) => sample.every((r) => isMissingString(r[c]) || Number.isFinite(parseNumber(r[c]))));
		return { delimiter, names, numeric };
	}
}

/** The delimiters in the line up to byte `at`, in a file without quotes. */
function delimitersInLine(bytes: Buffer, at: number, delimiter: number): number {
	const start = Math.max(bytes.lastIndexOf(LF, at) + 1, bytes.lastIndexOf(CR, at) + 1);
	let count = 0;
	for (let i = start; i <= at; i++) if (bytes[i] === delimiter) count++;
	return count;
}

/**
 * Bytes searched at a time by scanFile: its several searches of a block that stays in the
 * cache cost one pass through memory, where each search of a whole file of a hundred megabytes
 * is a pass of its own (five whole-file searches of two 120 MB files took the main thread about
 * 0.45 s beside DuckDB's parsing; block by block, about 0.1 s).
 */
export const SCAN_BLOCK = 1 << 18;

/** What scanFile finds in a file. */
interface FileScan {
	/** The shape the JS reader wants (see shapeIsPlain). */
	plain: boolean;
	/** An underscore or `+-` after the header (see numberExpression). */
	exotic: boolean;
}

/**
 * Looks through a whole file once, block by block, for what decides how it is read: its shape
 * (shapeIsPlain) and whether it holds exotic numbers (hasExotic) after the header, which ends
 * at `body`.
 */
function scanFile(bytes: Buffer, body: number, delimiter: number, width: number): FileScan {
	const lineEnds = [Buffer.from([delimiter, LF]), Buffer.from([delimiter, CR])];
	let quote = false;
	let exotic = false;
	let linesEndPlain = true;
	for (let from = 0; from < bytes.length; from += SCAN_BLOCK) {
		// one byte past the block: a pair of bytes that starts on its last byte
		const block = bytes.subarray(from, Math.min(from + SCAN_BLOCK + 1, bytes.length));
		quote ||= block.indexOf(QUOTE) >= 0;
		exotic ||= block.length > body - from && hasExotic(block, Math.max(body - from, 0));
		for (const pair of quote || !linesEndPlain ? [] : lineEnds) {
			// backwards: Buffer's search for the pair then skips along its line end, rarer than delimiters
			for (let at = block.lastIndexOf(pair, SCAN_BLOCK - 1); at >= 0; at = at > 0 ? block.lastIndexOf(pair, at - 1) : -1) {
				if (delimitersInLine(bytes, from + at, delimiter) !== width - 1) linesEndPlain = false;
			}
		}
	}
	return { plain: quote ? shapeIsPlain(bytes, delimiter, width) : linesEndPlain && !(bytes.at(-1) === delimiter && delimitersInLine(bytes, bytes.length - 1, delimiter) !== width - 1), exotic };
}

/**
 * Whether every record of a file with quotes has the header's width and every quote sits where
 * the JS reader's strict mode wants it, for the cases DuckDB accepts and the JS reader refuses.
 * Without quotes only a line ending in a delimiter can be one (DuckDB takes a trailing
 * delimiter as no field): scanFile checks those.
 */
function shapeIsPlain(bytes: Buffer, delimiter: number, width: number): boolean {
	const n = bytes.length;
	let fields = 1;
	let blank = true;
	let fieldStart = true;
	for (let i = utf8Bom(bytes) ? 3 : 0; i < n; i++) {
		const c = bytes[i];
		if (c === QUOTE) {
			if (!fieldStart) return false;
			let close = i + 1;
			for (;;) {
				close = bytes.indexOf(QUOTE, close);
				if (close < 0) return false;
				if (bytes[close + 1] !== QUOTE) break;
				close += 2;
			}
			i = close;
			const next = bytes[i + 1];
			if (i + 1 < n && next !== delimiter && next !== LF && next !== CR) return false;
			fieldStart = blank = false;
		} else if (c === delimiter) {
			fields++;
			fieldStart = true;
			blank = false;
		} else if (c === LF || c === CR) {
			if (!blank && fields !== width) return false;
			if (c === CR && bytes[i + 1] === LF) i++;
			fields = 1;
			fieldStart = blank = true;
		} else {
			fieldStart = blank = false;
		}
	}
	return blank || fields === width;
}

/**
 * The SQL value of a column that looks numeric, from its text `t` and DuckDB's number `d`: the
 * number, NaN for a missing value (empty, NA, NaN, null in any case), NULL for a value the
 * library does not read as a number. DuckDB also reads `1_000`, `+-1` and `inf` as numbers:
 * `exotic` says the file has an underscore or a `+-` somewhere, to be looked for in each value.
 */
function numberExpression(t: string, d: string, exotic: boolean): string {
	return `CASE WHEN ${t} IS NULL THEN 'NaN'::DOUBLE
		WHEN ${d} IS NULL THEN CASE WHEN lower(${t}) IN ('na', 'null') THEN 'NaN'::DOUBLE END
		WHEN isnan(${d}) THEN CASE WHEN lower(${t}) = 'nan' THEN ${d} END
		WHEN isinf(${d})${exotic ? ` OR contains(${t}, '_') OR contains(${t}, '+-')` : ''} THEN NULL
		ELSE ${d} END`;
}

type Read = (Column | undefined)[] | undefined;

/** Runs `sql` and reads its columns by `kinds`; undefined when DuckDB fails. */
async function query(sql: string, kinds: readonly ResultColumnKind[]): Promise<Read> {
	const connection = await duckdbConnection();
	try {
		return readResultColumns(await connection.run(sql), kinds);
	} catch {
		// Malformed, not UTF-8, a line too long, a value not a number…: the caller reads it another way.
		return undefined;
	} finally {
		connection.closeSync();
	}
}

/** How DuckDB reads the file: `read_csv` with every column of the given types (by index, as c0, c1…). */
function readCsvSql(path: string, delimiter: string, types: readonly string[]): string {
	const columns = types.map((type, c) => `'c${c}': '${type}'`).join(', ');
	return `read_csv(${sqlString(path)}, auto_detect = false, header = true, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', columns = {${columns}})`;
}

/**
 * The fast way: DuckDB parses the numeric columns itself. Only for a file without underscores
 * or `+-` (which DuckDB's numbers allow); undefined when a value is not a number (DuckDB fails)
 * or is a NaN or an infinity (spelled in ways the library may not read as numbers).
 */
function queryTyped(path: string, layout: Layout, numeric: readonly boolean[]): Promise<Read> {
	const source = readCsvSql(
		path,
		layout.delimiter,
		numeric.map((n) => (n ? 'DOUBLE' : 'VARCHAR'))
	);
	return query(
		`SELECT * FROM ${source}`,
		numeric.map((n) => (n ? 'finite-number' : 'text'))
	);
}

/**
 * The careful way: every value read as text and checked in SQL against the library's number
 * rule (numberExpression); columns `wanted` (by index), a numeric one undefined when a value is
 * not a number after all.
 */
function queryChecked(path: string, layout: Layout, exotic: boolean, wanted: readonly number[], numeric: (c: number) => boolean): Promise<Read> {
	const source = readCsvSql(
		path,
		layout.delimiter,
		layout.names.map(() => 'VARCHAR')
	);
	const select = wanted.map((c) => (numeric(c) ? numberExpression(`c${c}`, `d${c}`, exotic) : `c${c}`)).join(', ');
	const casts = wanted.flatMap((c) => (numeric(c) ? [`, TRY_CAST(c${c} AS DOUBLE) AS d${c}`] : [])).join('');
	return query(
		`SELECT ${select} FROM (SELECT *${casts} FROM ${source})`,
		wanted.map((c) => (numeric(c) ? 'number-or-nothing' : 'text'))
	);
}

/** An underscore or `+-` after the header (see numberExpression). */
function hasExotic(bytes: Buffer, body: number): boolean {
	return bytes.indexOf(0x5f, body) >= 0 || bytes.indexOf('+-', body) >= 0;
}

/** The first PREFIX_BYTES of the file and its size; undefined where Node cannot read it (the whole read names why). */
async function readPrefix(path: string): Promise<{ head: Buffer; size: number } | undefined> {
	let file;
	try {
		file = await open(path);
	} catch {
		return undefined;
	}
	try {
		const size = (await file.stat()).size;
		const head = Buffer.alloc(Math.min(size, PREFIX_BYTES));
		const { bytesRead } = await file.read(head, 0, head.length, 0);
		return bytesRead === head.length ? { head, size } : undefined;
	} catch {
		return undefined;
	} finally {
		await file.close();
	}
}

/**
 * Reads a CSV natively (see the module comment); undefined where the JS reader must read it.
 * `text`: columns always read as text. `bytes` may still be on its way: then the layout comes
 * from the file's first megabyte and DuckDB starts reading the file meanwhile (unless the start
 * of the file already shows the careful way is needed); every decision is still taken on the
 * whole file once it is here.
 */
export async function readCsvNative(path: string, bytes: Buffer | Promise<Buffer>, options: { text?: readonly string[] } = {}): Promise<NativeCsv | undefined> {
	if (!plainPath(path)) return undefined;
	// loading DuckDB takes the main thread a while, creating the database not: the creation runs while the layout is read
	startDuckdb().catch(() => {}); // its failure is the query's
	const prefix = bytes instanceof Promise ? await readPrefix(path) : undefined;
	let early = prefix && prefix.size > prefix.head.length ? csvLayout(prefix.head, prefix.size) : MORE;
	let speculative: Promise<Read> | undefined;
	if (early !== MORE && early !== undefined && prefix) {
		const first = early;
		const body = prefix.head.indexOf(LF) + 1;
		const numeric = first.names.map((name, c) => first.numeric[c] && !options.text?.includes(name));
		if (body > 0 && !hasExotic(prefix.head, body)) speculative = queryTyped(path, first, numeric);
	}
	const whole = await bytes;
	if (prefix && whole.length !== prefix.size) {
		// changed in between: start again on what was read
		if (speculative) await speculative;
		speculative = undefined;
		early = MORE;
	}
	if (early === MORE) early = csvLayout(whole);
	if (early === MORE) throw new Error('csvLayout wanted more than the whole file');
	const layout = early;
	if (!layout) return undefined;
	const { names, delimiter } = layout;
	const numeric = names.map((name, c) => layout.numeric[c] && !options.text?.includes(name));
	const all = names.map((_, c) => c);
	const body = whole.indexOf(LF) + 1;
	// while DuckDB reads on its threads (when it could start on the start of the file)
	const { plain, exotic } = scanFile(whole, body, delimiter.charCodeAt(0), names.length);
	if (exotic && speculative) await speculative; // the start of the file had none: its answer is not used
	let read = exotic ? undefined : await (speculative ?? queryTyped(path, layout, numeric));
	if (!plain) return undefined;
	if (!read?.every((column) => column !== undefined)) read = await queryChecked(path, layout, exotic, all, (c) => numeric[c]);
	if (!read) return undefined;
	// A column numeric at the start but not further on: its text, in one more pass.
	const missed = all.filter((c) => read[c] === undefined);
	const again = missed.length ? await queryChecked(path, layout, exotic, missed, () => false) : [];
	if (!again) return undefined;
	missed.forEach((c, k) => (read[c] = again[k]));
	return {
		names,
		columns: Object.fromEntries(names.map((name, c) => [name, read[c]!])),
		async text(wanted) {
			const out = await queryChecked(
				path,
				layout,
				exotic,
				wanted.map((name) => names.indexOf(name)),
				() => false
			);
			if (!out) throw new Error(`${path}: DuckDB read the file once and failed the second time`);
			return Object.fromEntries(wanted.map((name, k) => [name, out[k]!]));
		}
	};
}
