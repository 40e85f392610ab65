import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { modelVersionsOfRun } from '#lib/api/model-registry.ts';
import { getExperiment, getRun, listRunArtifacts, type ArtifactFile } from '#lib/api/tracking.ts';
import type { Fetch } from '#lib/api/http.ts';

/** Every file under the run's artifact root, depth first (directories expanded). */
async function allArtifacts(fetch: Fetch, runId: string, path?: string, depth = 0): Promise<ArtifactFile[]> {
	const entries = await listRunArtifacts(fetch, runId, path);
	const out: ArtifactFile[] = [];
	for (const entry of entries) {
		if (entry.is_dir && depth < 4) out.push(...(await allArtifacts(fetch, runId, entry.path, depth + 1)));
		else out.push(entry);
	}
	return out;
}

export const load: PageLoad = ({ fetch, url, params }) =>
	loadFromApi(url, `could not load run ${params.id}`, async () => {
		const run = await getRun(fetch, params.id);
		const [experiment, artifacts, versions] = await Promise.all([
			getExperiment(fetch, run.info.experiment_id),
			allArtifacts(fetch, params.id),
			modelVersionsOfRun(fetch, params.id)
		]);
		return { run, experiment, artifacts, versions };
	});
