import { error, redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { ApiRequestError, getNotebook } from '$lib/api/notebooks';
import { loginUrl } from '$lib/api/page-load';
import type { BackendPreference } from '$workers/protocol';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const requested = url.searchParams.get('backend');
	const backend: BackendPreference = requested === 'wasm' || requested === 'webgpu' ? requested : 'auto';
	try {
		return { notebook: await getNotebook(fetch, params.slug), backend };
	} catch (e) {
		if (e instanceof ApiRequestError && e.status === 401) redirect(307, loginUrl(url));
		const status = e instanceof ApiRequestError ? e.status : 500;
		error(status, status === 404 ? `no notebook "${params.slug}"` : `could not load notebook "${params.slug}": ${(e as Error).message}`);
	}
};
