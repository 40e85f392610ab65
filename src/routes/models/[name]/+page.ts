import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { aliasHistory, getRegisteredModel, listModelVersions } from '#lib/api/model-registry.ts';

/** Aliases shown even before they are first set: the registry's usual promotion targets. */
const USUAL_ALIASES = ['champion', 'challenger'];

export const load: PageLoad = ({ fetch, url, params }) =>
	loadFromApi(url, `could not load model ${params.name}`, async () => {
		const [model, versions] = await Promise.all([getRegisteredModel(fetch, params.name), listModelVersions(fetch, params.name)]);
		const names = [...new Set([...(model.aliases ?? []).map((a) => a.alias), ...USUAL_ALIASES])];
		const histories = Object.fromEntries(await Promise.all(names.map(async (alias) => [alias, await aliasHistory(fetch, params.name, alias)] as const)));
		return { model, versions, histories };
	});
