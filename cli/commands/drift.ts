// `driftbook drift`: the drift report of two files (CSV or Parquet), as a table or as JSON.
// Imports are relative (no $lib): the command runs under plain tsx, without SvelteKit.
import { basename } from 'node:path';
import { DRIFT_METHODS, driftReportSplit, isDriftMethod, type DriftReport } from '#lib/stats/index.ts';
import { formatNumber, formatPValue, TABLE } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { textTable } from './text-table';
import { driftColumns, readDataFile } from '../data/data-file';
import { startStatsPeer } from '../threads/stats-peer';

export const usage = `usage: driftbook drift --reference R.csv --current C.csv [--columns a,b] [--method auto|NAME[,NAME…]]
                      [--threshold X] [--json] [--fail-on-drift]

Tests every column of the current data against the reference, column by column.

  --reference FILE   the reference data: CSV (RFC 4180, with a header row) or Parquet
  --current FILE     the current data, same format rules
  --columns a,b      columns to test, in this order (default: every reference column)
  --method M[,M…]    auto (default) or any of: ${Object.keys(DRIFT_METHODS).join(', ')}
                     auto: ks / ztest / chisquare up to 1000 reference rows, then
                     wasserstein_norm / jensenshannon (large samples make every p-value tiny)
  --threshold X      drift when p < X (tests) or statistic >= X (distances);
                     default 0.05 for tests and 0.1 for distances
  --json             print the report as JSON instead of a table
  --fail-on-drift    exit 1 when dataset drift is detected (at least half the columns drift)

Values are read as written: empty, NA, NaN and null (any case) are missing; a column is
numerical when every value is a number and it has more than 5 distinct values.
Exit status: 0 done; 1 dataset drift with --fail-on-drift; 2 bad input (one line on stderr).`;

function list(value: string | undefined, option: string): string[] | undefined {
	if (value === undefined) return undefined;
	const items = value
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (items.length === 0) throw new UsageError(`--${option} needs at least one name`);
	return items;
}

// ————— the readable table —————

export function formatReport(report: DriftReport): string {
	const header = ['column', 'kind', 'method', 'statistic', 'p-value', 'threshold', 'drifted', 'effect size', 'reference n', 'current n'];
	const right = new Set([3, 4, 5, 7, 8, 9]);
	const rows = report.columns.map((c) => {
		const t = c.tests[0];
		return [
			c.column,
			c.kind,
			t ? t.method + (t.method_detail ? ` (${t.method_detail})` : '') : '— (no method applies)',
			formatNumber(t?.statistic, TABLE),
			formatPValue(t?.p_value ?? null),
			formatNumber(t?.threshold, TABLE),
			c.drifted ? 'yes' : 'no',
			formatNumber(t?.effect_size, TABLE),
			String(c.reference.count) + (c.reference.missing ? ` +${c.reference.missing} missing` : ''),
			String(c.current.count) + (c.current.missing ? ` +${c.current.missing} missing` : '')
		];
	});
	const extra = report.columns.flatMap((c) =>
		c.tests
			.slice(1)
			.map(
				(t) => `  ${c.column}: ${t.method} statistic ${formatNumber(t.statistic, TABLE)}, p ${formatPValue(t.p_value)}, ${t.drifted ? 'drifted' : 'no drift'}`
			)
	);
	const notes = report.columns.flatMap((c) => (c.method_note ? [`  ${c.column}: ${c.method_note}`] : []));
	const summary = `${report.drifted_columns} of ${report.tested_columns} columns drifted (${Math.round(report.share * 100)}%): ${report.dataset_drift ? 'dataset drift detected' : 'no dataset drift'}.`;
	return [
		...textTable(header, rows, (column) => right.has(column)),
		...(extra.length ? ['', 'further tests:', ...extra] : []),
		...(notes.length ? ['', 'other tests than requested:', ...notes] : []),
		'',
		summary
	].join('\n');
}

export async function run(args: string[]): Promise<number> {
	const { values, flags } = parseOptions(args, {
		values: ['reference', 'current', 'columns', 'method', 'threshold'],
		flags: ['json', 'fail-on-drift']
	});
	for (const required of ['reference', 'current']) {
		if (!values[required]) throw new UsageError(`--${required} FILE is required (driftbook drift --help)`);
	}
	const methods = list(values.method, 'method') ?? ['auto'];
	for (const m of methods) {
		if (m !== 'auto' && !isDriftMethod(m)) {
			throw new UsageError(`unknown method "${m}" (expected auto or one of ${Object.keys(DRIFT_METHODS).join(', ')})`);
		}
	}
	let threshold: number | undefined;
	if (values.threshold !== undefined) {
		threshold = Number(values.threshold);
		if (values.threshold.trim() === '' || !Number.isFinite(threshold) || threshold <= 0) {
			throw new UsageError(`--threshold must be a positive number (got "${values.threshold}")`);
		}
	}
	const columns = list(values.columns, 'columns');
	// both cores: a worker thread is fed number columns as it finishes them (drift-split.ts); it
	// starts (loads and compiles its code) while the files are read
	const threads = startStatsPeer();
	let report: DriftReport;
	try {
		threads.warm(methods);
		const [referenceFile, currentFile] = await Promise.all([readDataFile(values.reference), readDataFile(values.current)]);
		const { reference, current } = await driftColumns(referenceFile, currentFile, columns ?? Object.keys(referenceFile.columns));
		try {
			report = await driftReportSplit(reference, current, { columns, methods, threshold, peer: threads.peer });
		} catch (error) {
			// Unknown column or method, or a sample empty after dropping missing values.
			const message = (error as Error).message
				.replace('not in the reference data', `not in ${basename(values.reference)}`)
				.replace('not in the current data', `not in ${basename(values.current)}`);
			throw new UsageError(message);
		}
	} finally {
		await threads.close();
	}
	const failure = threads.failure();
	if (failure) console.error(`driftbook: the second statistics thread failed, so one thread tested every column (${failure.message})`);
	console.log(flags.has('json') ? JSON.stringify(report, null, 2) : formatReport(report));
	return flags.has('fail-on-drift') && report.dataset_drift ? 1 : 0;
}
