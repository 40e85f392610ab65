import type { PageLoad } from './$types';
import { listNotebooks } from '$lib/api/notebooks';
import { loadFromApi } from '$lib/api/page-load';

// In team mode the API needs the token kept in this browser, so the list is loaded here, not on the server.
export const ssr = false;

export const load: PageLoad = ({ fetch, url }) => loadFromApi(url, 'could not list notebooks', async () => ({ notebooks: await listNotebooks(fetch) }));
