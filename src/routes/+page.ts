import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export interface NotebookSummary {
	id: string;
	slug: string;
	title: string;
	version: number;
	updated_at: string;
	bundled: boolean;
}

export const load: PageLoad = async ({ fetch }) => {
	const response = await fetch('/api/notebooks');
	if (!response.ok) error(response.status, `could not list notebooks: HTTP ${response.status}`);
	const body = (await response.json()) as { notebooks: NotebookSummary[] };
	return { notebooks: body.notebooks };
};
