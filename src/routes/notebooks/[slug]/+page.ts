import { error, redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { ApiRequestError, getNotebook } from '#lib/api/notebooks.ts';
import { loginUrl } from '#lib/api/page-load.ts';
import { reviewToken } from '#lib/api/auth-token.ts';
import { reviewLinkRole } from '#lib/api/reviews.ts';
import type { BackendPreference } from '#lib/workers/protocol.ts';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const requested = url.searchParams.get('backend');
	const backend: BackendPreference = requested === 'wasm' || requested === 'webgpu' ? requested : 'auto';
	try {
		const notebook = await getNotebook(fetch, params.slug);
		const reviewRole = reviewToken() ? await reviewLinkRole(fetch) : undefined;
		return { notebook, backend, reviewRole };
	} catch (e) {
		// A review link that stopped working is not fixed by logging in: say what happened.
		if (e instanceof ApiRequestError && e.status === 401 && reviewToken()) error(401, 'This review link was revoked or has expired: ask its owner for a new one.');
		if (e instanceof ApiRequestError && e.status === 401) redirect(307, loginUrl(url));
		const status = e instanceof ApiRequestError ? e.status : 500;
		error(status, status === 404 ? `no notebook "${params.slug}"` : `could not load notebook "${params.slug}": ${(e as Error).message}`);
	}
};
