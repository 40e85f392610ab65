/**
 * The tokenizer's syntax (./tokenize.ts) on raw bytes, for the loader: splitting CSV bytes into
 * whole records without decoding them. A newline ends a record unless it is inside quotes (a
 * doubled quote toggles twice, so RFC 4180 escapes need no special case; another escape
 * character skips the quote or escape after it). Also the bookkeeping that maps DuckDB's line
 * numbers in a chunk back to lines in the file: DuckDB counts every unquoted newline (blank
 * lines too) but a quoted newline not at all.
 */

/** Chunk bytes per column: 10,000 columns make chunks of 32 MiB (the cap), 20 columns 320 KiB. */
const BYTES_PER_COLUMN = 16 << 10;

/**
 * Bytes per chunk for a file of `size` bytes (null: unknown) with `columns` columns: small enough
 * to show progress on a few megabytes, big since each chunk costs a read_csv call with a fixed
 * cost of its own, which grows with the columns (binding 10,000 of them takes about a second in
 * DuckDB-WASM): wide files go in fewer, bigger chunks.
 */
export function csvChunkBytes(size: number | null, columns = 1): number {
	const wanted = Math.max(Math.ceil((size ?? 64 << 20) / 10), columns * BYTES_PER_COLUMN);
	return Math.max(256 << 10, Math.min(32 << 20, wanted));
}

/** The quote and escape characters as bytes (both ASCII in every dialect the loader reads). */
export interface ByteQuoting {
	quote: number;
	escape: number;
}

export function byteQuoting(syntax: { quote: string; escape: string }): ByteQuoting {
	const quote = syntax.quote.charCodeAt(0);
	const escape = syntax.escape.charCodeAt(0);
	if (quote > 0x7f || escape > 0x7f)
		throw new Error(`the quote and escape characters must be ASCII (got ${JSON.stringify(syntax.quote)} and ${JSON.stringify(syntax.escape)})`);
	return { quote, escape };
}

/** Whether byte `i` inside quotes is an escape whose escaped character (at i + 1) must be skipped. */
function escapes(buf: Uint8Array, i: number, { quote, escape }: ByteQuoting): boolean {
	if (escape === quote || buf[i] !== escape) return false;
	const next = buf[i + 1];
	return next === quote || next === escape;
}

export interface CsvScan {
	/** Bytes up to the end of the last complete record. */
	boundary: number;
	/** Records up to the boundary, as DuckDB counts lines (every unquoted newline, blank lines too). */
	lines: number;
	/** Physical lines up to the boundary. */
	physical: number;
	/** [DuckDB line, extra physical lines] of each record with quoted newlines. */
	multiline: Array<[number, number]>;
	/** The record ends DuckDB needs these bytes rewritten to (see rewriteNewlines), if any. */
	newlines?: 'lf' | 'crlf';
}

/**
 * Finds where the last complete record ends (outside quotes) in `buf`, and which lines, as
 * DuckDB numbers them (every unquoted newline, blank lines too), span extra physical lines.
 * DuckDB's strict parser (auto_detect off) takes the kind of the first newline it meets,
 * quoted or not, and refuses any other record end: `newlines` says when they must be rewritten.
 */
export function scanCsv(buf: Uint8Array, quoting: ByteQuoting, atEnd: boolean): CsvScan {
	const { quote, escape } = quoting;
	const escaped = escape !== quote;
	const n = buf.length;
	let boundary = 0;
	let lines = 0;
	let extra = 0;
	let physical = 0;
	let crlf = false;
	let lf = false;
	/** The first newline byte's kind: 0 none yet, 1 LF, 2 CRLF. */
	let first = 0;
	const multiline: Array<[number, number]> = [];
	let boundaryLines = 0;
	let boundaryPhysical = 0;
	let boundaryMultiline = 0;
	let boundaryCrlf = false;
	let boundaryLf = false;
	/** Counts the newlines inside a quoted field, bytes [from, to). */
	const quotedNewlines = (from: number, to: number): void => {
		for (let j = buf.indexOf(10, from); j !== -1 && j < to; j = buf.indexOf(10, j + 1)) {
			physical++;
			extra++;
			if (first === 0) first = j > 0 && buf[j - 1] === 13 ? 2 : 1;
		}
	};
	// Jumps from one quote or newline to the next with indexOf (native, much faster than a byte loop).
	let nextQuote = buf.indexOf(quote);
	let i = 0;
	while (i < n) {
		if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(quote, i);
		const nl = buf.indexOf(10, i);
		if (nextQuote !== -1 && (nl === -1 || nextQuote < nl)) {
			// A quoted field: find its closing quote (a doubled quote closes and reopens: same count).
			let j = nextQuote + 1;
			let close = -1;
			if (escaped) {
				for (; j < n; j++) {
					const c = buf[j];
					if (c === escape && (buf[j + 1] === quote || buf[j + 1] === escape)) j++;
					else if (c === quote) {
						close = j;
						break;
					}
				}
			} else close = buf.indexOf(quote, j);
			if (close === -1) {
				quotedNewlines(nextQuote + 1, n);
				break;
			}
			quotedNewlines(nextQuote + 1, close);
			i = close + 1;
			nextQuote = buf.indexOf(quote, i);
			continue;
		}
		if (nl === -1) break;
		physical++;
		const cr = nl > 0 && buf[nl - 1] === 13;
		if (first === 0) first = cr ? 2 : 1;
		lines++;
		if (cr) crlf = true;
		else lf = true;
		if (extra > 0) {
			multiline.push([lines, extra]);
			extra = 0;
		}
		boundary = nl + 1;
		boundaryLines = lines;
		boundaryPhysical = physical;
		boundaryMultiline = multiline.length;
		boundaryCrlf = crlf;
		boundaryLf = lf;
		i = nl + 1;
	}
	if (atEnd && boundary < n) {
		// The last record has no newline after it.
		let blank = true;
		for (let k = boundary; k < n && blank; k++) blank = buf[k] === 13 || buf[k] === 10 || buf[k] === 32;
		if (!blank) {
			lines++;
			if (extra > 0) multiline.push([lines, extra]);
			physical++;
		}
		boundary = n;
		boundaryLines = lines;
		boundaryPhysical = physical;
		boundaryMultiline = multiline.length;
	}
	const want = first === 2 ? 'crlf' : 'lf';
	const newlines = (want === 'lf' && boundaryCrlf) || (want === 'crlf' && boundaryLf) ? want : undefined;
	return { boundary, lines: boundaryLines, physical: boundaryPhysical, multiline: multiline.slice(0, boundaryMultiline), newlines };
}

/** Rewrites every record end (newlines outside quotes) to LF or CRLF; quoted text stays as it is. */
export function rewriteNewlines(buf: Uint8Array, quoting: ByteQuoting, to: 'lf' | 'crlf'): Uint8Array {
	let unquotedLf = 0;
	if (to === 'crlf') {
		let inQuotes = false;
		for (let i = 0; i < buf.length; i++) {
			const c = buf[i];
			if (inQuotes && escapes(buf, i, quoting)) i++;
			else if (c === quoting.quote) inQuotes = !inQuotes;
			else if (c === 10 && !inQuotes) unquotedLf++;
		}
	}
	const out = new Uint8Array(buf.length + unquotedLf);
	let n = 0;
	let inQuotes = false;
	for (let i = 0; i < buf.length; i++) {
		const c = buf[i];
		if (inQuotes && escapes(buf, i, quoting)) {
			out[n++] = c;
			out[n++] = buf[++i];
			continue;
		}
		if (c === quoting.quote) inQuotes = !inQuotes;
		if (!inQuotes) {
			if (c === 13 && buf[i + 1] === 10) continue;
			if (c === 10 && to === 'crlf') out[n++] = 13;
		}
		out[n++] = c;
	}
	return out.slice(0, n);
}

/** 3 when `bytes` starts with a UTF-8 byte order mark, else 0. */
export function bomBytes(bytes: Uint8Array): number {
	return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Byte length and physical lines of the header record at the start of `sample`. */
export function headerExtent(sample: Uint8Array, quoting: ByteQuoting): { bytes: number; lines: number } {
	let inQuotes = false;
	let lines = 0;
	let i = bomBytes(sample);
	for (; i < sample.length; i++) {
		const c = sample[i];
		if (inQuotes && escapes(sample, i, quoting)) i++;
		else if (c === quoting.quote) inQuotes = !inQuotes;
		else if (c === 10) {
			lines++;
			if (!inQuotes) return { bytes: i + 1, lines };
		}
	}
	return { bytes: sample.length, lines: lines + 1 };
}

/** The line in the file of DuckDB's `line` within a chunk that starts at file line `firstLine`. */
export function fileLine(firstLine: number, multiline: ReadonlyArray<readonly [number, number]>, line: number): number {
	let extra = 0;
	for (const [record, lines] of multiline) if (record < line) extra += lines;
	return firstLine + line - 1 + extra;
}

/**
 * The first bytes of `sample` that are not UTF-8, as a line (1-based) and byte offset; undefined
 * when all are. `ended`: the sample is the whole file (else a character cut at its end is fine).
 */
export function firstInvalidUtf8(sample: Uint8Array, ended: boolean): { line: number; offset: number; byte: number } | undefined {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	try {
		decoder.decode(sample, { stream: !ended });
		return undefined;
	} catch {
		// find where: decode growing prefixes line by line
	}
	let line = 1;
	let start = 0;
	for (let i = 0; i <= sample.length; i++) {
		if (i < sample.length && sample[i] !== 10) continue;
		try {
			new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(start, i), { stream: i === sample.length && !ended });
		} catch {
			let offset = start;
			for (let k = start + 1; k <= i; k++) {
				try {
					new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(start, k), { stream: true });
					offset = k;
				} catch {
					break;
				}
			}
			// `offset` ends the longest valid prefix (a partial character at its end counts as valid while streaming).
			let bad = offset;
			while (bad > start && sample[bad - 1] >= 0x80 && sample[bad - 1] < 0xc0) bad--;
			if (bad > start && sample[bad - 1] >= 0xc0) bad--;
			return { line, offset: bad, byte: sample[bad] };
		}
		line++;
		start = i + 1;
	}
	return undefined;
}
