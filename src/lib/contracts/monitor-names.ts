/**
 * The names monitors share with the browser (the monitors page's form): the kinds of monitor and
 * the metrics a performance monitor watches. Apart from `monitors.ts` because that module builds
 * zod schemas at load, and zod 4 probes `Function('')` when it does — a script-src violation in
 * the app's pages.
 */

/**
 * - drift: univariate drift of each column (the drift cell's library), alert on the share drifted;
 * - performance: a binary or multiclass classifier's metric estimated without labels (CBPE, as NannyML), alert
 *   when the estimate leaves the thresholds learnt from the reference; realized where labels exist;
 * - multivariate: PCA data reconstruction error (as NannyML), alert outside the reference's thresholds.
 */
export const MONITOR_KINDS = ['drift', 'performance', 'multivariate'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

/** CBPE's metrics that are one number per chunk (confusion_matrix reports four series, so it is not one). */
export const PERFORMANCE_MONITOR_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy'] as const;
export type PerformanceMonitorMetric = (typeof PERFORMANCE_MONITOR_METRICS)[number];

/** A performance monitor's probability: one column (binary) or each class's column, `{class: column}` (multiclass). */
export type ProbabilityColumns = string | Readonly<Record<string, string>>;

/** A multiclass monitor's classes in NannyML's order (sorted by code point) and their columns; null for binary. */
export function monitorClasses(probability: ProbabilityColumns): { classes: string[]; columns: string[] } | null {
	if (typeof probability === 'string') return null;
	const classes = Object.keys(probability).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return { classes, columns: classes.map((c) => probability[c]) };
}

/** The probability as the performance cell's field writes it: `COL`, or `CLASS=COL, CLASS=COL, …` in class order. */
export function probabilityText(probability: ProbabilityColumns): string {
	const multiclass = monitorClasses(probability);
	return multiclass === null ? (probability as string) : multiclass.classes.map((c, k) => `${c}=${multiclass.columns[k]}`).join(', ');
}
