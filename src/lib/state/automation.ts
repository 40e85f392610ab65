import type { CellServices } from '$lib/cells/types';
import type { NotebookState } from './notebook.svelte';

/** What `window.driftbook` offers scripts and end-to-end tests driving an open notebook. */
export interface DriftbookAutomation {
	/** Rows of a SQL query against the notebook's DuckDB, as plain objects. */
	query(sql: string): Promise<Record<string, unknown>[]>;
	/** Resolves when no cell is queued or running. */
	idle(): Promise<void>;
	/** A cell's status, how often it ran, and its error message. */
	status(name: string): { status: string; runs: number; error?: string } | undefined;
}

declare global {
	interface Window {
		driftbook?: DriftbookAutomation;
	}
}

export function exposeAutomation(notebook: NotebookState, services: CellServices): () => void {
	window.driftbook = {
		async query(sql) {
			const table = await (await services.db()).query(sql);
			return table.toArray().map((row) => row.toJSON() as Record<string, unknown>);
		},
		idle: () => notebook.idle(),
		status(name) {
			const state = notebook.states[name];
			return state && { status: state.status, runs: state.runs, error: state.error?.message };
		}
	};
	return () => {
		delete window.driftbook;
	};
}
