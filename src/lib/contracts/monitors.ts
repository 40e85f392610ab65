/**
 * Monitors of registered models (/api/monitors): a reference (a dataset, or the training run's
 * dataset), a current dataset read in a time window, and what is watched — univariate drift
 * (columns, methods, threshold, alert share), a classifier's estimated performance (CBPE), or
 * multivariate drift (PCA reconstruction); evaluated on demand and on a schedule, each evaluation
 * an MLflow run.
 */
import { z } from 'zod';
import { MONITOR_KINDS, PERFORMANCE_MONITOR_METRICS, type MonitorKind, type PerformanceMonitorMetric } from './monitor-names';
export {
	MONITOR_KINDS,
	PERFORMANCE_MONITOR_METRICS,
	monitorClasses,
	probabilityText,
	type MonitorKind,
	type PerformanceMonitorMetric,
	type ProbabilityColumns
} from './monitor-names';

const uuid = z.uuid('expected a dataset id (a uuid)');
const name = z.string().trim().min(1).max(200);

const column = z.string().min(1).max(200);

/** A multiclass model's probability column of each class (NannyML's `y_pred_proba={class: column}`). */
const classColumns = z
	.record(z.string().min(1, 'a class label is not empty').max(200), column)
	.refine((m) => Object.keys(m).length >= 2 && Object.keys(m).length <= 100, 'a multiclass mapping names a probability column for 2 to 100 classes');

/** A performance monitor's columns, as the performance cell names them. */
const performanceSchema = z.object({
	/**
	 * Binary: the model's probability of class 1 (a column name). Multiclass: each class's
	 * probability column, `{class: column}` (the cell's `probability: cat=p_cat, dog=p_dog`).
	 */
	probability: z.union([
		column.refine((c) => !c.includes('='), 'a column name; a multiclass mapping is an object {class: column}, e.g. {"cat": "p_cat", "dog": "p_dog"}'),
		classColumns
	]),
	/** Its predicted class: binary 0/1, without it the class is 1 where probability ≥ cutoff; multiclass: the class labels (required). */
	prediction: column.optional(),
	cutoff: z.number().gt(0).lt(1).optional(),
	/** The label, 0/1: on every reference row; in the window where it has arrived (the realized metric). */
	target: column,
	metric: z.enum(PERFORMANCE_MONITOR_METRICS).default('roc_auc')
});

/** Every field of a monitor body, unchecked across fields (PATCH merges a part of it with the stored monitor). */
const monitorFields = z.object({
	name,
	model_name: name,
	/** What is watched (default drift). */
	kind: z.enum(MONITOR_KINDS).default('drift'),
	/** The alias whose version is watched; needed for rollback. */
	alias: z
		.string()
		.regex(/^[\w-]{1,255}$/, 'an alias is letters, digits, _ and -')
		.optional(),
	/** The reference: a stored dataset version by id, or … */
	reference_dataset_id: uuid.optional(),
	/** … the dataset the watched version's training run logged (server/monitors/reference.ts says how it is found). */
	reference_training_run: z.boolean().default(false),
	/** The current data: a stored dataset version by id, or … */
	current_dataset_id: uuid.optional(),
	/** … a dataset view by name (`predictions/<model>`), read anew at each evaluation. */
	current_dataset_name: z
		.string()
		.regex(/^predictions\/.+$/, 'a current dataset by name is a prediction log: predictions/<model>')
		.max(300)
		.optional(),
	/** Only the prediction log rows of these routes (e.g. `canary`); with current_dataset_name. */
	current_routes: z
		.array(z.enum(['primary', 'canary', 'shadow', 'direct']))
		.min(1)
		.optional(),
	/** With window_seconds: the current data is the rows whose time is in the last window_seconds before the evaluation. */
	time_column: z.string().min(1).max(200).optional(),
	window_seconds: z
		.number()
		.int()
		.positive()
		.max(366 * 86_400)
		.optional(),
	columns: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
	methods: z.array(z.string().min(1)).min(1).max(10).default(['auto']),
	/** p < threshold (tests) or statistic >= threshold (distances); default the library's. */
	threshold: z.number().positive().optional(),
	/** Alert when at least this share of tested columns drifted (default 0.5, the dataset-drift rule). */
	alert_share: z.number().gt(0).max(1).default(0.5),
	/** Evaluate every schedule_seconds (none: on demand only). */
	schedule_seconds: z
		.number()
		.int()
		.min(60)
		.max(366 * 86_400)
		.optional(),
	/** Opt-in: on alert, move `alias` back to its previous version. */
	rollback: z.boolean().default(false),
	/** kind performance: the columns CBPE reads and the metric watched. */
	performance: performanceSchema.optional()
});

type MonitorFields = z.output<typeof monitorFields>;

/** The rules across fields, each naming the field at fault. */
function checkAcross(m: MonitorFields, ctx: z.RefinementCtx): void {
	const fail = (path: keyof MonitorFields, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
	if ((m.reference_dataset_id === undefined) === !m.reference_training_run)
		fail('reference_dataset_id', 'give one of reference_dataset_id and reference_training_run: true');
	if ((m.current_dataset_id === undefined) === (m.current_dataset_name === undefined))
		fail('current_dataset_id', 'give one of current_dataset_id and current_dataset_name');
	if (m.current_routes !== undefined && m.current_dataset_name === undefined)
		fail('current_routes', 'current_routes filters a prediction log: give current_dataset_name');
	if ((m.time_column === undefined) !== (m.window_seconds === undefined)) fail('window_seconds', 'give time_column and window_seconds together');
	if (m.rollback && m.alias === undefined) fail('rollback', 'rollback needs the alias to move back');
	if ((m.kind === 'performance') !== (m.performance !== undefined))
		fail(
			'performance',
			m.kind === 'performance' ? 'a performance monitor needs performance: {probability, target, …}' : `a ${m.kind} monitor takes no performance columns`
		);
	if (m.performance && m.performance.prediction !== undefined && m.performance.cutoff !== undefined)
		fail('performance', 'give performance.prediction or performance.cutoff, not both');
	if (m.performance && typeof m.performance.probability !== 'string') {
		const at = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['performance', field], message });
		if (m.performance.prediction === undefined) at('prediction', 'a multiclass monitor needs the column of predicted class labels');
		if (m.performance.cutoff !== undefined) at('cutoff', 'a cutoff applies to one probability column (binary); multiclass needs performance.prediction');
	}
}

/** The body of POST /api/monitors. */
export const monitorInputSchema = monitorFields.superRefine(checkAcross);
export type MonitorInput = z.input<typeof monitorInputSchema>;

/**
 * The body of PATCH /api/monitors/:id: the fields to change, null clearing an optional one. The
 * fields are checked once merged into the stored monitor (`mergeMonitorPatch`), as a new monitor's
 * would be, so an error names the field whatever the patch left out. The model cannot change.
 */
export const monitorPatchSchema = z.strictObject(
	Object.fromEntries(
		Object.keys(monitorFields.shape)
			.filter((key) => key !== 'model_name')
			.map((key) => [key, z.unknown().optional()])
	) as Record<Exclude<keyof MonitorFields, 'model_name'>, z.ZodOptional<z.ZodUnknown>>
);
export type MonitorPatch = { [K in Exclude<keyof MonitorInput, 'model_name'>]?: MonitorInput[K] | null };

/** The body a patched monitor would be created with: the stored monitor's, the patch's fields over it, null removing one. */
export function mergeMonitorPatch(stored: Monitor, patch: Record<string, unknown>): Record<string, unknown> {
	const merged: Record<string, unknown> = { ...monitorAsInput(stored), ...patch };
	// Naming one reference (or one current dataset) replaces the other.
	if ('reference_dataset_id' in patch && patch.reference_dataset_id !== null && !('reference_training_run' in patch)) merged.reference_training_run = false;
	if (patch.reference_training_run === true && !('reference_dataset_id' in patch)) delete merged.reference_dataset_id;
	if ('current_dataset_id' in patch && patch.current_dataset_id !== null && !('current_dataset_name' in patch)) delete merged.current_dataset_name;
	if ('current_dataset_name' in patch && patch.current_dataset_name !== null && !('current_dataset_id' in patch)) delete merged.current_dataset_id;
	return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
}

/** A stored monitor as the body that would create it (PATCH merges a patch into it, then checks the whole). */
function monitorAsInput(m: Monitor): Record<string, unknown> {
	const entries = Object.entries({
		name: m.name,
		model_name: m.model_name,
		kind: m.kind,
		alias: m.alias,
		reference_dataset_id: m.reference_training_run ? null : m.reference_dataset_id,
		reference_training_run: m.reference_training_run,
		current_dataset_id: m.current_dataset_id,
		current_dataset_name: m.current_dataset_name,
		current_routes: m.current_routes,
		time_column: m.time_column,
		window_seconds: m.window_seconds,
		columns: m.columns,
		methods: m.methods,
		threshold: m.threshold,
		alert_share: m.alert_share,
		schedule_seconds: m.schedule_seconds,
		rollback: m.rollback,
		performance: m.performance
	});
	return Object.fromEntries(entries.filter(([, v]) => v !== null));
}
/** A checked monitor body, defaults filled in. */
export type MonitorDefinition = z.output<typeof monitorInputSchema>;

export type PerformanceColumns = z.output<typeof performanceSchema>;

export interface Monitor {
	id: string;
	name: string;
	model_name: string;
	kind: MonitorKind;
	alias: string | null;
	/** The stored reference, or null when it is the training run's dataset (found at each evaluation). */
	reference_dataset_id: string | null;
	reference_training_run: boolean;
	/** The current dataset: a stored version (id) or a view (name, e.g. `predictions/<model>`); one is null. */
	current_dataset_id: string | null;
	current_dataset_name: string | null;
	/** Prediction log routes the current rows are cut to, or null for all. */
	current_routes: string[] | null;
	time_column: string | null;
	window_seconds: number | null;
	columns: string[] | null;
	methods: string[];
	threshold: number | null;
	alert_share: number;
	schedule_seconds: number | null;
	rollback: boolean;
	performance: PerformanceColumns | null;
	/** Epoch ms of the next scheduled evaluation. */
	next_run_at: number | null;
	created_at: number;
	created_by: string;
}

export interface MonitorEvaluation {
	id: number;
	monitor_id: string;
	kind: MonitorKind;
	/** The reference dataset it was judged against (null for evaluations stored before it was kept). */
	reference_dataset_id: string | null;
	/** The MLflow run holding the metrics. */
	run_id: string | null;
	trigger: 'schedule' | 'manual';
	window_start: number | null;
	window_end: number | null;
	model_version: string | null;
	alerted: boolean;
	/**
	 * The number the monitor watches, charted over time against its thresholds: the share of columns
	 * drifted (drift), the estimated metric (performance), the mean reconstruction error (multivariate).
	 */
	value: number;
	/** Alert at or above (drift: the alert share) / outside (performance, multivariate: learnt from the reference); null: none. */
	upper_threshold: number | null;
	lower_threshold: number | null;
	/** Drift only (null for the other kinds). */
	share: number | null;
	drifted_columns: number | null;
	tested_columns: number | null;
	rollback: Record<string, unknown> | null;
	report: MonitorReport;
	evaluated_at: number;
}

/** The part of the statistics library's DriftReport the monitor pages read (the wire keeps all of it). */
export interface DriftMonitorReport {
	kind: 'drift';
	columns: {
		column: string;
		kind: string;
		drifted: boolean;
		tests: { method: string; statistic: number | null; p_value: number | null; threshold: number }[];
	}[];
	drifted_columns: number;
	tested_columns: number;
	share: number;
	dataset_drift: boolean;
}

/** The window as one analysis chunk, against reference chunks of the window's row count (NannyML's numbers). */
interface ChunkedMonitorReport {
	/** Rows in the window, and the reference's chunks of that many rows the thresholds come from. */
	rows: number;
	reference_chunks: number;
	value: number;
	sampling_error: number;
	upper_confidence_boundary: number;
	lower_confidence_boundary: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface PerformanceMonitorReport extends ChunkedMonitorReport {
	kind: 'performance';
	metric: PerformanceMonitorMetric;
	needs_calibration: boolean;
	/** Multiclass: the classes (NannyML's order) whose probabilities were read; absent for binary. */
	classes?: string[];
	/** The metric on the window's labels; null where none has arrived. */
	realized: number | null;
	/** Rows of the window with a label. */
	labelled_rows: number;
}

export interface MultivariateMonitorReport extends ChunkedMonitorReport {
	kind: 'multivariate';
	features: string[];
	components: number;
}

export type MonitorReport = DriftMonitorReport | PerformanceMonitorReport | MultivariateMonitorReport;

/** An evaluation in progress (GET /api/monitors/:id/progress). */
export interface EvaluationProgress {
	monitor_id: string;
	trigger: 'schedule' | 'manual';
	/** Epoch ms. */
	started_at: number;
	/** 0–1. */
	fraction: number;
	/** What it is doing: reading the reference, reading the window, computing, saving. */
	stage: string;
	/** False once it saves its results. */
	cancellable: boolean;
	/** A cancel was asked for and the evaluation has not stopped yet. */
	cancelling?: boolean;
}
