// `driftbook estimate`: model performance without labels (CBPE, as NannyML 0.13.1), as a table or JSON.
// Imports use #lib (not $lib): the command runs under plain tsx, without SvelteKit.
import { parseNumber, type Column } from '#lib/stats/index.ts';
import { parseStringValues } from '#lib/stats/column.ts';
import {
	CBPE_METRICS,
	DEFAULT_CBPE_METRICS,
	CbpeInputError,
	MULTICLASS_CBPE_METRICS,
	cbpe,
	classIndices,
	isCbpeMetric,
	isClassMapping,
	parseClassColumns,
	UnknownClassError,
	type CbpeChunkResult,
	type CbpeData,
	type CbpeField,
	type CbpeMetric,
	type CbpeResult,
	type ProbabilityInput
} from '#lib/stats/performance/index.ts';
import { basename } from 'node:path';
import { formatNumber, TABLE } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { readDataFile } from '../data/data-file';
import { textTable } from './text-table';

export const usage = `usage: driftbook estimate --reference R.csv --analysis A.csv --y-true COL --y-pred-proba COL --y-pred COL
                         [--chunk-size N] [--metrics roc_auc,f1,precision,recall,accuracy] [--json]
       driftbook estimate ... --y-pred-proba CLASS=COL,CLASS=COL[,…] ...     (multiclass)

Estimates a classifier's performance per chunk without labels: confidence-based performance
estimation (CBPE), identical to NannyML 0.13.1's CBPE with its defaults, binary or multiclass.

  --reference FILE     data the model was checked on, with labels: CSV (with a header row) or Parquet
  --analysis FILE      data to estimate on; labels optional (where present, "realized" is reported)
  --y-true COL         the label column, 0 or 1 (empty where a label has not arrived, analysis only)
  --y-pred-proba COL   the model's probability of class 1 (empty: the row is left out of the
                       estimates, as NannyML; not on the reference)
                       Multiclass: CLASS=COL for every class (NannyML's y_pred_proba mapping), e.g.
                       --y-pred-proba cat=prob_cat,dog=prob_dog,fox=prob_fox; --y-true and --y-pred
                       then hold class labels (text as written in the file), each one of the CLASSes
  --y-pred COL         the model's prediction, 0 or 1 (empty: left out of the metrics that need it)
  --chunk-size N       rows per chunk (the remainder forms a last, smaller chunk);
                       default: NannyML's, 10 chunks per data set (and any remainder)
  --metrics M[,M…]     any of: ${CBPE_METRICS.join(', ')}
                       (default ${DEFAULT_CBPE_METRICS.join(',')}; confusion_matrix reports
                       true_positive, true_negative, false_positive, false_negative as counts;
                       multiclass: ${MULTICLASS_CBPE_METRICS.join(', ')}, macro averages
                       as NannyML, confusion_matrix as true_A_pred_B for every true class A and
                       predicted class B, counts)
  --json               print {"method":"cbpe","metrics":{NAME:[chunk, …]}} instead of tables

Probabilities are calibrated on the reference (isotonic regression) when NannyML's check says
it helps (multiclass: class by class, one-vs-rest, then each row rescaled to sum to 1). Thresholds are mean ± 3σ of the realized metric over the reference chunks; a chunk
alerts when its estimate falls outside them. Confidence bands are ± 3 sampling errors.
Exit status: 0 done; 2 bad input (one line on stderr).`;

const FIELDS = {
	y_true: 'y-true',
	y_pred_proba: 'y-pred-proba',
	y_pred: 'y-pred'
} as const satisfies Record<CbpeField, string>;

/** The columns named on the command line; `classes` (sorted, NannyML's order) only for multiclass. */
interface ColumnNames {
	y_true: string;
	y_pred: string;
	/** Binary: one column; multiclass: one per class, in `classes` order. */
	y_pred_proba: string[];
	classes: string[] | null;
}

interface ModelFile {
	path: string;
	data: CbpeData<ProbabilityInput>;
	names: ColumnNames;
}

/** `--y-pred-proba`: COL (binary) or CLASS=COL,… (multiclass). */
function probabilityColumns(value: string): Pick<ColumnNames, 'y_pred_proba' | 'classes'> {
	if (!isClassMapping(value)) return { y_pred_proba: [value], classes: null };
	try {
		const { classes, columns } = parseClassColumns(value);
		return { y_pred_proba: columns, classes };
	} catch (error) {
		throw new UsageError(`--y-pred-proba: ${(error as Error).message}`);
	}
}

/** Class labels as indices into `classes` (NaN where empty); a label outside them is bad input. */
function labelIndices(column: Column, classes: string[], path: string, name: string, flag: string): Float64Array {
	try {
		return classIndices(column, classes);
	} catch (error) {
		if (!(error instanceof UnknownClassError)) throw error;
		throw new UsageError(
			`${path}, row ${error.row + 1}: column "${name}" holds class "${error.label}", not one of the classes in --y-pred-proba (${classes.join(', ')}); ${flag}`
		);
	}
}

function numbers(column: Column, path: string, name: string): Float64Array {
	if (column.type === 'number') return column.values;
	return parseStringValues(column.values, (text, row) => {
		const x = parseNumber(text);
		if (!Number.isFinite(x)) throw new UsageError(`${path}, row ${row + 1}: column "${name}" holds "${text}", not a number`);
		return x;
	});
}

async function readModelFile(path: string, names: ColumnNames, labels: 'required' | 'optional'): Promise<ModelFile> {
	const { columns } = await readDataFile(path);
	const column = (field: CbpeField, name: string): Column | null => {
		if (columns[name]) return columns[name];
		if (field === 'y_true' && labels === 'optional') return null;
		throw new UsageError(`--${FIELDS[field]}: no column "${name}" in ${path} (columns: ${Object.keys(columns).join(', ')})`);
	};
	const { classes } = names;
	const label = (field: 'y_true' | 'y_pred'): Float64Array | null => {
		const c = column(field, names[field]);
		if (!c) return null;
		return classes ? labelIndices(c, classes, path, names[field], `--${FIELDS[field]}`) : numbers(c, path, names[field]);
	};
	const probabilities = names.y_pred_proba.map((name) => numbers(column('y_pred_proba', name) as Column, path, name));
	return { path, names, data: { yPredProba: classes ? probabilities : probabilities[0], yPred: label('y_pred') as Float64Array, yTrue: label('y_true') } };
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

const finite = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/**
 * The `--json` output: the documented keys only, in the documented order, NaN as null, and ±∞
 * (the band of a multiclass confusion-matrix cell that could not be estimated: NannyML bounds it
 * by [0, ∞]) as null too: JSON has no infinity.
 */
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

/** `classes`: the multiclass class labels in the result's order (null for binary). */
export function formatEstimate(result: CbpeResult, reference: string, analysis: string, classes: string[] | null = null): string {
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
	const calibrated = classes && result.class_calibration ? classes.filter((_, k) => result.class_calibration?.[k]) : null;
	const calibration = calibrated
		? `probabilities of ${calibrated.length === 0 ? 'no class' : `class ${calibrated.join(', ')}`} calibrated on ${reference} (isotonic regression, one-vs-rest), rows rescaled to sum to 1`
		: result.needs_calibration
			? `probabilities calibrated on ${reference} (isotonic regression)`
			: `probabilities used as they are (calibration on ${reference} would not lower the calibration error)`;
	return [`CBPE: ${analysis} against ${reference}; ${calibration}.`, '', sections.join('\n\n')].join('\n');
}

/** The file column an input error is about; class indices in messages become class labels. */
function columnName(names: ColumnNames, error: CbpeInputError): string {
	const field = error.field as CbpeField;
	if (field === 'y_pred_proba') return names.y_pred_proba[error.classIndex ?? 0];
	return names[field];
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
	const names: ColumnNames = { y_true: values['y-true'], y_pred: values['y-pred'], ...probabilityColumns(values['y-pred-proba']) };
	const [reference, analysis] = await Promise.all([readModelFile(values.reference, names, 'required'), readModelFile(values.analysis, names, 'optional')]);
	let result: CbpeResult;
	try {
		result = cbpe(reference.data, analysis.data, {
			metrics,
			chunking: chunkSize === undefined ? 'default' : { chunkSize },
			...(names.classes ? { classNames: names.classes } : {})
		});
	} catch (error) {
		if (error instanceof CbpeInputError) {
			const file = error.period === 'reference' ? reference : analysis;
			const where = error.row === null ? file.path : `${file.path}, row ${error.row + 1}`;
			throw new UsageError(`${where}: ${error.field ? `column "${columnName(file.names, error)}" ` : ''}${error.problem}`);
		}
		// Too few rows to chunk or to check calibration.
		throw new UsageError((error as Error).message);
	}
	console.log(
		flags.has('json')
			? JSON.stringify(estimateJson(result), null, 2)
			: formatEstimate(result, basename(values.reference), basename(values.analysis), names.classes)
	);
	return 0;
}
