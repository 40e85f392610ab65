// `driftbook ab`: an A/B experiment from a CSV file, as a table or as JSON.
// Imports are relative (no $lib): the command runs under plain tsx, without SvelteKit.
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';
import { CsvError } from '#lib/ingest/csv/tokenize.ts';
import { isMissingString, parseNumber, type Column } from '#lib/stats/index.ts';
import { AB_TESTS, AbInputError, CORRECTIONS, abTest, isAbTestKind, type AbReport, type Correction } from '#lib/stats/ab/index.ts';
import { formatNumber, formatSigned, formatPValue, TABLE } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { textTable } from './text-table';
import { readBytes } from '../data/data-file';
import { readCsvNative } from '../data/native-csv';

export const usage = `usage: driftbook ab --data F.csv --group COL --metric COL --control NAME
                   [--test proportion|welch|mannwhitney|cuped] [--covariate COL]
                   [--correction holm|bh] [--alpha 0.05] [--json]

Compares every group of an experiment with the control group.

  --data FILE        the experiment, one row per unit: CSV (RFC 4180) with a header row
  --group COL        the column naming each row's group (arm)
  --metric COL       the outcome: 0/1 for conversions, any number otherwise
  --control NAME     the control group's value in --group
  --test T           proportion (pooled two-proportion z-test, Wald CI, Beta posteriors),
                     welch (Welch's t-test), mannwhitney (Mann–Whitney U, as SciPy),
                     cuped (Welch on the metric adjusted by --covariate);
                     default: proportion when the metric is 0/1, else welch
  --covariate COL    a pre-experiment covariate, for --test cuped
  --correction C     holm (default) or bh, when there is more than one variant
  --alpha X          significance level (default 0.05; intervals are 1 − X)
  --json             print JSON instead of a table

The sample-ratio check (chi-square against an equal split) is flagged when p < 0.001.
Variants are listed in order of first appearance. Empty, NA, NaN and null values are
missing: those rows are left out (counted on stderr).
Exit status: 0 done; 2 bad input (one line on stderr).`;

interface AbFile {
	names: string[];
	columns: string[][];
	/** Line of each data row. */
	lines: number[];
}

function readAbCsv(path: string, bytes: Uint8Array): AbFile {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new UsageError(`${path}: not UTF-8 text`);
	}
	try {
		const csv = readCsvColumns(text);
		return { names: csv.names, columns: csv.columns, lines: csv.lines };
	} catch (error) {
		if (error instanceof CsvError) throw new UsageError(`${path}, ${error.message}`);
		throw error;
	}
}

interface AbColumns {
	group: Column;
	metric: Column;
	covariate?: Column;
}

/**
 * The experiment's columns read natively (cli/data/native-csv.ts) when the metric and covariate
 * come back as numbers; undefined otherwise, for the JS reader to read them or name the problem.
 */
async function readAbNative(path: string, bytes: Buffer, names: { group: string; metric: string; covariate?: string }): Promise<AbColumns | undefined> {
	const csv = await readCsvNative(path, bytes, { text: [names.group] });
	const column = (name: string | undefined) => (name === undefined ? undefined : csv?.columns[name]);
	const [group, metric, covariate] = [column(names.group), column(names.metric), column(names.covariate)];
	if (!group || metric?.type !== 'number' || (names.covariate !== undefined && covariate?.type !== 'number')) return undefined;
	return { group, metric, covariate };
}

async function readAbColumns(path: string, names: { group: string; metric: string; covariate?: string }): Promise<AbColumns> {
	const bytes = await readBytes(path);
	const native = await readAbNative(path, bytes, names);
	if (native) return native;
	const file = readAbCsv(path, bytes);
	const group = column(file, path, names.group, 'group');
	const metric = numbers(column(file, path, names.metric, 'metric'), file, path, names.metric);
	const covariate = names.covariate !== undefined ? numbers(column(file, path, names.covariate, 'covariate'), file, path, names.covariate) : undefined;
	return { group: { type: 'string', values: group }, metric, covariate };
}

function column(file: AbFile, path: string, name: string, option: string): string[] {
	const k = file.names.indexOf(name);
	if (k < 0) throw new UsageError(`--${option}: unknown column "${name}" in ${path} (columns: ${file.names.join(', ')})`);
	return file.columns[k];
}

/** Numbers (NaN = missing); a value that is not a number is an error naming its line. */
function numbers(values: string[], file: AbFile, path: string, name: string): Column {
	const out = new Float64Array(values.length);
	for (let i = 0; i < values.length; i++) {
		const s = values[i];
		if (isMissingString(s)) {
			out[i] = NaN;
			continue;
		}
		const x = parseNumber(s);
		if (!Number.isFinite(x)) throw new UsageError(`${path}, line ${file.lines[i]}: ${name} "${s}" is not a number`);
		out[i] = x;
	}
	return { type: 'number', values: out };
}

/** The `--json` output: the documented keys only, in the documented order. */
export function abJson(report: AbReport): unknown {
	return {
		control: report.control,
		srm: { statistic: report.srm.statistic, p_value: report.srm.p_value },
		variants: report.variants.map((v) => {
			const out: Record<string, unknown> = { variant: v.variant, n: v.n, control_n: v.control_n };
			if (report.test !== 'mannwhitney') {
				Object.assign(out, {
					mean: v.mean,
					control_mean: v.control_mean,
					difference: v.difference,
					ci_low: v.ci_low,
					ci_high: v.ci_high,
					relative_lift: v.relative_lift
				});
			}
			out.p_value = v.p_value;
			if (v.p_value_adjusted !== undefined) out.p_value_adjusted = v.p_value_adjusted;
			if (report.test === 'proportion') out.prob_to_beat = v.prob_to_beat;
			return out;
		})
	};
}

// ————— the readable table —————

const TEST_LABELS: Record<AbReport['test'], string> = {
	proportion: 'two-proportion z-test (pooled), Wald interval',
	welch: "Welch's t-test, Welch–Satterthwaite interval",
	mannwhitney: 'Mann–Whitney U test (two-sided)',
	cuped: "CUPED-adjusted metric, Welch's t-test"
};

export function formatAbReport(report: AbReport, file: string, metric: string): string {
	const level = `${Number((100 * (1 - report.alpha)).toPrecision(4))}% CI`;
	const mw = report.test === 'mannwhitney';
	const header = mw
		? ['variant', 'n', 'control n', 'U', 'P(v > c)', 'p-value']
		: ['variant', 'n', 'control n', 'mean', 'control mean', 'difference', level, 'lift', 'p-value'];
	if (report.correction) header.push(`p (${report.correction})`);
	if (report.test === 'proportion') header.push('P(beat control)');
	const rows = report.variants.map((v) => {
		const cells = mw
			? [
					v.variant,
					String(v.n),
					String(v.control_n),
					formatNumber(v.statistic, TABLE),
					formatNumber(v.probability_of_superiority, TABLE),
					formatPValue(v.p_value)
				]
			: [
					v.variant,
					String(v.n),
					String(v.control_n),
					formatNumber(v.mean, TABLE),
					formatNumber(v.control_mean, TABLE),
					formatSigned(v.difference, TABLE, '-'),
					`[${formatSigned(v.ci_low, TABLE, '-')}, ${formatSigned(v.ci_high, TABLE, '-')}]`,
					v.relative_lift === null || v.relative_lift === undefined ? '—' : `${formatSigned(100 * v.relative_lift, TABLE, '-')}%`,
					formatPValue(v.p_value)
				];
		if (report.correction) cells.push(formatPValue(v.p_value_adjusted));
		if (report.test === 'proportion') cells.push(formatNumber(v.prob_to_beat, TABLE));
		return cells;
	});
	const srm = report.srm;
	const split = srm.groups.map((g, i) => `${g} ${srm.observed[i]}`).join(', ');
	const srmLine = srm.mismatch
		? `Sample ratio MISMATCH: ${split}; chi-square ${formatNumber(srm.statistic, TABLE)}, ${formatPValue(srm.p_value, 'sentence')} < ${srm.threshold}. Do not trust the results below.`
		: `Sample ratio: ${split}; chi-square ${formatNumber(srm.statistic, TABLE)}, ${formatPValue(srm.p_value, 'sentence')} (no mismatch at p < ${srm.threshold}).`;
	const cuped = report.cuped
		? [
				`CUPED: theta ${formatNumber(report.cuped.theta, TABLE)}, variance reduced by ${formatNumber(100 * report.cuped.variance_reduction, { ...TABLE, digits: 3 })}%.`
			]
		: [];
	return [
		`${file}: ${metric}, control "${report.control}", ${TEST_LABELS[report.test]}${report.correction ? `; ${report.correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}-adjusted p-values` : ''}.`,
		srmLine,
		...cuped,
		'',
		...textTable(header, rows, (column) => column > 0),
		'',
		report.verdict.headline
	].join('\n');
}

export async function run(args: string[]): Promise<number> {
	const { values, flags } = parseOptions(args, {
		values: ['data', 'group', 'metric', 'control', 'test', 'covariate', 'correction', 'alpha'],
		flags: ['json']
	});
	for (const [option, what] of [
		['data', 'FILE'],
		['group', 'COL'],
		['metric', 'COL'],
		['control', 'NAME']
	] as const) {
		if (values[option] === undefined || values[option] === '') throw new UsageError(`--${option} ${what} is required (driftbook ab --help)`);
	}
	const test = values.test ?? 'auto';
	if (test !== 'auto' && !isAbTestKind(test)) throw new UsageError(`unknown test "${test}" (expected one of ${AB_TESTS.join(', ')})`);
	const correction = (values.correction ?? 'holm') as Correction;
	if (!CORRECTIONS.includes(correction)) throw new UsageError(`unknown correction "${values.correction}" (expected holm or bh)`);
	let alpha = 0.05;
	if (values.alpha !== undefined) {
		alpha = Number(values.alpha);
		if (values.alpha.trim() === '' || !(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be a number between 0 and 1 (got "${values.alpha}")`);
	}
	if (test === 'cuped' && values.covariate === undefined) throw new UsageError('--test cuped needs --covariate COL');
	if (values.covariate !== undefined && test !== 'cuped') throw new UsageError('--covariate is only used by --test cuped');

	const path = values.data;
	const { group, metric, covariate } = await readAbColumns(path, { group: values.group, metric: values.metric, covariate: values.covariate });
	let report: AbReport;
	try {
		report = abTest(
			{ group, metric, covariate },
			{ control: values.control, test, correction, alpha, names: { group: values.group, metric: values.metric, covariate: values.covariate } }
		);
	} catch (error) {
		if (error instanceof AbInputError) throw new UsageError(`${path}: ${error.message}`);
		throw error;
	}
	if (report.dropped_rows > 0) {
		console.error(`driftbook: ${report.dropped_rows} row${report.dropped_rows === 1 ? '' : 's'} of ${path} left out for a missing value`);
	}
	console.log(flags.has('json') ? JSON.stringify(abJson(report)) : formatAbReport(report, path, values.metric));
	return 0;
}
