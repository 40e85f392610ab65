import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { searchExperiments } from '#lib/api/tracking.ts';

export const load: PageLoad = ({ fetch, url }) => loadFromApi(url, 'could not list experiments', async () => ({ experiments: await searchExperiments(fetch) }));
