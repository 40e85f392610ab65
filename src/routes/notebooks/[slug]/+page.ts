import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import type { BackendPreference } from '$workers/protocol';

// Cells run on workers, DuckDB-WASM and WebGPU: nothing to render on the server.
export const ssr = false;

export const load: PageLoad = async ({ fetch, params, url }) => {
	const response = await fetch(`/api/notebooks/${encodeURIComponent(params.slug)}`);
	if (response.status === 404) error(404, `no notebook "${params.slug}"`);
	if (!response.ok) error(response.status, `could not load notebook "${params.slug}": HTTP ${response.status}`);
	const { notebook } = (await response.json()) as { notebook: { slug: string; title: string; source: string; version: number } };
	const requested = url.searchParams.get('backend');
	const backend: BackendPreference = requested === 'wasm' || requested === 'webgpu' ? requested : 'auto';
	return { notebook, backend };
};
