/**
 * Lineage of a model version (/api/registry/models/:name/versions/:version/lineage): the run
 * that produced it, the dataset snapshot it was trained or evaluated on (sha256 of the data),
 * and the drift / A/B / champion reports that justified promoting it, with the graph the
 * server derives from them.
 */
import { apiRequest, type Fetch } from './http';
import type { Metric, RunInfo } from './tracking';
import type { ModelVersion } from './registry';

export type LineageReportKind = 'drift' | 'ab' | 'champion';

/** What a report found, shown with its link: `text` is one line, the rest are its headline numbers. */
export interface ReportSummary extends Record<string, unknown> {
	text: string;
}

export interface LineageInput {
	dataset?: {
		/** Hex sha256 of the data (the table's Arrow IPC stream). */
		sha256: string;
		name?: string;
		rows?: number;
		/** An uploaded dataset (/api/datasets) with this hash. */
		dataset_id?: string;
	};
	reports?: { kind: LineageReportKind; run_id?: string; artifact_path?: string; summary: ReportSummary }[];
}

// Wire types the server defines (type-only: nothing of the server reaches the browser).
import type { LineageDataset, LineageNodeType, LineageReport } from '#server/registry/lineage.ts';
export type { LineageDataset, LineageNodeType, LineageReport };

export interface LineageRun {
	info: RunInfo;
	params: Record<string, string>;
	/** The latest value of each metric. */
	metrics: Metric[];
	tags: Record<string, string>;
}

export interface LineageNode {
	id: string;
	type: LineageNodeType;
	label: string;
	data: Record<string, unknown>;
}

export interface LineageEdge {
	from: string;
	to: string;
	kind: 'contains' | 'produced' | 'trained_on' | 'input' | 'evaluates' | 'logged';
}

export interface Lineage {
	model_version: ModelVersion;
	run: LineageRun | null;
	datasets: LineageDataset[];
	reports: LineageReport[];
	aliases: string[];
	graph: { nodes: LineageNode[]; edges: LineageEdge[] };
}

const lineagePath = (name: string, version: string) => `/api/registry/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/lineage`;

export async function getLineage(fetch: Fetch, name: string, version: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version));
}

/** Adds links (a dataset linked again by the same hash is updated, not repeated). */
export async function putLineage(fetch: Fetch, name: string, version: string, input: LineageInput, idempotencyKey?: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version), { method: 'PUT', body: input, idempotencyKey });
}
