/**
 * The tokenizer's syntax (./tokenize.ts) on raw bytes, for the loader: splitting CSV bytes into
 * whole records without decoding them. A newline ends a record unless it is inside quotes (a
 * doubled quote toggles twice, so RFC 4180 escapes need no special case; another escape
 * character skips the quote or escape after it). Also the bookkeeping that maps DuckDB's line
 * numbers in a chunk back to lines in the file: DuckDB counts every unquoted newline (blank
 * lines too) but a quoted newline not at all.
 */

/** The quote and escape characters as bytes (both ASCII in every dialect the loader reads). */
export interface ByteQuoting {
	quote: number;
	escape: number;
}

export function byteQuoting(syntax: { quote: string; escape: string }): ByteQuoting {
	const quote = syntax.quote.charCodeAt(0);
	const escape = syntax.escape.charCodeAt(0);
	if (quote > 0x7f || escape > 0x7f) throw new Error(`the quote and escape characters must be ASCII (got ${JSON.stringify(syntax.quote)} and ${JSON.stringify(syntax.escape)})`);
	return { quote, escape };
}

/** Whether byte `i` inside quotes is an escape whose escaped character (at i + 1) must be skipped. */
function escapes(buf: Uint8Array, i: number, { quote, escape }: ByteQuoting): boolean {
	if (escape === quote || buf[i] !== escape) return false;
	const next = buf[i + 1];
	return next === quote || next === escape;
}

/**
 * Finds where the last complete record ends (outside quotes) in `buf`, and which lines, as
 * DuckDB numbers them (every unquoted newline, blank lines too), span extra physical lines.
 */
export function scanCsv(buf: Uint8Array, quoting: ByteQuoting, atEnd: boolean) {
	const quote = quoting.quote;
	let inQuotes = false;
	let boundary = 0;
	let lines = 0;
	let extra = 0;
	let physical = 0;
	let crlf = false;
	let lf = false;
	const multiline: Array<[number, number]> = [];
	let boundaryState = { lines: 0, physical: 0, multiline: 0 };
	for (let i = 0; i < buf.length; i++) {
		const c = buf[i];
		if (inQuotes && escapes(buf, i, quoting)) i++;
		else if (c === quote) inQuotes = !inQuotes;
		else if (c === 10) {
			physical++;
			if (inQuotes) extra++;
			else {
				lines++;
				if (i > 0 && buf[i - 1] === 13) crlf = true;
				else lf = true;
				if (extra > 0) {
					multiline.push([lines, extra]);
					extra = 0;
				}
				boundary = i + 1;
				boundaryState = { lines, physical, multiline: multiline.length };
			}
		}
	}
	if (atEnd && boundary < buf.length) {
		// The last record has no newline after it.
		const rest = buf.subarray(boundary);
		if (rest.some((b) => b !== 13 && b !== 10 && b !== 32)) {
			lines++;
			if (extra > 0) multiline.push([lines, extra]);
			physical++;
		}
		boundary = buf.length;
		boundaryState = { lines, physical, multiline: multiline.length };
	}
	return { boundary, lines: boundaryState.lines, physical: boundaryState.physical, multiline: multiline.slice(0, boundaryState.multiline), mixedNewlines: crlf && lf };
}

/** Drops the \r of \r\n outside quotes: DuckDB's strict parser refuses a file that mixes both. */
export function normalizeNewlines(buf: Uint8Array, quoting: ByteQuoting): Uint8Array {
	const out = new Uint8Array(buf.length);
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
		if (c === 13 && !inQuotes && buf[i + 1] === 10) continue;
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
