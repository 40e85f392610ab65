/**
 * Progress and cancellation for long analyses: count units of work, report them, and yield to
 * the event loop every few milliseconds so that a cancel message (in a worker) is handled.
 */

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (!signal?.aborted) return;
	if (typeof signal.throwIfAborted === 'function') signal.throwIfAborted();
	throw signal.reason instanceof Error ? signal.reason : new Error('The analysis was aborted');
}

/**
 * Lets the event loop run once (a cancel or progress message, in a worker) and goes on. Not
 * `setTimeout(0)`: browsers clamp nested timers to 4 ms. A message to itself in the browser,
 * `setImmediate` in Node (the CLI runs the same code).
 */
export function yieldToEvents(): Promise<void> {
	if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
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
			await yieldToEvents();
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
