/**
 * Keeps a worker-backed service (DuckDB, inference, statistics, dataset loader) alive across
 * crashes: started on first use, and when it dies (an `error` event, out of memory, a model that
 * takes the runtime down) the work in flight fails with a WorkerCrashError naming the worker, the
 * dead instance is dropped, and the next use starts a fresh one. Cells never see a dead worker twice.
 */

export class WorkerCrashError extends Error {
	constructor(
		readonly worker: string,
		detail: string,
		consequence: string
	) {
		super(`${worker} worker crashed (${detail}) and was restarted; ${consequence}`);
		this.name = 'WorkerCrashError';
	}
}

/** One started instance: its value, a promise that rejects when it dies, and how to stop it. */
export interface Instance<T> {
	value: T;
	crashed: Promise<never>;
	terminate(): void;
}

export interface SupervisorOptions {
	/** What a cell should do about it, appended to the error ("run the cell again"). */
	consequence: string;
	/** Called once per crash, after the dead instance is dropped. */
	onCrash?: (error: WorkerCrashError) => void;
}

interface Current<T> {
	instance: Promise<Instance<T>>;
	/** Rejects with the WorkerCrashError when this instance dies; what callers race against. */
	crashed: Promise<never>;
	fail(error: WorkerCrashError): void;
}

export class Supervisor<T> {
	#current: Current<T> | undefined;
	#callHooks: Array<() => boolean> = [];
	/** How many times a crashed instance was replaced. */
	restarts = 0;

	constructor(
		readonly label: string,
		private readonly start: () => Promise<Instance<T>>,
		private readonly options: SupervisorOptions
	) {}

	/** The running instance (started if needed) and the promise that rejects if it crashes. */
	async get(): Promise<{ value: T; crashed: Promise<never> }> {
		const current = (this.#current ??= this.#launch());
		try {
			const instance = await current.instance;
			return { value: instance.value, crashed: current.crashed };
		} catch (error) {
			// A start that failed is not cached: the next use tries again.
			if (this.#current === current) this.#current = undefined;
			throw error;
		}
	}

	/**
	 * Calls `hook` as each call starts, before it reaches the worker, until it returns true: tests
	 * crash a worker in the middle of a chosen call this way.
	 */
	onCall(hook: () => boolean): void {
		this.#callHooks.push(hook);
	}

	/** Starts a call on the current instance, after the call hooks. */
	call<R>(call: () => Promise<R>): Promise<R> {
		this.#callHooks = this.#callHooks.filter((hook) => !hook());
		return call();
	}

	/**
	 * Declares the current instance dead (its own `crashed` fired, or an error showed its state
	 * is gone): pending work fails, it is terminated, and the next use starts a new one.
	 */
	crash(detail: string): WorkerCrashError {
		const error = new WorkerCrashError(this.label, detail, this.options.consequence);
		const current = this.#current;
		if (!current) return error;
		this.#current = undefined;
		this.restarts++;
		current.fail(error);
		void current.instance.then(
			(instance) => instance.terminate(),
			() => {}
		);
		this.options.onCrash?.(error);
		return error;
	}

	#launch(): Current<T> {
		let fail!: (error: WorkerCrashError) => void;
		const crashed = new Promise<never>((_, reject) => (fail = reject));
		crashed.catch(() => {});
		const current: Current<T> = { instance: this.start(), crashed, fail };
		void current.instance.then(
			(instance) =>
				instance.crashed.catch((error: unknown) => {
					if (this.#current === current) this.crash(describe(error));
				}),
			() => {}
		);
		return current;
	}
}

/** The useful part of a crash: an ErrorEvent's message, or a hint when the worker said nothing. */
function describe(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const detail = /crashed: (.+)$/.exec(message)?.[1];
	return detail ? detail : 'out of memory?';
}
