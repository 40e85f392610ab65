import type { PageLoad } from './$types';
import { loadFromApi } from '$lib/api/page-load';
import { searchExperiments, searchRuns } from '$lib/api/tracking';

export const load: PageLoad = ({ fetch, url }) =>
	loadFromApi(url, 'could not list experiments', async () => {
		const experiments = await searchExperiments(fetch);
		const runs = experiments.length > 0 ? await searchRuns(fetch, experiments.map((e) => e.experiment_id)) : [];
		const counts = new Map<string, { runs: number; last?: number }>();
		for (const run of runs) {
			const c = counts.get(run.info.experiment_id) ?? { runs: 0 };
			c.runs++;
			c.last = Math.max(c.last ?? 0, run.info.start_time ?? 0);
			counts.set(run.info.experiment_id, c);
		}
		return { experiments: experiments.map((e) => ({ ...e, runs: counts.get(e.experiment_id)?.runs ?? 0, lastRun: counts.get(e.experiment_id)?.last })) };
	});
