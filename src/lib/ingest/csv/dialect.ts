/**
 * Detecting how a CSV is written and typed, from a sample (the start of the file): the loader's
 * plan and the CLI's delimiter come from here. The delimiter is the one that splits the most
 * records into the same number of fields (more than one); a header is told by types; column
 * types are the narrowest every sampled value fits (src/lib/ingest/text-types.ts).
 * Records come from the one tokenizer (./tokenize.ts), read leniently since a sample may be cut
 * anywhere and wrong delimiters are tried on it; blank lines are no records (DuckDB skips them).
 */
import type { ColumnType, CsvSniff, DataFormat, LoadRequest } from '#lib/ingest/read-options.ts';
import { inferTextType, INTEGER_TEXT } from '#lib/ingest/text-types.ts';
import { csvSyntax, isBlankRecord, tokenizeCsv, type CsvSyntax } from './tokenize';

export interface CsvRecord {
	fields: string[];
	/** 1-based physical line where the record starts. */
	line: number;
}

/** The non-blank records of a sample, read leniently; `complete` false drops a last record that may be cut off. */
export function sampleRecords(text: string, syntax: Partial<CsvSyntax>, limit = Infinity, complete = true): CsvRecord[] {
	const { records, lines } = tokenizeCsv(text, syntax, { limit, complete });
	const out: CsvRecord[] = [];
	for (let r = 0; r < records.length; r++) if (!isBlankRecord(records[r])) out.push({ fields: records[r], line: lines[r] });
	return out;
}

/** The delimiters tried, in order. */
export const DELIMITERS = [',', '\t', ';', '|'];

function mode(values: number[]): { value: number; share: number } {
	const counts = new Map<number, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	let best = { value: 1, count: 0 };
	for (const [value, count] of counts) if (count > best.count || (count === best.count && value > best.value)) best = { value, count };
	return { value: best.value, share: values.length ? best.count / values.length : 0 };
}

/** The delimiter under which most records have the same number of fields (more than one); `,` when none splits. */
export function detectDelimiter(text: string, syntax: { quote?: string; escape?: string } = {}, complete = true): string {
	let best = { delimiter: ',', share: 0, fields: 1 };
	for (const delimiter of DELIMITERS) {
		if (delimiter === (syntax.quote ?? '"') || delimiter === syntax.escape) continue;
		const records = sampleRecords(text, { ...syntax, delimiter }, 500, complete);
		const { value, share } = mode(records.map((r) => r.fields.length));
		if (value < 2) continue;
		if (share > best.share + 1e-9 || (Math.abs(share - best.share) < 1e-9 && value > best.fields)) best = { delimiter, share, fields: value };
	}
	return best.delimiter;
}

function uniqueNames(names: string[]): string[] {
	const seen = new Map<string, number>();
	return names.map((raw, i) => {
		const name = raw.trim() === '' ? `column${i}` : raw;
		const n = seen.get(name) ?? 0;
		seen.set(name, n + 1);
		return n === 0 ? name : `${name}_${n}`;
	});
}

/**
 * Detects dialect and types from a sample (the start of the file). `complete` says the sample
 * is the whole file; otherwise its last, possibly cut, record is ignored.
 */
export function sniffCsv(sample: string, request: LoadRequest & { format?: DataFormat }, complete: boolean): CsvSniff {
	const quote = request.quote ?? '"';
	const escape = request.escape ?? quote;
	const delimiter = request.delimiter ?? (request.format === 'tsv' ? '\t' : detectDelimiter(sample, { quote, escape }, complete));
	csvSyntax({ delimiter, quote, escape });
	const records = sampleRecords(sample, { delimiter, quote, escape }, 20_000, complete);
	const notes: string[] = [];
	if (records.length === 0) throw new Error('the file is empty');
	const fieldCount = mode(records.slice(request.header === false ? 0 : 1).map((r) => r.fields.length));
	const nullstr = request.nullstr;
	const clean = (v: string) => (v === nullstr ? '' : v);

	// Header: the first record is a header when one of its fields does not fit the type the rest
	// of that column has, or, when every column is text, when its fields are distinct names.
	let header = request.header;
	const given = { dateformat: request.dateformat, timestampformat: request.timestampformat };
	if (header === undefined) {
		const first = records[0].fields;
		const body = records.slice(1);
		const bodyTypes = first.map(
			(_, c) =>
				inferTextType(
					body.map((r) => clean(r.fields[c] ?? '')),
					given
				).type
		);
		const firstFits = first.map(
			(v, c) => v === '' || bodyTypes[c] === 'VARCHAR' || inferTextType([v], given).type === bodyTypes[c] || (bodyTypes[c] === 'DOUBLE' && INTEGER_TEXT.test(v))
		);
		if (body.length === 0) header = first.every((v) => v !== '' && inferTextType([v]).type === 'VARCHAR');
		else if (firstFits.some((fits) => !fits)) header = true;
		else if (bodyTypes.every((t) => t === 'VARCHAR')) header = first.every((v) => v.trim() !== '') && new Set(first).size === first.length;
		else header = false;
	}
	const body = header ? records.slice(1) : records;
	const width = header ? records[0].fields.length : fieldCount.value;
	if (request.delimiter !== undefined && width === 1) {
		const detected = detectDelimiter(sample, { quote, escape }, complete);
		const split = sampleRecords(sample, { delimiter: detected, quote, escape }, 50, complete)[0]?.fields.length ?? 1;
		if (detected !== request.delimiter && split > 1) {
			notes.push(
				`with delimiter ${JSON.stringify(request.delimiter)} every record is one field; ${JSON.stringify(detected)} splits them into ${split} fields: is the delimiter right?`
			);
		}
	}
	const ragged = body.filter((r) => r.fields.length !== width);
	if (ragged.length > 0) {
		const lines = ragged
			.slice(0, 5)
			.map((r) => r.line)
			.join(', ');
		notes.push(
			`${ragged.length} of the first ${body.length} records do not have ${width} fields (line ${lines}${ragged.length > 5 ? ', …' : ''}): they will be rejected`
		);
	}
	const regular = body.filter((r) => r.fields.length === width);
	const names = uniqueNames(header ? records[0].fields : Array.from({ length: width }, (_, i) => `column${i}`));

	const explicit = request.columns ?? [];
	let byName = new Map(explicit.map((c) => [c.name, c.type]));
	if (explicit.length > 0 && !header && explicit.length === width && explicit.every((c) => !names.includes(c.name))) {
		// No header: explicit columns name the columns in order.
		explicit.forEach((c, i) => (names[i] = c.name));
		byName = new Map(explicit.map((c) => [c.name, c.type]));
	}
	for (const name of byName.keys()) {
		if (!names.includes(name)) throw new Error(`field "columns": the file has no column "${name}" (it has ${names.join(', ')})`);
	}

	let dateformat = request.dateformat;
	let timestampformat = request.timestampformat;
	const detectedTypes: string[] = [];
	const columns: ColumnType[] = names.map((name, c) => {
		const set = byName.get(name);
		if (set) return { name, type: set };
		const inferred = inferTextType(
			regular.map((r) => clean(r.fields[c])),
			given
		);
		let type = inferred.type;
		if (inferred.dateformat && dateformat === undefined) dateformat = inferred.dateformat;
		if (inferred.timestampformat && timestampformat === undefined) timestampformat = inferred.timestampformat;
		if (type === 'DATE' && (inferred.dateformat ?? '%Y-%m-%d') !== (dateformat ?? '%Y-%m-%d')) {
			notes.push(`column ${name}: dates in a second format (${inferred.dateformat}) are read as text; one dateformat applies per file`);
			type = 'VARCHAR';
		}
		if (type === 'TIMESTAMP' && (inferred.timestampformat ?? '') !== (timestampformat ?? '')) {
			notes.push(`column ${name}: timestamps in a second format (${inferred.timestampformat}) are read as text`);
			type = 'VARCHAR';
		}
		if (inferred.ambiguous) {
			const f = inferred.dateformat ?? inferred.timestampformat;
			notes.push(`column ${name}: day and month cannot be told apart in the sample; read as ${f} (set dateformat/timestampformat if that is wrong)`);
		}
		detectedTypes.push(name);
		return { name, type };
	});
	return {
		dialect: { delimiter, quote, escape, header, columns, dateformat, timestampformat, nullstr },
		detected: { delimiter: request.delimiter === undefined && request.format !== 'tsv', header: request.header === undefined, types: detectedTypes },
		rows: body.slice(0, 50).map((r) => r.fields),
		sampledRows: body.length,
		notes
	};
}
