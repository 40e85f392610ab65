// `driftbook check`: data-quality checks of a current data file, learnt from a reference or read
// from a saved suite, as text or JSON; exit 1 on a failed check with --fail-on-error (for CI).
// Imports use #lib (not $lib): the command runs under plain tsx, without SvelteKit.
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Column } from '#lib/stats/column.ts';
import { parseSuite, printSuite, runSuite, suiteFromReference, type QualitySuite, type SuiteRun } from '#lib/stats/quality/index.ts';
import { formatCount } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { readDataFile, type DataTable } from '../data/data-file';

export const usage = `usage: driftbook check --reference R.csv --current C.csv [--columns a,b] [--chunk-size N]
                      [--max-missing RATE] [--save-suite S.json] [--json] [--fail-on-error]
       driftbook check --suite S.json --current C.csv [--json] [--fail-on-error]
       driftbook check --reference R.csv --save-suite S.json [--columns a,b] [--chunk-size N]

Data-quality checks per column and chunk, with conditions learnt from the reference:
  value_type                a column of numbers in the reference holds no text
  missing_values_rate       each chunk's share of missing cells stays within mean ± 3σ of the
                            reference chunks' shares (NannyML's MissingValuesCalculator)
  unseen_values_rate        text columns: no chunk has a category the reference never had
                            (NannyML's UnseenValuesCalculator)
  out_of_range_values_rate  number columns: no chunk has a number outside the reference's
                            [min, max] (NannyML's NumericalRangeCalculator)

  --reference FILE     data the checks are learnt from: CSV (with a header row) or Parquet
  --suite FILE         a saved suite (JSON, as --save-suite writes it, edited or not) instead
  --current FILE       data to check
  --columns A[,B…]     columns to check (default: every reference column)
  --chunk-size N       rows per chunk (the remainder forms a last, smaller chunk); default:
                       NannyML's, 10 chunks per data set (and any remainder)
  --max-missing RATE   a fixed upper bound on every chunk's share of missing cells (0–1)
                       instead of one learnt from the reference
  --save-suite FILE    write the suite learnt from the reference as JSON (to edit and reuse)
  --json               print {"passed","failed","rows","checks":[…]} instead of text
                       ({"saved","checks"} when only saving a suite)
  --fail-on-error      exit 1 when a check fails

Rows in messages are 0-based data rows, as in the chunk keys [first:last].
Exit status: 0 every check passed (or some failed, without --fail-on-error); 1 a check failed
with --fail-on-error; 2 bad input (one line on stderr naming the file and column).`;

function columnList(value: string | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	const names = value
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (names.length === 0) throw new UsageError('--columns needs at least one name');
	return names;
}

function positiveWhole(value: string | undefined, option: string): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\s*\d+\s*$/.test(value) || !(Number(value) > 0)) throw new UsageError(`--${option} must be a positive whole number (got "${value}")`);
	return Number(value);
}

function rate(value: string | undefined, option: string): number | undefined {
	if (value === undefined) return undefined;
	const x = Number(value);
	if (value.trim() === '' || !(x >= 0 && x <= 1)) throw new UsageError(`--${option} must be a share between 0 and 1 (got "${value}")`);
	return x;
}

async function readSuite(path: string): Promise<QualitySuite> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}
	let suite: QualitySuite;
	try {
		suite = parseSuite(JSON.parse(text));
	} catch (error) {
		throw new UsageError(`${path}: ${(error as Error).message}`);
	}
	// A notebook's quality cell may chunk by calendar period of a time column; files here are split by rows.
	if (typeof suite.chunking === 'object' && 'period' in suite.chunking) {
		throw new UsageError(
			`${path}: the suite chunks by ${suite.chunking.period} (a time column's periods); driftbook check splits by rows: set "chunking" to "default" or {"chunkSize": N}`
		);
	}
	return suite;
}

/** A library error about a data file, on one line naming the file (and a way out where there is one). */
function inFile(error: unknown, path: string): UsageError {
	const message = (error as Error).message;
	return new UsageError(`${path}: ${message}${/cannot split/.test(message) ? ' (give a smaller --chunk-size)' : ''}`);
}

/**
 * The current data's columns as the suite reads them: a column checked for categories keeps the
 * text as written where DuckDB read it as numbers ("1.0" is not "1").
 */
async function currentColumns(table: DataTable, suite: QualitySuite): Promise<Record<string, Column>> {
	const textual = [...new Set(suite.checks.filter((c) => c.check === 'unseen_values_rate').map((c) => c.column))];
	const wanted = table.text ? textual.filter((name) => table.columns[name]?.type === 'number') : [];
	return wanted.length ? { ...table.columns, ...(await table.text!(wanted)) } : table.columns;
}

/** The `--json` output: one object, every check's fields with its verdict, message and chunks. */
export function checkJson(run: SuiteRun): unknown {
	return {
		passed: run.passed,
		failed: run.failed,
		rows: run.rows,
		checks: run.outcomes.map((o) => ({ ...o.check, passed: o.passed, message: o.message, ...(o.chunks ? { chunks: o.chunks } : {}) }))
	};
}

export function formatCheck(run: SuiteRun, current: string, against: string): string {
	const verdict = run.passed ? `all ${run.outcomes.length} checks passed` : `${run.failed} of ${run.outcomes.length} checks failed`;
	return [
		`Data quality of ${current} (${formatCount(run.rows)} rows) against ${against}: ${verdict}.`,
		'',
		...run.outcomes.map((o) => `${o.passed ? 'pass' : 'FAIL'}  ${o.message}`)
	].join('\n');
}

export async function run(args: string[]): Promise<number> {
	const { values, flags } = parseOptions(args, {
		values: ['reference', 'suite', 'current', 'columns', 'chunk-size', 'max-missing', 'save-suite'],
		flags: ['json', 'fail-on-error']
	});
	if (values.reference === undefined && values.suite === undefined)
		throw new UsageError('--reference FILE or --suite FILE is required (driftbook check --help)');
	if (values.reference !== undefined && values.suite !== undefined)
		throw new UsageError('--reference and --suite exclude each other: the suite was learnt already');
	if (values.current === undefined && values['save-suite'] === undefined) throw new UsageError('--current FILE is required (driftbook check --help)');
	const learning = {
		columns: columnList(values.columns),
		chunkSize: positiveWhole(values['chunk-size'], 'chunk-size'),
		maxMissing: rate(values['max-missing'], 'max-missing')
	};
	if (values.suite !== undefined) {
		const given = Object.entries({
			columns: learning.columns,
			'chunk-size': learning.chunkSize,
			'max-missing': learning.maxMissing,
			'save-suite': values['save-suite']
		}).find(([, v]) => v !== undefined);
		if (given) throw new UsageError(`--${given[0]} applies when learning from --reference, not to a saved --suite`);
	}

	const [referenceTable, currentTable] = await Promise.all([
		values.reference === undefined ? undefined : readDataFile(values.reference),
		values.current === undefined ? undefined : readDataFile(values.current)
	]);
	let suite: QualitySuite;
	if (referenceTable && values.reference !== undefined) {
		try {
			suite = suiteFromReference(referenceTable.columns, {
				columns: learning.columns,
				chunking: learning.chunkSize === undefined ? 'default' : { chunkSize: learning.chunkSize },
				thresholds: learning.maxMissing === undefined ? {} : { missing_values_rate: { type: 'constant', lower: null, upper: learning.maxMissing } }
			});
		} catch (error) {
			throw inFile(error, values.reference);
		}
	} else {
		suite = await readSuite(values.suite as string);
	}
	if (values['save-suite'] !== undefined) {
		try {
			await writeFile(values['save-suite'], printSuite(suite) + '\n');
		} catch (error) {
			throw new UsageError(`cannot write ${values['save-suite']}: ${(error as Error).message}`);
		}
	}
	if (!currentTable || values.current === undefined) {
		const saved = { saved: values['save-suite'], checks: suite.checks.length };
		console.log(
			flags.has('json') ? JSON.stringify(saved) : `Saved ${saved.checks} checks learnt from ${basename(values.reference as string)} to ${saved.saved}.`
		);
		return 0;
	}
	let run: SuiteRun;
	try {
		run = runSuite(suite, await currentColumns(currentTable, suite));
	} catch (error) {
		throw inFile(error, values.current);
	}
	const against = basename(values.reference ?? (values.suite as string));
	console.log(flags.has('json') ? JSON.stringify(checkJson(run), null, 2) : formatCheck(run, basename(values.current), against));
	return flags.has('fail-on-error') && !run.passed ? 1 : 0;
}
