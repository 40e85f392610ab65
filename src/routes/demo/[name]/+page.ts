import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { bundledNotebook } from '$lib/notebook/bundled';

// Demo pages carry their notebook in the page itself and make no server call: they work from
// any static host and keep a visitor's input in their browser.
export const ssr = false;

export const load: PageLoad = ({ params }) => {
	const source = bundledNotebook(params.name);
	if (source === undefined) error(404, `no demo "${params.name}"`);
	return { name: params.name, source };
};
