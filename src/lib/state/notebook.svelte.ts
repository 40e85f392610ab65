import { cellDefinitions } from '$lib/cells/registry';
import type { CellServices } from '$lib/cells/types';
import type { CellSpec, NotebookSpec } from '$lib/notebook/format';
import { Runtime, type CellState } from '$lib/runtime/runtime';

/** One open notebook: its cells, their run states, and the runtime that executes them. */
export class NotebookState {
	title = $state('');
	cells = $state<CellSpec[]>([]);
	/** Replaced, never mutated: values are Arrow tables and must not become deep proxies. */
	states = $state.raw<Record<string, CellState>>({});
	#runtime: Runtime;
	#services: CellServices;

	constructor(spec: NotebookSpec, services: CellServices) {
		this.title = spec.title;
		this.cells = spec.cells;
		this.#services = services;
		this.#runtime = new Runtime((name, state) => {
			this.states = { ...this.states, [name]: state };
		});
	}

	/** Starts (or continues) running: only cells whose definition changed re-run. */
	run(): void {
		this.#runtime.define(cellDefinitions($state.snapshot(this.cells) as CellSpec[], this.#services));
	}

	setSource(name: string, source: string): void {
		const cell = this.cells.find((c) => c.name === name);
		if (!cell) throw new Error(`no cell named "${name}"`);
		cell.source = source;
		this.run();
	}

	rerun(name: string): void {
		this.#runtime.rerun(name);
	}

	cancel(name: string): void {
		this.#runtime.cancel(name);
	}

	idle(): Promise<void> {
		return this.#runtime.idle();
	}

	dispose(): void {
		this.#runtime.dispose();
	}
}
