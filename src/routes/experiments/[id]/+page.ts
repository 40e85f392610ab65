import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { getExperiment, searchRuns } from '#lib/api/tracking.ts';

export const load: PageLoad = ({ fetch, url, params }) =>
	loadFromApi(url, `could not load experiment ${params.id}`, async () => {
		const [experiment, runs] = await Promise.all([getExperiment(fetch, params.id), searchRuns(fetch, [params.id])]);
		return { experiment, runs };
	});
