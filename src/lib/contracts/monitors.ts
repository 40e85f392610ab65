/**
 * Drift monitors of registered models (/api/monitors): a reference dataset, a current dataset
 * read in a time window, the drift report's columns, methods and threshold, and when to alert;
 * evaluated on demand and on a schedule, each evaluation an MLflow run.
 */
import { z } from 'zod';

const uuid = z.uuid('expected a dataset id (a uuid)');
const name = z.string().trim().min(1).max(200);

/** The body of POST /api/monitors. */
export const monitorInputSchema = z
	.object({
		name,
		model_name: name,
		/** The alias whose version is watched; needed for rollback. */
		alias: z
			.string()
			.regex(/^[\w-]{1,255}$/, 'an alias is letters, digits, _ and -')
			.optional(),
		reference_dataset_id: uuid,
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
		rollback: z.boolean().default(false)
	})
	.refine((m) => (m.current_dataset_id === undefined) !== (m.current_dataset_name === undefined), 'give one of current_dataset_id and current_dataset_name')
	.refine((m) => m.current_routes === undefined || m.current_dataset_name !== undefined, 'current_routes filters a prediction log: give current_dataset_name')
	.refine((m) => (m.time_column === undefined) === (m.window_seconds === undefined), 'give time_column and window_seconds together')
	.refine((m) => !m.rollback || m.alias !== undefined, 'rollback needs the alias to move back');
export type MonitorInput = z.input<typeof monitorInputSchema>;
/** A checked monitor body, defaults filled in. */
export type MonitorDefinition = z.output<typeof monitorInputSchema>;

export interface Monitor {
	id: string;
	name: string;
	model_name: string;
	alias: string | null;
	reference_dataset_id: string;
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
	/** Epoch ms of the next scheduled evaluation. */
	next_run_at: number | null;
	created_at: number;
	created_by: string;
}

export interface MonitorEvaluation {
	id: number;
	monitor_id: string;
	/** The MLflow run holding the metrics. */
	run_id: string | null;
	trigger: 'schedule' | 'manual';
	window_start: number | null;
	window_end: number | null;
	model_version: string | null;
	alerted: boolean;
	share: number;
	drifted_columns: number;
	tested_columns: number;
	rollback: Record<string, unknown> | null;
	/** The drift report (src/lib/stats DriftReport), per column. */
	report: MonitorReport;
	evaluated_at: number;
}

/** The part of the statistics library's DriftReport the monitor pages read (the wire keeps all of it). */
export interface MonitorReport {
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
