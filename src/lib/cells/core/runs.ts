/**
 * What cells log as MLflow runs and how a model cell's model is registered: the shapes a kind's
 * `track`, `report` and `register` work with, and the helpers they share.
 */
import type { Fetch } from '#lib/api/http.ts';
import type { LineageReportKind, ReportSummary } from '#lib/api/lineage.ts';
import type { ModelVersion } from '#lib/api/model-registry.ts';
import type { SyncArtifact, SyncMetric, SyncRunInput } from '#lib/api/sync.ts';
import type { SqlConnector } from '#lib/sql/connector.ts';

/** The kind-specific part of a cell's run. */
export type RunParts = Pick<SyncRunInput, 'params' | 'metrics' | 'artifacts' | 'tags'>;

/** MLflow allows letters, digits, `_ - . : /` and spaces in keys; anything else becomes `_`. */
export function metricKey(...parts: string[]): string {
	return parts
		.map((p) => p.replace(/[^\w\-.: ]/g, '_').replace(/\.\.+/g, '_'))
		.join('.')
		.slice(0, 250);
}

export function pushMetric(metrics: SyncMetric[], key: string, value: number | null | undefined, extra: Partial<SyncMetric> = {}): void {
	if (value === null || value === undefined || !Number.isFinite(value)) return;
	metrics.push({ key, value, ...extra });
}

export const jsonArtifact = (path: string, value: unknown): SyncArtifact => ({
	path,
	content: JSON.stringify(value, null, 2),
	content_type: 'application/json'
});

export interface ReportSource {
	kind: LineageReportKind;
	/** The cell's run, with its idempotency key (the same one the sync queue uses for it). */
	run: SyncRunInput;
	/** What the report found, from its kind's `report`. */
	summary: ReportSummary;
}

export interface RegisterRequest {
	fetch: Fetch;
	db: SqlConnector;
	modelName: string;
	/** The cell's run (with its idempotency key). */
	run: SyncRunInput;
	cellSource: string;
	cellName: string;
	/** The finished cell's value. */
	value: unknown;
	/** The notebook's finished report cells, recorded as the version's lineage. */
	reports: ReportSource[];
	/** Resolves the cell's model path against the page. */
	resolveUrl(path: string): string;
	onstep?(step: string): void;
}

export interface Registered {
	version: ModelVersion;
	runId: string;
	datasetSha256: string;
}
