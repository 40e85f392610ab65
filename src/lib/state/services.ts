import type { CellServices } from '$lib/cells/types';
import { createDuckDB } from '$lib/sql/duckdb-client';
import { spawn } from '$lib/workers/spawn';
import type { BackendPreference, InferenceApi, LoaderApi, StatsApi } from '$workers/protocol';
import InferenceWorker from '$workers/inference.worker?worker';
import StatsWorker from '$workers/stats.worker?worker';
import LoaderWorker from '$workers/loader.worker?worker';
import type { NotebookState } from './notebook.svelte';

function once<T>(start: () => Promise<T>): () => Promise<T> {
	let started: Promise<T> | undefined;
	return () => (started ??= start());
}

/**
 * The browser's services for one notebook's cells: its own DuckDB-WASM, inference worker and
 * stats worker, started on first use.
 */
export function browserServices(backend: BackendPreference): (notebook: NotebookState) => CellServices {
	return (notebook) => ({
		db: once(createDuckDB),
		inference: once(async () => spawn<InferenceApi>(new InferenceWorker(), 'inference')),
		stats: once(async () => spawn<StatsApi>(new StatsWorker(), 'statistics')),
		loader: once(async () => spawn<LoaderApi>(new LoaderWorker(), 'dataset loader')),
		backend,
		resolveUrl: (path) => new URL(path, location.href).href,
		inputValue: (name) => notebook.inputValue(name),
		trusted: () => notebook.trusted
	});
}
