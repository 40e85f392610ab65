import * as Comlink from 'comlink';

/**
 * A worker that fails to load (a missing COEP header, a syntax error) fires a bare `error`
 * event and any pending call would hang forever: turn that into a rejected promise.
 */
export function watchWorker(worker: Worker, label: string): Promise<never> {
	return new Promise((_, reject) => {
		worker.addEventListener('error', (event) => {
			const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
			reject(new Error(`${label} worker failed to start or crashed${detail}`));
		});
	});
}

export interface Spawned<T> {
	api: Comlink.Remote<T>;
	/** Rejects if the worker crashes; race calls against it. */
	crashed: Promise<never>;
	terminate(): void;
}

export function spawn<T>(worker: Worker, label: string): Spawned<T> {
	const crashed = watchWorker(worker, label);
	crashed.catch(() => {});
	return { api: Comlink.wrap<T>(worker), crashed, terminate: () => worker.terminate() };
}
