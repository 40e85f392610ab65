/**
 * Datasets stored on the driftbook server (/api/datasets), as the browser sees them: wire types
 * (the server's routes answer with exactly these) and a typed client on the shared request
 * helper. Nothing is uploaded unless the user asks: `uploadDataset` is only called from an
 * explicit "Save to server". A model version's lineage can point at a dataset by id and sha256.
 */
import { apiRequest, errorFrom, requestInit, ApiRequestError, type Fetch } from './http';
import type { Dataset as ServerDataset, DatasetFormat as ServerDatasetFormat, DatasetSummary as ServerDatasetSummary } from '#lib/contracts/datasets.ts';

// The wire types (src/lib/contracts), under the names this client's callers know them by.
export {
	DATASET_FORMATS as SERVER_DATASET_FORMATS,
	type Dataset as ServerDataset,
	type DatasetFormat as ServerDatasetFormat,
	type DatasetSummary as ServerDatasetSummary
} from '#lib/contracts/datasets.ts';

/** The prefix of a data cell's `url:` that names a stored dataset: `server:<name>` (newest version) or `server:<id>`. */
export const SERVER_PREFIX = 'server:';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every name's newest version (newest first); with `name`, all versions of that name (newest first). */
export async function listServerDatasets(fetch: Fetch, name?: string): Promise<ServerDatasetSummary[]> {
	return (await apiRequest<{ datasets: ServerDatasetSummary[] }>(fetch, '/api/datasets', { query: { name } })).datasets;
}

export async function deleteServerDataset(fetch: Fetch, id: string): Promise<void> {
	await apiRequest(fetch, `/api/datasets/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Where a stored version's bytes are (Range requests and ETag work there). */
export function serverDatasetContentUrl(id: string): string {
	return `/api/datasets/${encodeURIComponent(id)}/content`;
}

/** `server:sales` → the newest version of "sales"; `server:<uuid>` → that version. Names the reference when it is unknown. */
export async function resolveServerDataset(fetch: Fetch, reference: string): Promise<ServerDataset> {
	const ref = reference.trim();
	if (!ref) throw new Error(`"${SERVER_PREFIX}" needs a dataset name or id after it`);
	if (UUID.test(ref)) {
		try {
			return (await apiRequest<{ dataset: ServerDataset }>(fetch, `/api/datasets/${encodeURIComponent(ref)}`)).dataset;
		} catch (error) {
			if (error instanceof ApiRequestError && error.status === 404) throw new Error(`the server has no dataset with id ${ref}`, { cause: error });
			throw error;
		}
	}
	const [newest] = await listServerDatasets(fetch, ref);
	if (!newest) throw new Error(`the server has no dataset named "${ref}" (the Datasets panel lists the stored ones under "On the server")`);
	return newest;
}

export interface UploadOptions {
	name: string;
	format: ServerDatasetFormat;
	signal?: AbortSignal;
	/** Bytes sent and the total. Given in a browser, the upload goes through XMLHttpRequest: fetch cannot report upload progress. */
	onProgress?: (sent: number, total: number) => void;
}

/** Uploads `body` as the next version of `options.name`. */
export async function uploadDataset(fetch: Fetch, body: Blob | Uint8Array, options: UploadOptions): Promise<ServerDataset> {
	const path = `/api/datasets?name=${encodeURIComponent(options.name)}&format=${options.format}`;
	const init = requestInit({ method: 'POST', bytes: body as BodyInit, signal: options.signal });
	if (!options.onProgress || typeof XMLHttpRequest === 'undefined') {
		const response = await fetch(path, init);
		if (!response.ok) throw await errorFrom(response, `uploading ${options.name}`);
		return ((await response.json()) as { dataset: ServerDataset }).dataset;
	}
	const onProgress = options.onProgress;
	const total = body instanceof Blob ? body.size : body.byteLength;
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', path);
		for (const [header, value] of Object.entries(init.headers as Record<string, string>)) xhr.setRequestHeader(header, value);
		xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : total);
		xhr.onload = () => {
			const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': 'application/json' } });
			if (xhr.status === 201) resolve((JSON.parse(xhr.responseText) as { dataset: ServerDataset }).dataset);
			else void errorFrom(response, `uploading ${options.name}`).then(reject);
		};
		xhr.onerror = () => reject(new TypeError(`uploading ${options.name}: the connection failed`));
		xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
		options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
		xhr.send(body as XMLHttpRequestBodyInit);
	});
}
