import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { searchRegisteredModels } from '#lib/api/model-registry.ts';

export const load: PageLoad = ({ fetch, url }) =>
	loadFromApi(url, 'could not list registered models', async () => ({ models: await searchRegisteredModels(fetch) }));
