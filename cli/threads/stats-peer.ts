/**
 * A drift report's second thread in Node (the CLI, benchmarks): a worker thread running
 * stats-peer-thread.ts, started on first use, for `driftReportSplit`. Single-core machines get
 * no peer. `close` ends the thread so that the process can exit; `failure` says why the thread
 * died, if it did (its columns were then tested on the main thread: same report, slower).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DriftColumnOutcome, DriftPeer } from '#lib/stats/drift-split.ts';

export interface StatsPeer {
	peer: DriftPeer | undefined;
	/** Starts the thread now, for a job of these methods that will come: it loads its code and compiles the tests' code meanwhile. */
	warm(methods: readonly string[]): void;
	close(): Promise<void>;
	failure(): Error | undefined;
}

/**
 * The thread. In the command line's bundle (test/support/cli-bundle.ts) it is the bundle's own
 * entry stats-peer-thread.mjs beside this chunk. Where this module runs as TypeScript (tsx,
 * vitest) it is stats-peer-thread.ts, compiled in the thread by tsx's require hook: Node 20 runs
 * no module loader (`--import tsx`, inherited or not) in a worker thread, whose .ts entry would
 * fail to load (and its columns silently go back to the main thread).
 */
function startThread(): Worker {
	if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./stats-peer-thread.mjs', import.meta.url));
	const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
	const thread = fileURLToPath(new URL('./stats-peer-thread.ts', import.meta.url));
	return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(thread)});`, { eval: true });
}

export function startStatsPeer(): StatsPeer {
	if (availableParallelism() < 2) return { peer: undefined, warm: () => {}, close: async () => {}, failure: () => undefined };
	let worker: Worker | null = null;
	let failure: Error | undefined;
	let next = 0;
	const pending = new Map<number, { resolve(outcomes: DriftColumnOutcome[]): void; reject(error: Error): void }>();
	const start = (): Worker => {
		const w = startThread();
		w.on('message', ({ id, outcomes }: { id: number; outcomes: DriftColumnOutcome[] }) => {
			pending.get(id)?.resolve(outcomes);
			pending.delete(id);
		});
		// a thread that dies fails its jobs (their columns are then tested on the main thread)
		const fail = (error: Error) => {
			for (const p of pending.values()) p.reject(error);
			pending.clear();
			if (worker !== w) return; // closed
			worker = null;
			failure ??= error;
		};
		w.on('error', fail);
		w.on('exit', (code) => fail(new Error(`the statistics thread exited (code ${code})`)));
		return w;
	};
	const peer: DriftPeer = (job, transfer) =>
		new Promise((resolve, reject) => {
			const id = next++;
			pending.set(id, { resolve, reject });
			(worker ??= start()).postMessage({ id, job }, transfer);
		});
	return {
		peer,
		warm(methods) {
			worker ??= start();
			worker.postMessage({ warmUp: methods });
		},
		async close() {
			const w = worker;
			worker = null;
			await w?.terminate();
		},
		failure: () => failure
	};
}
