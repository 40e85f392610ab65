/**
 * Progress and cancellation for long analyses: count units of work, report them, and yield to
 * the event loop every few milliseconds so that a cancel message (in a worker) is handled.
 */

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (!signal?.aborted) return;
	if (typeof signal.throwIfAborted === 'function') signal.throwIfAborted();
	throw signal.reason instanceof Error ? signal.reason : new Error('The analysis was aborted');
}

const YIELD_EVERY_MS = 30;

export class Steps {
	#done = 0;
	#lastYield = Date.now();

	constructor(
		public total: number,
		private readonly signal?: AbortSignal,
		private readonly onProgress?: (done: number, total: number) => void
	) {}

	get done(): number {
		return this.#done;
	}

	/** Yields when due, then throws if aborted. */
	async check(): Promise<void> {
		if (Date.now() - this.#lastYield >= YIELD_EVERY_MS) {
			await new Promise<void>((resolve) => setTimeout(resolve, 0));
			this.#lastYield = Date.now();
		}
		throwIfAborted(this.signal);
	}

	/** Marks `n` units done, reports, yields when due and throws if aborted. */
	async advance(n = 1): Promise<void> {
		this.#done = Math.min(this.total, this.#done + n);
		this.onProgress?.(this.#done, this.total);
		await this.check();
	}
}
