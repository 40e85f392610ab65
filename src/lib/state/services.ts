import type { CellServices } from '$lib/cells/types';
import { createDuckDB } from '$lib/sql/duckdb-client';
import { spawn } from '$lib/workers/spawn';
import type { BackendPreference, InferenceApi, StatsApi } from '$workers/protocol';
import InferenceWorker from '$workers/inference.worker?worker';
import StatsWorker from '$workers/stats.worker?worker';

function once<T>(start: () => Promise<T>): () => Promise<T> {
	let started: Promise<T> | undefined;
	return () => (started ??= start());
}

/** The browser's services for cells: DuckDB-WASM, the inference worker and the stats worker. */
export function browserServices(backend: BackendPreference): CellServices {
	return {
		db: once(createDuckDB),
		inference: once(async () => spawn<InferenceApi>(new InferenceWorker(), 'inference')),
		stats: once(async () => spawn<StatsApi>(new StatsWorker(), 'statistics')),
		backend,
		resolveUrl: (path) => new URL(path, location.href).href
	};
}
