/**
 * The reactive cell scheduler. It knows nothing about what a cell does: a cell is a name, the
 * names it reads, a key identifying its code, and an async function. Like observablehq/runtime,
 * errors are values, every run has a version, and a result that arrives for an old version is
 * dropped. A running cell whose input changes is aborted through its AbortSignal.
 */

export type CellStatus = 'queued' | 'running' | 'done' | 'error';

export interface CellContext {
	signal: AbortSignal;
	/** Report progress of long work, `done` of `total` units (rows, bytes). */
	progress(done: number, total: number): void;
}

export interface CellDefinition {
	name: string;
	/** Changes whenever the cell's code or settings change; an unchanged key does not re-run. */
	key: string;
	inputs: readonly string[];
	/**
	 * Starts only while no cell that is not deferred runs: a cell that first brings up an engine of
	 * its own (a model's inference runtime, megabytes of WASM to compile) leaves the CPU to the cells
	 * already under way, instead of slowing them down with it. Its inputs, errors and versions
	 * work as for any cell.
	 */
	deferred?: boolean;
	run(inputs: Record<string, unknown>, context: CellContext): Promise<unknown> | unknown;
}

export interface CellState {
	status: CellStatus;
	value?: unknown;
	error?: Error;
	/** Bumped every time the cell is (re)scheduled. */
	version: number;
	/** How many times the cell actually started running. */
	runs: number;
	durationMs?: number;
	progress?: { done: number; total: number };
	/**
	 * Set on a queued cell that cannot run until something outside the notebook happens (a file
	 * is picked): `cell` is the one that waits (itself, or the upstream cell it reads), `reason`
	 * what it waits for. Waiting cells do not count as busy for `idle()`.
	 */
	waiting?: { cell: string; reason: string };
}

export class UpstreamError extends Error {
	constructor(readonly upstream: string) {
		super(`upstream error in cell "${upstream}"`);
		this.name = 'UpstreamError';
	}
}

export class CancelledError extends Error {
	constructor(readonly cell: string) {
		super(`cell "${cell}" was cancelled; run it again to continue`);
		this.name = 'CancelledError';
	}
}

/**
 * Thrown by a cell's run when it needs something the user has not given yet (a local file): the
 * cell stays queued, showing the message, and the cells that read it wait too, instead of
 * failing; the cell runs again when its inputs or code change.
 */
export class WaitingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WaitingError';
	}
}

export class DefinitionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DefinitionError';
	}
}

interface Node {
	definition: CellDefinition;
	state: CellState;
	controller?: AbortController;
	/** Set when the definition itself is invalid (cycle, duplicate, unknown input). */
	definitionError?: Error;
}

export type StateListener = (name: string, state: CellState) => void;

export class Runtime {
	#nodes = new Map<string, Node>();
	#listener: StateListener;
	#idle: Array<() => void> = [];

	constructor(listener: StateListener = () => {}) {
		this.#listener = listener;
	}

	state(name: string): CellState | undefined {
		return this.#nodes.get(name)?.state;
	}

	names(): string[] {
		return [...this.#nodes.keys()];
	}

	/**
	 * Replace the set of cells. New cells, cells whose key or inputs changed, and everything
	 * downstream of them re-run; untouched cells keep their values.
	 */
	define(definitions: readonly CellDefinition[]): void {
		const counts = new Map<string, number>();
		for (const d of definitions) counts.set(d.name, (counts.get(d.name) ?? 0) + 1);

		const previous = this.#nodes;
		const next = new Map<string, Node>();
		const dirty = new Set<string>();
		for (const definition of definitions) {
			if (next.has(definition.name)) continue;
			const old = previous.get(definition.name);
			const node: Node = old ?? { definition, state: { status: 'queued', version: 0, runs: 0 } };
			const changed =
				!old || old.definition.key !== definition.key || old.definition.inputs.join('\0') !== definition.inputs.join('\0') || old.definitionError !== undefined;
			node.definition = definition;
			node.definitionError = undefined;
			if ((counts.get(definition.name) ?? 0) > 1) {
				node.definitionError = new DefinitionError(`${counts.get(definition.name)} cells are named "${definition.name}"`);
			}
			next.set(definition.name, node);
			if (changed) dirty.add(definition.name);
		}
		// Cells that read a removed or newly added name must re-evaluate.
		for (const [name, node] of next) {
			for (const input of node.definition.inputs) {
				if (previous.has(input) !== next.has(input)) dirty.add(name);
			}
		}
		for (const [name, node] of previous) if (!next.has(name)) node.controller?.abort();

		this.#nodes = next;
		for (const [name, node] of next) {
			const unknown = node.definition.inputs.filter((input) => !next.has(input));
			if (!node.definitionError && unknown.length > 0) {
				node.definitionError = new DefinitionError(`reads ${unknown.map((u) => `"${u}"`).join(', ')}, which no cell defines`);
			}
			if (node.definitionError) dirty.add(name);
		}
		for (const cycle of this.#cycles()) {
			const path = [...cycle, cycle[0]].map((n) => `"${n}"`).join(' → ');
			for (const name of cycle) {
				const node = next.get(name)!;
				node.definitionError ??= new DefinitionError(`circular definition: ${path}`);
				dirty.add(name);
			}
		}
		this.#invalidate(dirty);
	}

	/** Re-run a cell and everything downstream of it, e.g. after the user presses Shift+Enter. */
	rerun(name: string): void {
		if (!this.#nodes.has(name)) throw new Error(`no cell named "${name}"`);
		this.#invalidate(new Set([name]));
	}

	/**
	 * Re-runs several cells and what depends on them in one pass, except `keep`: cells left as
	 * they are (a running cell finishes, or fails, on its own).
	 */
	rerunMany(names: readonly string[], keep: ReadonlySet<string> = new Set()): void {
		this.#invalidate(new Set(names.filter((name) => this.#nodes.has(name))), keep);
	}

	/**
	 * Stops a running cell: its work is aborted and it shows a cancellation error, so its
	 * dependents wait for a re-run instead of using a half-made value.
	 */
	cancel(name: string): void {
		const node = this.#nodes.get(name);
		if (!node || node.state.status !== 'running') return;
		node.controller?.abort();
		this.#settle(name, node, node.state.version, { error: new CancelledError(name) });
	}

	/** Resolves once no cell is queued or running, except cells waiting for the user (see `WaitingError`). */
	idle(): Promise<void> {
		if (this.#isIdle()) return Promise.resolve();
		return new Promise((resolve) => this.#idle.push(resolve));
	}

	dispose(): void {
		for (const node of this.#nodes.values()) node.controller?.abort();
		this.#nodes.clear();
	}

	/** Whether a cell that is not deferred is running (a deferred cell waits for none of them to be). */
	#undeferredRunning(): boolean {
		for (const node of this.#nodes.values()) if (!node.definition.deferred && node.state.status === 'running') return true;
		return false;
	}

	#isIdle(): boolean {
		for (const node of this.#nodes.values()) {
			if (node.state.status === 'running' || (node.state.status === 'queued' && !node.state.waiting)) return false;
		}
		return true;
	}

	#dependents(name: string): string[] {
		const out: string[] = [];
		for (const [other, node] of this.#nodes) if (node.definition.inputs.includes(name)) out.push(other);
		return out;
	}

	#invalidate(roots: Set<string>, keep: ReadonlySet<string> = new Set()): void {
		const stack = [...roots];
		const seen = new Set<string>();
		while (stack.length > 0) {
			const name = stack.pop()!;
			if (seen.has(name) || keep.has(name)) continue;
			seen.add(name);
			const node = this.#nodes.get(name);
			if (!node) continue;
			node.controller?.abort();
			node.controller = undefined;
			node.state = { status: 'queued', version: node.state.version + 1, runs: node.state.runs };
			this.#emit(name, node);
			stack.push(...this.#dependents(name));
		}
		this.#schedule();
	}

	#schedule(): void {
		let progressed = true;
		while (progressed) {
			progressed = false;
			// Deferred cells last, so that a cell ready at the same time as one of them starts first.
			for (const [name, node] of [...this.#nodes].sort(([, a], [, b]) => Number(!!a.definition.deferred) - Number(!!b.definition.deferred))) {
				if (node.state.status !== 'queued' || node.state.waiting) continue;
				if (node.definitionError) {
					this.#settle(name, node, node.state.version, { error: node.definitionError });
					progressed = true;
					continue;
				}
				const inputs = node.definition.inputs.map((input) => [input, this.#nodes.get(input)!] as const);
				const failed = inputs.find(([, input]) => input.state.status === 'error');
				if (failed) {
					this.#settle(name, node, node.state.version, { error: new UpstreamError(failed[0]) });
					progressed = true;
					continue;
				}
				const waiting = inputs.find(([, input]) => input.state.waiting)?.[1].state.waiting;
				if (waiting) {
					node.state = { ...node.state, waiting };
					this.#emit(name, node);
					progressed = true;
					continue;
				}
				if (inputs.every(([, input]) => input.state.status === 'done')) {
					if (node.definition.deferred && this.#undeferredRunning()) continue;
					this.#start(name, node, Object.fromEntries(inputs.map(([n, input]) => [n, input.state.value])));
					progressed = true;
				}
			}
		}
		if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
	}

	#start(name: string, node: Node, inputs: Record<string, unknown>): void {
		const version = node.state.version;
		const controller = new AbortController();
		node.controller = controller;
		node.state = { status: 'running', version, runs: node.state.runs + 1 };
		this.#emit(name, node);
		const started = performance.now();
		const context: CellContext = {
			signal: controller.signal,
			progress: (done, total) => {
				if (node.state.version !== version || node.state.status !== 'running') return;
				node.state = { ...node.state, progress: { done, total } };
				this.#emit(name, node);
			}
		};
		// A microtask boundary so a synchronous throw is an error value like any other.
		Promise.resolve()
			.then(() => node.definition.run(inputs, context))
			.then(
				(value) => this.#settle(name, node, version, { value, durationMs: performance.now() - started }),
				(error: unknown) => this.#settle(name, node, version, { error: toError(error), durationMs: performance.now() - started })
			);
	}

	#settle(name: string, node: Node, version: number, outcome: { value?: unknown; error?: Error; durationMs?: number }): void {
		// Stale: the cell was redefined, re-run or removed while this run was in flight.
		if (this.#nodes.get(name) !== node || node.state.version !== version) return;
		if (node.state.status !== 'queued' && node.state.status !== 'running') return;
		node.controller = undefined;
		if (outcome.error instanceof WaitingError) {
			node.state = { status: 'queued', version, runs: node.state.runs, waiting: { cell: name, reason: outcome.error.message } };
			this.#emit(name, node);
			this.#schedule();
			return;
		}
		node.state = {
			status: outcome.error ? 'error' : 'done',
			value: outcome.error ? undefined : outcome.value,
			error: outcome.error,
			version,
			runs: node.state.runs,
			durationMs: outcome.durationMs
		};
		this.#emit(name, node);
		this.#schedule();
	}

	#emit(name: string, node: Node): void {
		this.#listener(name, node.state);
	}

	/** Strongly connected components with more than one node, or a node reading itself. */
	#cycles(): string[][] {
		const index = new Map<string, number>();
		const low = new Map<string, number>();
		const onStack = new Set<string>();
		const stack: string[] = [];
		const cycles: string[][] = [];
		let counter = 0;
		const visit = (name: string) => {
			index.set(name, counter);
			low.set(name, counter);
			counter++;
			stack.push(name);
			onStack.add(name);
			for (const input of this.#nodes.get(name)!.definition.inputs) {
				if (!this.#nodes.has(input)) continue;
				if (!index.has(input)) {
					visit(input);
					low.set(name, Math.min(low.get(name)!, low.get(input)!));
				} else if (onStack.has(input)) {
					low.set(name, Math.min(low.get(name)!, index.get(input)!));
				}
			}
			if (low.get(name) === index.get(name)) {
				const component: string[] = [];
				let member: string;
				do {
					member = stack.pop()!;
					onStack.delete(member);
					component.push(member);
				} while (member !== name);
				const selfLoop = this.#nodes.get(name)!.definition.inputs.includes(name);
				if (component.length > 1 || selfLoop) cycles.push(component.reverse());
			}
		};
		for (const name of this.#nodes.keys()) if (!index.has(name)) visit(name);
		return cycles;
	}
}

export function toError(error: unknown): Error {
	if (error instanceof Error) return error;
	return new Error(typeof error === 'string' ? error : JSON.stringify(error));
}
