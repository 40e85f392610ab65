import type { PageLoad } from './$types';
import { listNotebooks } from '#lib/api/notebooks.ts';
import { loadFromApi } from '#lib/api/page-load.ts';

export const load: PageLoad = ({ fetch, url }) => loadFromApi(url, 'could not list notebooks', async () => ({ notebooks: await listNotebooks(fetch) }));
