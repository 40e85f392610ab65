// `driftbook estimate`: model performance without labels (CBPE, as NannyML 0.13.1), as a table or JSON.
// Imports use #lib (not $lib): the command runs under plain tsx, without SvelteKit.
import { parseNumber, type Column } from '#lib/stats/index.ts';
import { parseStringValues } from '#lib/stats/column.ts';
import {
	CBPE_METRICS,
	DEFAULT_CBPE_METRICS,
	CbpeInputError,
	cbpe,
	isCbpeMetric,
	type CbpeChunkResult,
	type CbpeData,
	type CbpeField,
	type CbpeMetric,
	type CbpeResult
} from '#lib/stats/performance/index.ts';
import { basename } from 'node:path';
import { formatNumber, TABLE } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { readDataFile } from '../data/data-file';
import { textTable } from './text-table';

export const usage = `usage: driftbook estimate --reference R.csv --analysis A.csv --y-true COL --y-pred-proba COL --y-pred COL
                         [--chunk-size N] [--metrics roc_auc,f1,precision,recall,accuracy] [--json]

Estimates a binary classifier's performance per chunk without labels: confidence-based
performance estimation (CBPE), identical to NannyML 0.13.1's CBPE with its defaults.

  --reference FILE     data the model was checked on, with labels: CSV (with a header row) or Parquet
  --analysis FILE      data to estimate on; labels optional (where present, "realized" is reported)
  --y-true COL         the label column, 0 or 1 (empty where a label has not arrived, analysis only)
  --y-pred-proba COL   the model's probability of class 1 (empty: the row is left out of the
                       estimates, as NannyML; not on the reference)
  --y-pred COL         the model's prediction, 0 or 1 (empty: left out of the metrics that need it)
  --chunk-size N       rows per chunk (the remainder forms a last, smaller chunk);
                       default: NannyML's, 10 chunks per data set (and any remainder)
  --metrics M[,M…]     any of: ${CBPE_METRICS.join(', ')}
                       (default ${DEFAULT_CBPE_METRICS.join(',')}; confusion_matrix reports
                       true_positive, true_negative, false_positive, false_negative)
  --json               print {"method":"cbpe","metrics":{NAME:[chunk, …]}} instead of tables

Probabilities are calibrated on the reference (isotonic regression) when NannyML's check says
it helps. Thresholds are mean ± 3σ of the realized metric over the reference chunks; a chunk
alerts when its estimate falls outside them. Confidence bands are ± 3 sampling errors.
Exit status: 0 done; 2 bad input (one line on stderr).`;

const FIELDS = {
	y_true: 'y-true',
	y_pred_proba: 'y-pred-proba',
	y_pred: 'y-pred'
} as const satisfies Record<CbpeField, string>;

interface ModelFile {
	path: string;
	data: CbpeData;
	/** Column names, for messages. */
	names: Record<CbpeField, string>;
}

function numbers(column: Column, path: string, name: string): Float64Array {
	if (column.type === 'number') return column.values;
	return parseStringValues(column.values, (text, row) => {
		const x = parseNumber(text);
		if (!Number.isFinite(x)) throw new UsageError(`${path}, row ${row + 1}: column "${name}" holds "${text}", not a number`);
		return x;
	});
}

async function readModelFile(path: string, names: Record<CbpeField, string>, labels: 'required' | 'optional'): Promise<ModelFile> {
	const { columns } = await readDataFile(path);
	const get = (field: CbpeField): Float64Array | null => {
		const column = columns[names[field]];
		if (column) return numbers(column, path, names[field]);
		if (field === 'y_true' && labels === 'optional') return null;
		throw new UsageError(`--${FIELDS[field]}: no column "${names[field]}" in ${path} (columns: ${Object.keys(columns).join(', ')})`);
	};
	return { path, names, data: { yPredProba: get('y_pred_proba') as Float64Array, yPred: get('y_pred') as Float64Array, yTrue: get('y_true') } };
}

function metricList(value: string | undefined): CbpeMetric[] {
	if (value === undefined) return [...DEFAULT_CBPE_METRICS];
	const names = value
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (names.length === 0) throw new UsageError('--metrics needs at least one name');
	for (const m of names) if (!isCbpeMetric(m)) throw new UsageError(`unknown metric "${m}" (expected any of ${CBPE_METRICS.join(', ')})`);
	return names as CbpeMetric[];
}

const finite = (x: number | null): number | null => (x === null || Number.isNaN(x) ? null : x);

/** The `--json` output: the documented keys only, in the documented order, NaN as null. */
export function estimateJson(result: CbpeResult): unknown {
	const chunk = (c: CbpeChunkResult) => ({
		key: c.key,
		period: c.period,
		start_index: c.start_index,
		end_index: c.end_index,
		value: finite(c.value),
		sampling_error: finite(c.sampling_error),
		realized: finite(c.realized),
		upper_confidence_boundary: finite(c.upper_confidence_boundary),
		lower_confidence_boundary: finite(c.lower_confidence_boundary),
		upper_threshold: finite(c.upper_threshold),
		lower_threshold: finite(c.lower_threshold),
		alert: c.alert
	});
	return { method: result.method, metrics: Object.fromEntries(Object.entries(result.metrics).map(([name, chunks]) => [name, chunks.map(chunk)])) };
}

// ————— the readable table —————

export function formatEstimate(result: CbpeResult, reference: string, analysis: string): string {
	const header = ['chunk', 'period', 'estimated', '± 3σ band', 'realized', 'thresholds', 'alert'];
	const n = (x: number | null) => formatNumber(finite(x), TABLE);
	const sections = Object.entries(result.metrics).map(([name, chunks]) => {
		const rows = chunks.map((c) => [
			c.key,
			c.period,
			n(c.value),
			`[${n(c.lower_confidence_boundary)}, ${n(c.upper_confidence_boundary)}]`,
			n(c.realized),
			`[${n(c.lower_threshold)}, ${n(c.upper_threshold)}]`,
			c.alert ? 'ALERT' : ''
		]);
		const alerts = chunks.filter((c) => c.alert && c.period === 'analysis').length;
		return [
			`${name} (${alerts} of ${chunks.filter((c) => c.period === 'analysis').length} analysis chunks alert)`,
			...textTable(header, rows, (i) => i === 2 || i === 4)
		].join('\n');
	});
	const calibration = result.needs_calibration
		? `probabilities calibrated on ${reference} (isotonic regression)`
		: `probabilities used as they are (calibration on ${reference} would not lower the calibration error)`;
	return [`CBPE: ${analysis} against ${reference}; ${calibration}.`, '', sections.join('\n\n')].join('\n');
}

export async function run(args: string[]): Promise<number> {
	const { values, flags } = parseOptions(args, {
		values: ['reference', 'analysis', 'y-true', 'y-pred-proba', 'y-pred', 'chunk-size', 'metrics'],
		flags: ['json']
	});
	for (const required of ['reference', 'analysis']) {
		if (!values[required]) throw new UsageError(`--${required} FILE is required (driftbook estimate --help)`);
	}
	for (const required of ['y-true', 'y-pred-proba', 'y-pred']) {
		if (!values[required]) throw new UsageError(`--${required} COL is required (driftbook estimate --help)`);
	}
	let chunkSize: number | undefined;
	if (values['chunk-size'] !== undefined) {
		chunkSize = Number(values['chunk-size']);
		if (!/^\s*\d+\s*$/.test(values['chunk-size']) || !(chunkSize > 0)) {
			throw new UsageError(`--chunk-size must be a positive whole number (got "${values['chunk-size']}")`);
		}
	}
	const metrics = metricList(values.metrics);
	const names = { y_true: values['y-true'], y_pred_proba: values['y-pred-proba'], y_pred: values['y-pred'] };
	const [reference, analysis] = await Promise.all([readModelFile(values.reference, names, 'required'), readModelFile(values.analysis, names, 'optional')]);
	let result: CbpeResult;
	try {
		result = cbpe(reference.data, analysis.data, { metrics, chunking: chunkSize === undefined ? 'default' : { chunkSize } });
	} catch (error) {
		if (error instanceof CbpeInputError) {
			const file = error.period === 'reference' ? reference : analysis;
			const where = error.row === null ? file.path : `${file.path}, row ${error.row + 1}`;
			throw new UsageError(`${where}: ${error.field ? `column "${file.names[error.field]}" ` : ''}${error.problem}`);
		}
		// Too few rows to chunk or to check calibration.
		throw new UsageError((error as Error).message);
	}
	console.log(
		flags.has('json') ? JSON.stringify(estimateJson(result), null, 2) : formatEstimate(result, basename(values.reference), basename(values.analysis))
	);
	return 0;
}
