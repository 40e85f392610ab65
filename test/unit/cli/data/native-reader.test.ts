/**
 * The CLI's native DuckDB readers (cli/data/) against the JS readers they stand in for: on CSV
 * files with missing values in every spelling, integers, floats, text, quoted fields, values
 * DuckDB reads as numbers and the library does not (`1_000`, `+-1`, `inf`, beyond the rows that
 * judge a column), few-valued number columns, other delimiters and line ends, and on Parquet,
 * each column handed to the statistics is what the JS reader gives (its strings, or exactly the
 * numbers the library parses them to), and the drift report is identical; files DuckDB would
 * accept and the JS reader refuses get the JS reader's error, naming the line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { driftColumns, readDataFile } from '#cli/data/data-file.ts';
import { SCAN_BLOCK } from '#cli/data/native-csv.ts';
import { driftReport, isMissingString, parseNumber, type Column } from '#lib/stats/index.ts';
import { runCli } from '../../../support/cli';
import { mulberry32 } from '../../../support/mulberry32';

let dir: string;
const file = (name: string) => join(dir, name);


const ROWS = 3000;
/** Rows past the ones the native reader judges a column by (cli/data/native-csv.ts samples 2000). */
const LATE = 2500;
const MISSING = ['', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', '""'];
const HEADER = ['int', 'float', 'text', 'flag', 'rating', 'underscore', 'signs', 'infinite', 'spaced', 'quoted_num', 'note, quoted', 'sparse'];

/** One side of the experiment: a CSV whose columns exercise one reading rule each. */
function mixedCsv(seed: number, shift: number): string {
	const random = mulberry32(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
	const lines = [HEADER.map((h) => (h.includes(',') ? `"${h}"` : h)).join(',')];
	for (let i = 0; i < ROWS; i++) {
		const missing = random() < 0.05;
		const x = random() * 100 + shift;
		const row = [
			missing ? pick(MISSING) : String(Math.floor(x)),
			missing ? pick(MISSING) : pick([x.toFixed(3), x.toExponential(4), `"${x}"`, String(-x), '-0', '.5', '5.', '1e3']),
			pick(['alpha', 'beta', '"gamma, delta"', '"say ""hi"""', '"two\nlines"', 'Zoë', '""', '']),
			pick(['0', '1', '1.0', '']),
			String(1 + Math.floor(random() * 5)),
			i === LATE ? '1_000' : x.toFixed(1),
			i === LATE ? '+-1' : x.toFixed(2),
			i === LATE ? 'inf' : x.toFixed(2),
			i === LATE ? ' 7.5\u00a0' : pick([` ${x.toFixed(1)}`, `${x.toFixed(1)} `, x.toFixed(1)]),
			`"${x.toFixed(2)}"`,
			pick(['a', 'b', '"c,d"']),
			random() < 0.03 ? x.toFixed(1) : ''
		];
		lines.push(row.join(','));
	}
	return lines.join('\n') + '\n';
}

/** The JS reader's strings as the numbers the library parses them to (undefined when one is not a number). */
function parsed(values: ArrayLike<string | null>): Float64Array | undefined {
	const out = new Float64Array(values.length);
	for (let i = 0; i < values.length; i++) {
		const s = values[i];
		out[i] = isMissingString(s) ? NaN : parseNumber(String(s));
		if (!isMissingString(s) && !Number.isFinite(out[i])) return undefined;
	}
	return out;
}

/** Native columns equal the JS reader's: the same strings, or numbers exactly the parsed strings. */
function expectSameColumns(native: Record<string, Column>, js: Record<string, Column>) {
	expect(Object.keys(native)).toEqual(Object.keys(js));
	for (const [name, column] of Object.entries(native)) {
		const expected = js[name];
		if (column.type === 'string' || expected.type === 'number') {
			expect(column, name).toEqual(expected);
			continue;
		}
		const numbers = parsed(expected.values);
		expect(numbers, `${name}: read as numbers, but the JS reader has a value that is not one`).toBeDefined();
		expect(column.values, name).toEqual(numbers);
	}
}

async function bothReaders(reference: string, current: string, names?: string[]) {
	const [nr, nc, jr, jc] = await Promise.all([readDataFile(reference), readDataFile(current), readDataFile(reference, { native: false }), readDataFile(current, { native: false })]);
	const native = await driftColumns(nr, nc, names ?? Object.keys(nr.columns));
	return { nr, nc, native, js: { reference: jr.columns, current: jc.columns } };
}

/** The drift report on the JSON wire, for the methods (and columns) given. */
const reportJson = (data: { reference: Record<string, Column>; current: Record<string, Column> }, methods: string[], columns?: string[]) =>
	JSON.stringify(driftReport(data.reference, data.current, { methods, columns }), null, 2);

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'driftbook-native-reader-'));
	writeFileSync(file('reference.csv'), mixedCsv(1, 0));
	writeFileSync(file('current.csv'), mixedCsv(2, 3));
	// A byte order mark, semicolons, CRLF, decimal commas (text), a quoted CRLF.
	const semi = (seed: number) => {
		const random = mulberry32(seed);
		const rows = Array.from({ length: 400 }, (_, i) => `${i};${(random() * 10).toFixed(2)};"${(random() * 10).toFixed(1).replace('.', ',')}";${i % 50 === 0 ? '"a\r\nb"' : 'x'}`);
		return '\ufeffid;value;comma;note\r\n' + rows.join('\r\n') + '\r\n';
	};
	writeFileSync(file('semi-ref.csv'), semi(3));
	writeFileSync(file('semi-cur.csv'), semi(4));
	// One column: blank lines are missing values there.
	writeFileSync(file('one-ref.csv'), 'v\n1\n\n2\n3\n4\n\n5\n6\n7\n');
	writeFileSync(file('one-cur.csv'), 'v\n2\n3\n\n4\n5\n6\n7\n8\n\n');
	// Numbers and empty cells only (DuckDB parses them itself), and the same with a NaN or an
	// infinity spelled in ways DuckDB reads and the library does not, after the sampled rows.
	const plain = (seed: number, late: string) => {
		const random = mulberry32(seed);
		const rows = Array.from({ length: ROWS }, (_, i) => {
			const x = random() * 100 - 50;
			const spelled = [String(x), x.toFixed(2), `"${x.toFixed(3)}"`, x.toExponential(3), '-0', '.5', '5.', ''][i % 8];
			return [i, spelled, i === LATE ? late : x.toFixed(1), ['a', '"b, c"', ''][i % 3]].join(',');
		});
		return 'id,x,y,label\n' + rows.join('\n') + '\n';
	};
	writeFileSync(file('plain-ref.csv'), plain(5, '1.5'));
	writeFileSync(file('plain-cur.csv'), plain(6, '2.5'));
	writeFileSync(file('nan-spelled.csv'), plain(7, '-nan'));
	writeFileSync(file('inf-spelled.csv'), plain(8, 'Infinity'));
	// Files DuckDB reads and the JS reader refuses: the JS reader's message, naming the line.
	const many = Array.from({ length: 3000 }, (_, i) => `${i},v${i % 7}`).join('\n');
	writeFileSync(file('quote-inside.csv'), `x,y\n${many}\n1,a"b\n`);
	writeFileSync(file('trailing-delimiter.csv'), `x,y\n${many}\n1,2,\n`);
	writeFileSync(file('text-after-quote.csv'), `x,y\n${many}\n1,"a"b\n`);

	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	for (const side of ['reference', 'current']) {
		await conn.run(
			`COPY (SELECT int::BIGINT AS int, TRY_CAST(float AS DOUBLE) AS float, text, flag::FLOAT AS flag, rating::TINYINT AS rating, CASE WHEN int IS NULL THEN NULL ELSE 'x' || int END AS label
			FROM read_csv('${file(side + '.csv')}', header = true, all_varchar = true, nullstr = ['', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL']))
			TO '${file(side + '.parquet')}' (FORMAT parquet)`
		);
	}
	conn.closeSync();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the native readers give the JS readers’ columns', { timeout: 120_000 }, () => {
	it('a CSV with every kind of value: same columns, numbers where safe, same drift report', async () => {
		const { nr, native, js } = await bothReaders(file('reference.csv'), file('current.csv'));
		// Numbers only where every value is one; a column that stops being numbers after the
		// sampled rows (1_000, +-1, inf, a no-break space) is text.
		expect(Object.fromEntries(Object.entries(nr.columns).map(([name, c]) => [name, c.type]))).toEqual({
			int: 'number',
			float: 'number',
			text: 'string',
			flag: 'number',
			rating: 'number',
			underscore: 'string',
			signs: 'string',
			infinite: 'string',
			spaced: 'string',
			quoted_num: 'number',
			'note, quoted': 'string',
			sparse: 'number'
		});
		expectSameColumns(nr.columns, js.reference);
		// Few-valued number columns are categories as written ("1.0" is not "1"): text for the report.
		expect(native.reference.flag).toEqual(js.reference.flag);
		expect(native.reference.rating).toEqual(js.reference.rating);
		expect(native.reference.int.type).toBe('number');
		for (const methods of [['auto'], ['ks', 'chisquare', 'psi', 'jensenshannon', 'wasserstein_norm', 'hellinger']]) {
			expect(reportJson(native, methods)).toBe(reportJson(js, methods));
		}
	});

	it('numbers DuckDB parses itself; a NaN or an infinity spelled otherwise makes the column text', async () => {
		const { nr, nc, native, js } = await bothReaders(file('plain-ref.csv'), file('plain-cur.csv'));
		expect([nr.columns.id.type, nr.columns.x.type, nr.columns.y.type, nr.columns.label.type]).toEqual(['number', 'number', 'number', 'string']);
		expectSameColumns(nr.columns, js.reference);
		expectSameColumns(nc.columns, js.current);
		expect(reportJson(native, ['auto'])).toBe(reportJson(js, ['auto']));
		for (const name of ['nan-spelled.csv', 'inf-spelled.csv']) {
			const [fast, slow] = await Promise.all([readDataFile(file(name)), readDataFile(file(name), { native: false })]);
			expect([fast.columns.x.type, fast.columns.y.type], name).toEqual(['number', 'string']);
			expectSameColumns(fast.columns, slow.columns);
		}
	});

	it('semicolons, CRLF, a byte order mark and a one-column file with blank lines', async () => {
		for (const [reference, current] of [
			['semi-ref.csv', 'semi-cur.csv'],
			['one-ref.csv', 'one-cur.csv']
		]) {
			const { nr, nc, native, js } = await bothReaders(file(reference), file(current));
			expectSameColumns(nr.columns, js.reference);
			expectSameColumns(nc.columns, js.current);
			expect(reportJson(native, ['auto'])).toBe(reportJson(js, ['auto']));
		}
		// Read natively (the JS reader gives only strings).
		const [semi, one] = await Promise.all([readDataFile(file('semi-ref.csv')), readDataFile(file('one-ref.csv'))]);
		expect(Object.keys(semi.columns)).toEqual(['id', 'value', 'comma', 'note']);
		expect(semi.columns.value.type).toBe('number');
		expect(one.columns.v).toEqual({ type: 'number', values: new Float64Array([1, NaN, 2, 3, 4, NaN, 5, 6, 7]) });
	});

	it('number columns in shared memory, which a drift report hands its second thread without copying them', async () => {
		for (const name of ['plain-ref.csv', 'reference.parquet']) {
			const { columns } = await readDataFile(file(name));
			const numbers = Object.values(columns).filter((c) => c.type === 'number');
			expect(numbers.length, name).toBeGreaterThan(0);
			for (const column of numbers) expect(column.values.buffer, name).toBeInstanceOf(SharedArrayBuffer);
		}
	});

	it('Parquet: same columns and report as parquet-wasm through Arrow', async () => {
		const { nr, nc, native, js } = await bothReaders(file('reference.parquet'), file('current.parquet'));
		expect(nr.columns).toEqual(js.reference);
		expect(nc.columns).toEqual(js.current);
		expect(reportJson(native, ['ks', 'chisquare', 'psi'])).toBe(reportJson(js, ['ks', 'chisquare', 'psi']));
	});

	it('a CSV mixing with a Parquet file: few-valued CSV numbers are still their text', async () => {
		const names = ['int', 'float', 'flag', 'rating'];
		const { native, js } = await bothReaders(file('reference.parquet'), file('current.csv'), names);
		expect(native.current.rating).toEqual(js.current.rating);
		expect(reportJson(native, ['auto'], names)).toBe(reportJson(js, ['auto'], names));
	});

	it('reads the file named, even where DuckDB would see a glob pattern in its name', async () => {
		writeFileSync(file('glob*.csv'), 'x\n1\n2\n');
		writeFileSync(file('globbed.csv'), 'x\n3\n');
		const [named, js] = await Promise.all([readDataFile(file('glob*.csv')), readDataFile(file('glob*.csv'), { native: false })]);
		expectSameColumns(named.columns, js.columns);
	});

	it('refuses what the JS reader refuses, with its message naming the line', async () => {
		const refusal = (name: string) => readDataFile(file(name)).then(() => 'read', (error: Error) => error.message);
		expect(await refusal('quote-inside.csv')).toMatch(/quote-inside\.csv, line 3002: a quote inside an unquoted field/);
		expect(await refusal('trailing-delimiter.csv')).toMatch(/trailing-delimiter\.csv, line 3002: 3 fields where the header has 2$/);
		expect(await refusal('text-after-quote.csv')).toMatch(/text-after-quote\.csv, line 3002: unexpected "b" after a closing quote/);
	});

	it('files past the first megabyte (the layout is read from it while the whole file arrives): the same columns and refusals', async () => {
		// ~2 MB; what decides the reading (an underscore, a quote, a trailing delimiter) only after 1 MB
		const big = (seed: number, late: string) => {
			const random = mulberry32(seed);
			const rows = Array.from({ length: 80_000 }, (_, i) => [i, (random() * 100 - 50).toFixed(4), i === 70_000 ? late : (random() * 10).toFixed(3)].join(','));
			return 'id,x,y\n' + rows.join('\n') + '\n';
		};
		writeFileSync(file('big-ref.csv'), big(11, '1.5'));
		writeFileSync(file('big-cur.csv'), big(12, '2.5'));
		writeFileSync(file('big-underscore.csv'), big(13, '1_000'));
		writeFileSync(file('big-quote.csv'), big(14, 'a"b'));
		writeFileSync(file('big-trailing.csv'), big(15, '7,'));
		const { nr, nc, native, js } = await bothReaders(file('big-ref.csv'), file('big-cur.csv'));
		expect([nr.columns.id.type, nr.columns.x.type, nr.columns.y.type]).toEqual(['number', 'number', 'number']);
		expectSameColumns(nr.columns, js.reference);
		expectSameColumns(nc.columns, js.current);
		expect(reportJson(native, ['ks', 'psi'])).toBe(reportJson(js, ['ks', 'psi']));
		const [fast, slow] = await Promise.all([readDataFile(file('big-underscore.csv')), readDataFile(file('big-underscore.csv'), { native: false })]);
		expect([fast.columns.x.type, fast.columns.y.type]).toEqual(['number', 'string']);
		expectSameColumns(fast.columns, slow.columns);
		const refusal = (name: string) => readDataFile(file(name)).then(() => 'read', (error: Error) => error.message);
		expect(await refusal('big-quote.csv')).toMatch(/big-quote\.csv, line 70002: a quote inside an unquoted field/);
		expect(await refusal('big-trailing.csv')).toMatch(/big-trailing\.csv, line 70002: 4 fields where the header has 3$/);
	});

	it('what decides the reading, split between the blocks the file is scanned in: the same columns and refusals', async () => {
		/** Rows `id,x,y`, then `last` with its final character at byte `at` (every character here is one byte). */
		const upTo = (at: number, last: (i: number, pad: string) => string) => {
			const lines = ['id,x,y'];
			let length = lines[0].length + 1;
			for (let i = 0; length < at - 64; i++) {
				lines.push(`${i},${(i % 97) / 4},${i % 13}.5`);
				length += lines.at(-1)!.length + 1;
			}
			const i = lines.length - 1;
			lines.push(last(i, '0'.repeat(at + 1 - length - last(i, '').length)));
			return lines.join('\n') + '\n' + Array.from({ length: 2000 }, (_, k) => `${i + k + 1},1.25,${k % 7}.5`).join('\n') + '\n';
		};
		// a line ending in a delimiter whose delimiter is the last byte of a block; a `+-` whose `+` is the last byte of the next
		writeFileSync(file('edge-trailing.csv'), upTo(SCAN_BLOCK - 1, (i, pad) => `${i},1.${pad},7,`));
		writeFileSync(file('edge-signs.csv'), upTo(2 * SCAN_BLOCK + 1, (i, pad) => `${i},1.${pad},+-1`));
		const refusal = await readDataFile(file('edge-trailing.csv')).then(() => 'read', (error: Error) => error.message);
		expect(refusal).toMatch(/edge-trailing\.csv, line \d+: 4 fields where the header has 3$/);
		const [fast, slow] = await Promise.all([readDataFile(file('edge-signs.csv')), readDataFile(file('edge-signs.csv'), { native: false })]);
		expect([fast.columns.x.type, fast.columns.y.type]).toEqual(['number', 'string']);
		expectSameColumns(fast.columns, slow.columns);
	});

	it('`driftbook drift --json` prints the JS readers’ report', async () => {
		const r = await runCli('drift', ['--reference', file('reference.csv'), '--current', file('current.csv'), '--method', 'ks,chisquare', '--json']);
		expect(r.code, r.stderr).toBe(0);
		const [reference, current] = await Promise.all([readDataFile(file('reference.csv'), { native: false }), readDataFile(file('current.csv'), { native: false })]);
		expect(r.stdout).toBe(reportJson({ reference: reference.columns, current: current.columns }, ['ks', 'chisquare']) + '\n');
	});
});
