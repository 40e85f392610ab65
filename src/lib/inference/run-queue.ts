/**
 * ORT's WebGPU backend runs one session at a time ("Session already started" otherwise), and
 * TF.js switches a global backend: every model call in this worker goes through this queue.
 */
let queue: Promise<unknown> = Promise.resolve();
export function exclusive<T>(work: () => Promise<T>): Promise<T> {
	const next = queue.then(work, work);
	queue = next.catch(() => {});
	return next;
}

/** Runs `work` in the queue and times it once it starts. */
export function timed<T>(work: () => Promise<T>): Promise<{ outputs: T; ms: number }> {
	return exclusive(async () => {
		const t0 = performance.now();
		const outputs = await work();
		return { outputs, ms: performance.now() - t0 };
	});
}
