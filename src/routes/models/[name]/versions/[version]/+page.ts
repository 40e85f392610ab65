import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { getLineage } from '#lib/api/lineage.ts';

export const load: PageLoad = ({ fetch, url, params }) =>
	loadFromApi(url, `could not load lineage of ${params.name} version ${params.version}`, async () => ({
		lineage: await getLineage(fetch, params.name, params.version)
	}));
