import type { CellServices } from '#lib/cells/core/types.ts';
import type { SqlConnector } from '#lib/sql/connector.ts';
import { takeDuckDB } from '#lib/workers/duckdb.ts';
import { spawn, type Spawned } from '#lib/workers/spawn.ts';
import type { BackendPreference, InferenceApi, LoaderApi, StatsApi } from '#lib/workers/protocol.ts';
import InferenceWorker from '#lib/workers/inference.worker.ts?worker';
import StatsWorker from '#lib/workers/stats.worker.ts?worker';
import LoaderWorker from '#lib/workers/loader.worker.ts?worker';
import type { NotebookState } from './notebook.svelte';
import { Supervisor, type Instance } from '#lib/workers/supervisor.ts';

export type WorkerName = 'duckdb' | 'inference' | 'stats' | 'loader';

/** The services of one notebook, plus what the automation hook may do with their workers. */
export interface BrowserServices extends CellServices {
	workers: Record<WorkerName, Supervisor<unknown> & { kill?(): void }>;
}

/** How DuckDB-WASM's client reports that its worker died (see watchWorker). */
const DUCKDB_CRASH = /worker failed to start or crashed/;

/** A Comlink worker under supervision; `kill` fires the `error` event a real crash fires, then stops it. */
function supervisedWorker<T>(label: string, make: () => Worker, consequence: string) {
	let worker: Worker | undefined;
	const supervisor = new Supervisor<Spawned<T>>(
		label,
		async () => {
			performance.mark(`driftbook:${label}:spawn`);
			worker = make();
			const spawned = spawn<T>(worker, label);
			return { value: spawned, crashed: spawned.crashed, terminate: spawned.terminate };
		},
		{ consequence }
	);
	const kill = () => {
		worker?.dispatchEvent(new ErrorEvent('error', { message: 'killed on purpose (test)' }));
		worker?.terminate();
	};
	const get = async (): Promise<Spawned<T>> => {
		const { value, crashed } = await supervisor.get();
		return { api: hooked(value.api, supervisor), crashed, terminate: value.terminate };
	};
	return { supervisor: Object.assign(supervisor, { kill }), get };
}

/** The Comlink proxy with each call started through `supervisor` (its call hooks). */
function hooked<A extends object>(api: A, supervisor: Supervisor<unknown>): A {
	return new Proxy(api, {
		get(target, property, receiver) {
			const member = Reflect.get(target, property, receiver) as unknown;
			if (typeof member !== 'function' || property === 'then') return member;
			return (...args: unknown[]) => supervisor.call(async () => Reflect.apply(member, target, args) as unknown);
		}
	});
}

/**
 * DuckDB under supervision. A crash loses every table in it, so the notebook re-runs the cells
 * that had finished (their tables are gone); the cell that was running shows the crash.
 */
function supervisedDuckDB(notebook: NotebookState) {
	const supervisor: Supervisor<SqlConnector> = new Supervisor<SqlConnector>('DuckDB', async (): Promise<Instance<SqlConnector>> => takeDuckDB(), {
		consequence: 'the cells whose tables lived in it run again',
		onCrash: () => notebook.rerunFinished()
	});
	/** Every call fails fast with the crash, and a crash reported by DuckDB's client ends this instance. */
	const guarded = <R>(crashed: Promise<never>, call: () => Promise<R>): Promise<R> =>
		supervisor.call(() =>
			Promise.race([call(), crashed]).catch((error: unknown) => {
				if (error instanceof Error && DUCKDB_CRASH.test(error.message)) throw supervisor.crash(/crashed: (.+)$/.exec(error.message)?.[1] ?? 'out of memory?');
				throw error;
			})
		);
	/** A streamed result whose every next batch fails fast with the crash, like `guarded` calls. */
	async function* guardedBatches<B>(crashed: Promise<never>, batches: AsyncIterable<B>): AsyncGenerator<B> {
		const iterator = batches[Symbol.asyncIterator]();
		for (;;) {
			const next = await guarded(crashed, () => iterator.next());
			if (next.done) return;
			yield next.value;
		}
	}
	const db = async (): Promise<SqlConnector> => {
		const { value, crashed } = await supervisor.get();
		return {
			query: (sql, signal) => guarded(crashed, () => value.query(sql, signal)),
			queryIPC: (sql, signal) => guarded(crashed, () => value.queryIPC(sql, signal)),
			queryBatches: value.queryBatches && ((sql, signal) => guardedBatches(crashed, value.queryBatches!(sql, signal))),
			registerFile: (name, bytes) => guarded(crashed, () => value.registerFile(name, bytes)),
			dropFile: (name) => guarded(crashed, () => value.dropFile(name)),
			insertArrowIPC: (name, ipc, options) => guarded(crashed, () => value.insertArrowIPC(name, ipc, options)),
			session:
				value.session &&
				(async () => {
					const session = await guarded(crashed, () => value.session!());
					return { query: (sql, signal) => guarded(crashed, () => session.query(sql, signal)), close: () => guarded(crashed, () => session.close()) };
				}),
			storage: value.storage
		};
	};
	return { supervisor, db };
}

/**
 * The browser's services for one notebook's cells: its own DuckDB-WASM, inference worker,
 * stats worker and dataset loader, each started on first use and again after a crash.
 */
export function browserServices(backend: BackendPreference): (notebook: NotebookState) => BrowserServices {
	return (notebook) => {
		const again = 'run the cell again';
		const duckdb = supervisedDuckDB(notebook);
		const inference = supervisedWorker<InferenceApi>('inference', () => new InferenceWorker(), again);
		const stats = supervisedWorker<StatsApi>('statistics', () => new StatsWorker(), again);
		const loader = supervisedWorker<LoaderApi>('dataset loader', () => new LoaderWorker(), again);
		return {
			db: duckdb.db,
			inference: inference.get,
			stats: stats.get,
			loader: loader.get,
			workers: {
				duckdb: duckdb.supervisor as Supervisor<unknown>,
				inference: inference.supervisor as Supervisor<unknown>,
				stats: stats.supervisor as Supervisor<unknown>,
				loader: loader.supervisor as Supervisor<unknown>
			},
			backend,
			resolveUrl: (path) => new URL(path, location.href).href,
			inputValue: (name) => notebook.inputValue(name),
			trusted: () => notebook.trusted
		};
	};
}
