import type { CellServices } from '#lib/cells/core/types.ts';
import type { NotebookState } from './notebook.svelte';
import type { BrowserServices, WorkerName } from './services';

/** What `window.driftbook` offers scripts and end-to-end tests driving an open notebook. */
export interface DriftbookAutomation {
	/** Rows of a SQL query against the notebook's DuckDB, as plain objects. */
	query(sql: string): Promise<Record<string, unknown>[]>;
	/** Resolves when no cell is queued or running (cells waiting for a file the user has not picked do not count). */
	idle(): Promise<void>;
	/** A cell's status, how often it ran, its error message, and what it waits for. */
	status(name: string): { status: string; runs: number; error?: string; waiting?: string } | undefined;
	/**
	 * Crashes one of the notebook's workers the way a real crash does (an `error` event, then the
	 * worker is gone), for tests of crash recovery; with `whenBusy`, as the next call reaches it
	 * while a cell is running (calls between runs, such as the dataset panel's, are left alone).
	 */
	crashWorker(name: WorkerName, options?: { whenBusy?: boolean }): Promise<void>;
	/** How often a worker was replaced after a crash. */
	workerRestarts(name: WorkerName): number;
}

declare global {
	interface Window {
		driftbook?: DriftbookAutomation;
	}
}

export function exposeAutomation(notebook: NotebookState, services: CellServices & Partial<Pick<BrowserServices, 'workers'>>): () => void {
	const worker = (name: WorkerName) => {
		const supervisor = services.workers?.[name];
		if (!supervisor) throw new Error(`no worker named "${name}" in this notebook`);
		return supervisor;
	};
	window.driftbook = {
		async query(sql) {
			const table = await (await services.db()).query(sql);
			return table.toArray().map((row) => row.toJSON() as Record<string, unknown>);
		},
		idle: () => notebook.idle(),
		status(name) {
			const state = notebook.states[name];
			return state && { status: state.status, runs: state.runs, error: state.error?.message, waiting: state.waiting?.reason };
		},
		async crashWorker(name, { whenBusy = false } = {}) {
			const supervisor = worker(name);
			const crash = () => (supervisor.kill ? supervisor.kill() : void supervisor.crash('killed on purpose (test)'));
			if (!whenBusy) return crash();
			const cellRunning = () => Object.values(notebook.states).some((state) => state.status === 'running');
			await new Promise<void>((resolve) =>
				supervisor.onCall(() => {
					if (!cellRunning()) return false;
					crash();
					resolve();
					return true;
				})
			);
		},
		workerRestarts: (name) => worker(name).restarts
	};
	return () => {
		delete window.driftbook;
	};
}
