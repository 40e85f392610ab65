import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { bundledNotebook } from '#lib/notebook/bundled.ts';

export const load: PageLoad = ({ params }) => {
	const source = bundledNotebook(params.name);
	if (source === undefined) error(404, `no demo "${params.name}"`);
	return { name: params.name, source };
};
