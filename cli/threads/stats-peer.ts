/**
 * A drift report's second thread in Node (the CLI, benchmarks): a worker thread running
 * stats-peer-thread.ts, started on first use, for `driftReportSplit`. Single-core machines get
 * no peer. `close` ends the thread so that the process can exit.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DriftColumnOutcome, DriftPeer } from '#lib/stats/drift-split.ts';

export interface StatsPeer {
	peer: DriftPeer | undefined;
	close(): Promise<void>;
}

/**
 * The thread's TypeScript loads through tsx: under the tsx CLI the thread inherits its loader
 * (absolute paths, whatever the working directory); elsewhere (vitest) it registers tsx itself.
 */
const TSX_ARGV = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];

export function startStatsPeer(): StatsPeer {
	if (availableParallelism() < 2) return { peer: undefined, close: async () => {} };
	let worker: Worker | null = null;
	let next = 0;
	const pending = new Map<number, { resolve(outcomes: DriftColumnOutcome[]): void; reject(error: Error): void }>();
	const start = (): Worker => {
		const w = new Worker(new URL('./stats-peer-thread.ts', import.meta.url), { execArgv: TSX_ARGV });
		w.on('message', ({ id, outcomes }: { id: number; outcomes: DriftColumnOutcome[] }) => {
			pending.get(id)?.resolve(outcomes);
			pending.delete(id);
		});
		// a thread that dies fails its jobs (their columns are then tested on the main thread)
		const fail = (error: Error) => {
			for (const p of pending.values()) p.reject(error);
			pending.clear();
			if (worker === w) worker = null;
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
		async close() {
			const w = worker;
			worker = null;
			await w?.terminate();
		}
	};
}
