/**
 * Lineage of a model version (/api/registry/models/:name/versions/:version/lineage): the run
 * that produced it, the dataset snapshot it was trained or evaluated on (sha256 of the data),
 * and the drift / A/B / champion reports that justified promoting it, with the graph the
 * server derives from them.
 */
import { apiRequest, type Fetch } from './http';
import type { KeyValue, Metric } from './tracking';
import type { ModelVersion } from './registry';

export type LineageReportKind = 'drift' | 'ab' | 'champion';

export interface LineageDataset {
	/** Hex sha256 of the data (the table's Arrow IPC stream). */
	sha256: string;
	name?: string;
	rows?: number;
}

export interface LineageReport {
	kind: LineageReportKind;
	run_id?: string;
	/** The report's JSON artifact, relative to the run's artifact root. */
	artifact_path?: string;
	/** One line saying what the report found. */
	summary: string;
}

export interface LineageInput {
	dataset?: LineageDataset;
	reports?: LineageReport[];
}

export type LineageNodeType = 'model_version' | 'run' | 'dataset' | 'params' | 'metrics' | 'report' | 'alias' | string;

export interface LineageNode {
	id: string;
	type: LineageNodeType;
	label: string;
	data?: unknown;
}

export interface LineageEdge {
	from: string;
	to: string;
	kind: string;
}

export interface Lineage {
	model_version: ModelVersion;
	run: { run_id?: string; params?: KeyValue[] | Record<string, string>; metrics?: Metric[] | Record<string, number>; tags?: KeyValue[] | Record<string, string> } | null;
	datasets: LineageDataset[];
	reports: LineageReport[];
	aliases: string[];
	graph: { nodes: LineageNode[]; edges: LineageEdge[] };
}

const lineagePath = (name: string, version: string) => `/api/registry/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/lineage`;

export async function getLineage(fetch: Fetch, name: string, version: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version));
}

export async function putLineage(fetch: Fetch, name: string, version: string, input: LineageInput, idempotencyKey?: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version), { method: 'PUT', body: input, idempotencyKey });
}
