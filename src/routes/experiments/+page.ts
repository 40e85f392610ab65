import type { PageLoad } from './$types';
import { loadFromApi } from '$lib/api/page-load';
import { searchExperiments } from '$lib/api/tracking';

export const load: PageLoad = ({ fetch, url }) => loadFromApi(url, 'could not list experiments', async () => ({ experiments: await searchExperiments(fetch) }));
