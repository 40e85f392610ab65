import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { ApiRequestError, listNotebooks } from '$lib/api/notebooks';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { notebooks: await listNotebooks(fetch) };
	} catch (e) {
		error(e instanceof ApiRequestError ? e.status : 500, `could not list notebooks: ${(e as Error).message}`);
	}
};
