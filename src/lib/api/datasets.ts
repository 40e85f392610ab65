/**
 * Datasets stored on the driftbook server, as the browser sees them: wire types (the server's
 * /api/datasets routes answer with exactly these) and a typed client. Nothing is uploaded unless
 * the user asks: `uploadDataset` is only ever called from an explicit "Save to server".
 */
import { ApiRequestError, type ApiErrorBody } from './notebooks';

export const SERVER_DATASET_FORMATS = ['csv', 'tsv', 'parquet', 'arrow', 'json', 'ndjson'] as const;
export type ServerDatasetFormat = (typeof SERVER_DATASET_FORMATS)[number];

/** One stored version of a named dataset; the bytes behind an id never change. */
export interface ServerDataset {
	id: string;
	name: string;
	version: number;
	format: ServerDatasetFormat;
	size_bytes: number;
	sha256: string;
	created_at: string;
	created_by: string;
}

/** A name's newest version, with how many versions the name has. */
export interface ServerDatasetSummary extends ServerDataset {
	versions: number;
}

/** The prefix of a data cell's `url:` that names a stored dataset: `server:<name>` (newest version) or `server:<id>`. */
export const SERVER_PREFIX = 'server:';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function failure(response: Response, what: string): Promise<never> {
	const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined;
	throw new ApiRequestError(response.status, body?.error?.message ?? `${what}: HTTP ${response.status}`, body?.error?.code);
}

async function json<T>(fetch: typeof globalThis.fetch, path: string, what: string, init?: RequestInit): Promise<T> {
	const response = await fetch(path, init);
	if (!response.ok) await failure(response, what);
	return (await response.json()) as T;
}

/** Every name's newest version (newest first); with `name`, all versions of that name (newest first). */
export async function listServerDatasets(fetch: typeof globalThis.fetch, name?: string): Promise<ServerDatasetSummary[]> {
	const query = name === undefined ? '' : `?name=${encodeURIComponent(name)}`;
	return (await json<{ datasets: ServerDatasetSummary[] }>(fetch, `/api/datasets${query}`, 'listing the server\'s datasets')).datasets;
}

export async function deleteServerDataset(fetch: typeof globalThis.fetch, id: string): Promise<void> {
	await json(fetch, `/api/datasets/${encodeURIComponent(id)}`, `deleting dataset ${id}`, { method: 'DELETE' });
}

/** Where a stored version's bytes are (Range requests work there). */
export function serverDatasetContentUrl(id: string): string {
	return `/api/datasets/${encodeURIComponent(id)}/content`;
}

/** `server:sales` → the newest version of "sales"; `server:<uuid>` → that version. Names the reference when it is unknown. */
export async function resolveServerDataset(fetch: typeof globalThis.fetch, reference: string): Promise<ServerDataset> {
	const ref = reference.trim();
	if (!ref) throw new Error(`"${SERVER_PREFIX}" needs a dataset name or id after it`);
	if (UUID.test(ref)) {
		const response = await fetch(`/api/datasets/${encodeURIComponent(ref)}`);
		if (response.status === 404) throw new Error(`the server has no dataset with id ${ref}`);
		if (!response.ok) await failure(response, `dataset ${ref}`);
		return ((await response.json()) as { dataset: ServerDataset }).dataset;
	}
	const [newest] = await listServerDatasets(fetch, ref);
	if (!newest) throw new Error(`the server has no dataset named "${ref}" (the Datasets panel lists the stored ones under "On the server")`);
	return newest;
}

/**
 * Uploads `body` as a new version of `name`. XMLHttpRequest, because fetch cannot report upload
 * progress; `onProgress` gets bytes sent and the total; aborting `signal` cancels the upload.
 */
export function uploadDataset(
	body: Blob,
	options: { name: string; format: ServerDatasetFormat; signal?: AbortSignal; onProgress?: (sent: number, total: number) => void }
): Promise<ServerDataset> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', `/api/datasets?name=${encodeURIComponent(options.name)}&format=${options.format}`);
		xhr.setRequestHeader('content-type', 'application/octet-stream');
		xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : body.size);
		xhr.onload = () => {
			let parsed: { dataset?: ServerDataset } & Partial<ApiErrorBody> = {};
			try {
				parsed = JSON.parse(xhr.responseText);
			} catch {
				// not JSON: reported below by status
			}
			if (xhr.status === 201 && parsed.dataset) resolve(parsed.dataset);
			else reject(new ApiRequestError(xhr.status, parsed.error?.message ?? `uploading ${options.name}: HTTP ${xhr.status}`, parsed.error?.code));
		};
		xhr.onerror = () => reject(new Error(`uploading ${options.name}: the connection failed`));
		xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
		options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
		xhr.send(body);
	});
}
