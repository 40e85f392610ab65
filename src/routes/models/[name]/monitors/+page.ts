import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { listEvaluations, listMonitors } from '#lib/api/monitors.ts';

export const load: PageLoad = ({ fetch, url, params }) =>
	loadFromApi(url, `could not load the monitors of ${params.name}`, async () => {
		const monitors = await listMonitors(fetch, params.name);
		const evaluations = Object.fromEntries(await Promise.all(monitors.map(async (m) => [m.id, await listEvaluations(fetch, m.id)] as const)));
		return { name: params.name, monitors, evaluations };
	});
