/**
 * Uploaded datasets (/api/datasets): content-addressed files with versions per name. A model
 * version's lineage can point at one by id, with its sha256.
 */
import { apiRequest, type Fetch } from './http';

export type DatasetFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'json' | 'ndjson';

export interface Dataset {
	id: string;
	name: string;
	version: number;
	format: DatasetFormat;
	size_bytes: number;
	/** Hex sha256 of the file's bytes. */
	sha256: string;
	created_at: string;
	created_by: string;
}

/** A name's newest version, with how many versions the name has. */
export interface DatasetSummary extends Dataset {
	versions: number;
}

/** Each name's newest version, newest first; with `name`, every version of that name. */
export async function listDatasets(fetch: Fetch, name?: string): Promise<DatasetSummary[]> {
	return (await apiRequest<{ datasets: DatasetSummary[] }>(fetch, '/api/datasets', { query: { name } })).datasets;
}

export async function getDataset(fetch: Fetch, id: string): Promise<Dataset> {
	return (await apiRequest<{ dataset: Dataset }>(fetch, `/api/datasets/${encodeURIComponent(id)}`)).dataset;
}

/** Uploads a file as the next version of `name`. */
export async function uploadDataset(fetch: Fetch, name: string, format: DatasetFormat, bytes: BodyInit): Promise<Dataset> {
	return (await apiRequest<{ dataset: Dataset }>(fetch, '/api/datasets', { method: 'POST', query: { name, format }, bytes })).dataset;
}

/** Where the browser downloads a dataset's bytes (ranges and ETag supported). */
export function datasetContentUrl(id: string): string {
	return `/api/datasets/${encodeURIComponent(id)}/content`;
}
