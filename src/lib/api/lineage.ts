/**
 * Lineage of a model version (/api/registry/models/:name/versions/:version/lineage): the run
 * that produced it, the dataset snapshot it was trained or evaluated on (sha256 of the data),
 * and the drift / A/B / champion reports that justified promoting it, with the graph the
 * server derives from them.
 */
import { apiRequest, type Fetch } from './http';
import type { Lineage, LineageInput } from '#lib/contracts/lineage.ts';
// The wire types, for this client's callers.
export type {
	Lineage,
	LineageDataset,
	LineageEdge,
	LineageInput,
	LineageNode,
	LineageNodeType,
	LineageReport,
	LineageReportKind,
	LineageRun,
	ReportSummary
} from '#lib/contracts/lineage.ts';

const lineagePath = (name: string, version: string) => `/api/registry/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/lineage`;

export async function getLineage(fetch: Fetch, name: string, version: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version));
}

/** Adds links (a dataset linked again by the same hash is updated, not repeated). */
export async function putLineage(fetch: Fetch, name: string, version: string, input: LineageInput, idempotencyKey?: string): Promise<Lineage> {
	return apiRequest<Lineage>(fetch, lineagePath(name, version), { method: 'PUT', body: input, idempotencyKey });
}
