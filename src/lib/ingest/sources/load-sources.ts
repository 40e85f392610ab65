/** Where a dataset named by URL is read from: the URL as the page resolves it (with the team token for the server's own /api), or a server dataset's content. */
import type { LoadSource } from '#lib/ingest/load-plan.ts';
import { resolveServerDataset, SERVER_PREFIX, serverDatasetContentUrl, type ServerDataset } from '#lib/api/datasets.ts';
import { requestHeadersFor } from '#lib/api/http.ts';

/**
 * A download for the loader worker: the absolute URL, with the headers this page's own /api/ URLs
 * need (the bearer token in team mode, or a review link's); any other host gets none.
 */
export function urlLoadSource(url: string, name: string, resolveUrl: (path: string) => string): LoadSource {
	const absolute = resolveUrl(url);
	return { kind: 'url', url: absolute, name, headers: requestHeadersFor(absolute) };
}

/** A `server:<name>` or `server:<id>` URL as a download of the stored bytes. */
export async function serverLoadSource(url: string, resolveUrl: (path: string) => string): Promise<{ source: LoadSource; dataset: ServerDataset }> {
	const dataset = await resolveServerDataset(fetch, url.slice(SERVER_PREFIX.length));
	return { source: urlLoadSource(serverDatasetContentUrl(dataset.id), `${dataset.name}.${dataset.format}`, resolveUrl), dataset };
}
