import { cellDefinitions, startEngines, type CellKinds } from '#lib/cells/core/kinds.ts';
import type { CellServices } from '#lib/cells/core/types.ts';
import type { InputValue } from '#lib/cells/core/input-value.ts';
import { CELL_NAME, parseNotebook, printNotebook, type CellSpec, type NotebookSpec } from '#lib/notebook/format.ts';
import { Runtime, type CellState } from '#lib/runtime/runtime.ts';
import { literal, quoteIdentifier } from '#lib/sql/identifiers.ts';
import { renameReferences } from '#lib/notebook/rename-references.ts';
import type { TableRef } from '#lib/sql/connector.ts';

const HISTORY_LIMIT = 200;
/** Progress of running cells reaches `states` at most this often: each write re-renders every cell. */
export const PROGRESS_INTERVAL_MS = 100;

export interface NotebookOptions {
	/** The cell kinds this notebook knows (`CELL_KINDS` from `cells/registry.ts`). */
	kinds: CellKinds;
	/** Editing disabled (shared links, demo pages, read-only review). */
	readonly?: boolean;
	/** Code cells may run; false for notebooks from a shared link until the viewer trusts them. */
	trusted?: boolean;
	/** Called after every edit with the notebook as text, for autosave. */
	onchange?: (text: string) => void;
	/** Called when a cell finishes with a value (run tracking). */
	oncelldone?: (name: string, state: CellState) => void;
}

/** One open notebook: its cells, their run states, edit history, and the runtime that executes them. */
export class NotebookState {
	title = $state('');
	meta: Record<string, string>;
	cells = $state<CellSpec[]>([]);
	/** Replaced, never mutated: values are Arrow tables and must not become deep proxies. */
	states = $state.raw<Record<string, CellState>>({});
	/** Tables and columns in DuckDB, for editor completion. */
	catalog = $state.raw<Record<string, string[]>>({});
	trusted = $state(true);
	readonly: boolean;
	canUndo = $state(false);
	canRedo = $state(false);
	/** Cells whose editor text differs from what last ran (typed, not yet run). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- never mutated: `type` and `#afterEdit` replace the whole set ($state.raw)
	pending = $state.raw<ReadonlySet<string>>(new Set());

	readonly services: CellServices;
	readonly kinds: CellKinds;
	#runtime: Runtime;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read when a cell runs, and `setInput` re-runs the cells itself; no component tracks it
	#inputs = new Map<string, { value: InputValue; version: number }>();
	/** The source each pending cell last ran with. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- private bookkeeping; components see its keys through `pending`
	#applied = new Map<string, string>();
	#past: string[] = [];
	#future: string[] = [];
	#onchange?: (text: string) => void;
	#catalogTimer: ReturnType<typeof setTimeout> | undefined;
	/** Progress reports not yet in `states`, by cell: written together by `#progressTimer`. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- private bookkeeping; components see it through `states`
	#progress = new Map<string, CellState>();
	#progressTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(spec: NotebookSpec, makeServices: (notebook: NotebookState) => CellServices, options: NotebookOptions) {
		this.title = spec.title;
		this.meta = spec.meta;
		this.cells = spec.cells;
		this.readonly = options.readonly ?? false;
		this.trusted = options.trusted ?? true;
		this.#onchange = options.onchange;
		this.kinds = options.kinds;
		this.services = makeServices(this);
		this.#runtime = new Runtime((name, state) => {
			const current = this.states[name];
			if (state.status === 'running' && state.progress && current?.status === 'running' && current.version === state.version) {
				// Only the progress of a run already shown as running: coalesced.
				this.#progress.set(name, state);
				this.#progressTimer ??= setTimeout(() => this.#writeProgress(), PROGRESS_INTERVAL_MS);
				return;
			}
			this.#progress.delete(name);
			this.states = { ...this.states, [name]: state };
			if (state.status === 'done') {
				this.#refreshCatalogSoon();
				options.oncelldone?.(name, state);
			}
		});
	}

	#writeProgress(): void {
		this.#progressTimer = undefined;
		const next = { ...this.states };
		for (const [name, state] of this.#progress) {
			const current = next[name];
			if (current?.status === 'running' && current.version === state.version) next[name] = state;
		}
		this.#progress.clear();
		this.states = next;
	}

	spec(): NotebookSpec {
		return { title: this.title, meta: { ...this.meta }, cells: $state.snapshot(this.cells) as CellSpec[] };
	}

	text(): string {
		return printNotebook(this.spec());
	}

	/** Starts (or continues) running: only cells whose definition changed re-run. */
	run(): void {
		const cells = this.#appliedCells();
		performance.mark('driftbook:notebook:run');
		startEngines(cells, this.services, this.kinds);
		this.#runtime.define(cellDefinitions(cells, this.services, this.kinds));
		performance.mark('driftbook:notebook:defined');
	}

	/** The cells as they last ran: typed but unrun text does not count. */
	#appliedCells(): CellSpec[] {
		const cells = $state.snapshot(this.cells) as CellSpec[];
		return cells.map((cell) => (this.#applied.has(cell.name) ? { ...cell, source: this.#applied.get(cell.name)! } : cell));
	}

	inputValue(name: string) {
		return this.#inputs.get(name);
	}

	/** What dependents of a finished cell receive (its kind's `expose`), or undefined while it has no value. */
	exposedValue(name: string): unknown {
		const state = this.states[name];
		if (state?.status !== 'done') return undefined;
		const expose = this.kinds.get(this.cells.find((c) => c.name === name)?.kind ?? '')?.expose;
		return expose ? expose(state.value) : state.value;
	}

	setInput(name: string, value: InputValue): void {
		this.#inputs.set(name, { value, version: (this.#inputs.get(name)?.version ?? 0) + 1 });
		this.run();
	}

	trust(): void {
		this.trusted = true;
		for (const cell of this.cells) if (this.kinds.get(cell.kind)?.code) this.#runtime.rerun(cell.name);
	}

	rerun(name: string): void {
		this.#runtime.rerun(name);
	}

	/**
	 * After DuckDB was lost (a worker crash): every finished cell runs again to rebuild its
	 * tables. Cells running at the crash are left to fail with it, so a cell that exhausts
	 * DuckDB's memory is not re-run in a loop.
	 */
	rerunFinished(): void {
		const names = (status: string) => Object.keys(this.states).filter((name) => this.states[name].status === status);
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a temporary argument to the runtime, not kept in state
		this.#runtime.rerunMany(names('done'), new Set(names('running')));
	}

	cancel(name: string): void {
		this.#runtime.cancel(name);
	}

	idle(): Promise<void> {
		return this.#runtime.idle();
	}

	dispose(): void {
		clearTimeout(this.#catalogTimer);
		clearTimeout(this.#progressTimer);
		this.#runtime.dispose();
	}

	/** Typing in a cell's editor: saved as a draft, run later with `apply`. */
	type(name: string, source: string): void {
		if (this.readonly) throw new Error('this notebook is read-only');
		const cell = this.#cell(name);
		if (cell.source === source) return;
		if (!this.#applied.has(name)) this.#applied.set(name, cell.source);
		cell.source = source;
		if (this.#applied.get(name) === source) this.#applied.delete(name);
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh set replaces `pending` whole; never mutated
		this.pending = new Set(this.#applied.keys());
		this.#onchange?.(this.text());
	}

	// Edits: each is one undoable step, re-runs what changed, and autosaves.

	/** Runs a cell's typed text (Shift+Enter), or re-runs it when nothing changed. */
	apply(name: string): void {
		if (!this.#applied.has(name)) return this.rerun(name);
		this.#edit(() => {
			this.#applied.delete(name);
		});
	}

	setSource(name: string, source: string): void {
		this.#edit(() => {
			this.#applied.delete(name);
			this.#cell(name).source = source;
		});
	}

	/** Adds a cell after `after` (at the end without it), started from the notebook's own tables where its kind can. */
	addCell(kind: string, after?: string): string {
		return this.#insert(kind, after === undefined ? this.cells.length : this.#index(after) + 1);
	}

	/** Adds a cell right above or below another. */
	insertCell(kind: string, next: string, where: 'above' | 'below'): string {
		return this.#insert(kind, this.#index(next) + (where === 'below' ? 1 : 0));
	}

	#insert(kind: string, index: number): string {
		const record = this.kinds.get(kind);
		const name = this.#freshName(record?.nameStem ?? kind);
		const source = record?.starter?.(this.tables()) ?? record?.template ?? '';
		this.#edit(() => {
			this.cells.splice(index, 0, { kind, name, attrs: {}, source });
		});
		return name;
	}

	/** The finished cells' tables, in notebook order. */
	tables(): TableRef[] {
		return this.cells.map((cell) => this.states[cell.name]).flatMap((state) => (state?.status === 'done' && isTableRef(state.value) ? [state.value] : []));
	}

	/** Runs every cell's typed text, and runs every cell again. */
	runAll(): void {
		this.runFrom(this.cells[0]?.name);
	}

	/** Runs `name`'s typed text and every cell below it, and runs them again. */
	runFrom(name: string | undefined): void {
		if (name === undefined) return;
		const below = this.cells.slice(this.#index(name)).map((c) => c.name);
		if (below.some((n) => this.#applied.has(n))) this.#edit(() => below.forEach((n) => this.#applied.delete(n)));
		this.#runtime.rerunMany(below);
	}

	deleteCell(name: string): void {
		this.#edit(() => {
			this.cells.splice(this.#index(name), 1);
			this.#applied.delete(name);
		});
		void this.#dropTable(name);
	}

	moveCell(name: string, delta: -1 | 1): void {
		const from = this.#index(name);
		const to = from + delta;
		if (to < 0 || to >= this.cells.length) return;
		this.#edit(() => {
			const [cell] = this.cells.splice(from, 1);
			this.cells.splice(to, 0, cell);
		});
	}

	duplicateCell(name: string): string {
		const original = this.#cell(name);
		const copy = this.#freshName(name);
		this.#edit(() => {
			this.cells.splice(this.#index(name) + 1, 0, { ...$state.snapshot(original), name: copy });
		});
		return copy;
	}

	renameCell(name: string, next: string): void {
		if (!CELL_NAME.test(next)) throw new Error(`"${next}" is not a valid cell name (letters, digits, _; not starting with a digit)`);
		if (next !== name && this.cells.some((c) => c.name === next)) throw new Error(`a cell named "${next}" already exists`);
		if (next === name) return;
		this.#edit(() => {
			this.#cell(name).name = next;
			const applied = this.#applied.get(name);
			this.#applied.delete(name);
			if (applied !== undefined) this.#applied.set(next, applied);
			for (const cell of this.cells) {
				const language = this.kinds.get(cell.kind)?.language ?? 'text';
				cell.source = renameReferences(cell.source, language, name, next);
				const typed = this.#applied.get(cell.name);
				if (typed !== undefined) this.#applied.set(cell.name, renameReferences(typed, language, name, next));
			}
		});
		void this.#dropTable(name);
	}

	/** Drops a table no cell makes any more, so completion and the chart's picker stop offering it. */
	async #dropTable(name: string): Promise<void> {
		if (this.cells.some((c) => c.name === name)) return;
		try {
			const db = await this.services.db();
			const rows = await db.query(`SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ${literal(name)}`);
			const type = rows.numRows > 0 ? String(rows.getChild('table_type')?.get(0)) : undefined;
			if (type) await db.query(`DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdentifier(name)}`);
			this.#refreshCatalogSoon();
		} catch {
			// The table stays until the page reloads: a leftover, not a wrong result.
		}
	}

	/** Folds the whole cell (`collapsed`), only its code (`hide_code`) or only its output (`hide_output`). */
	toggleCollapsed(name: string, part: 'collapsed' | 'hide_code' | 'hide_output' = 'collapsed'): void {
		this.#edit(() => {
			const cell = this.#cell(name);
			if (cell.attrs[part] === 'true') delete cell.attrs[part];
			else cell.attrs[part] = 'true';
		});
	}

	/** Replaces the whole notebook (import); undoable like any edit. */
	replace(text: string): void {
		const next = parseNotebook(text);
		this.#edit(() => this.#load(next));
	}

	undo(): void {
		this.#travel(this.#past, this.#future);
	}

	redo(): void {
		this.#travel(this.#future, this.#past);
	}

	#travel(from: string[], to: string[]): void {
		const text = from.pop();
		if (text === undefined) return;
		to.push(this.#appliedText());
		this.#load(parseNotebook(text));
		this.#afterEdit();
	}

	#load(spec: NotebookSpec): void {
		this.#applied.clear();
		this.title = spec.title;
		this.meta = spec.meta;
		this.cells = spec.cells;
	}

	#appliedText(): string {
		return printNotebook({ title: this.title, meta: this.meta, cells: this.#appliedCells() });
	}

	#edit(change: () => void): void {
		if (this.readonly) throw new Error('this notebook is read-only');
		const before = this.#appliedText();
		change();
		if (this.#appliedText() === before) return;
		this.#past.push(before);
		if (this.#past.length > HISTORY_LIMIT) this.#past.shift();
		this.#future = [];
		this.#afterEdit();
	}

	#afterEdit(): void {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh set replaces `pending` whole; never mutated
		this.pending = new Set(this.#applied.keys());
		this.canUndo = this.#past.length > 0;
		this.canRedo = this.#future.length > 0;
		this.run();
		this.#onchange?.(this.text());
	}

	#index(name: string): number {
		const index = this.cells.findIndex((c) => c.name === name);
		if (index < 0) throw new Error(`no cell named "${name}"`);
		return index;
	}

	#cell(name: string): CellSpec {
		return this.cells[this.#index(name)];
	}

	#freshName(base: string): string {
		const stem = base.replace(/_?\d+$/, '') || 'cell';
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, dropped once the name is chosen
		const taken = new Set(this.cells.map((c) => c.name));
		for (let n = 1; ; n++) if (!taken.has(`${stem}${n}`)) return `${stem}${n}`;
	}

	#refreshCatalogSoon(): void {
		clearTimeout(this.#catalogTimer);
		this.#catalogTimer = setTimeout(() => void this.#refreshCatalog(), 200);
	}

	async #refreshCatalog(): Promise<void> {
		try {
			const db = await this.services.db();
			const table = await db.query(
				`SELECT table_name, list(column_name ORDER BY ordinal_position) AS columns FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name`
			);
			const catalog: Record<string, string[]> = {};
			for (const row of table.toArray()) {
				const { table_name, columns } = row.toJSON() as { table_name: string; columns: { toArray(): string[] } };
				catalog[table_name] = [...columns.toArray()].map((c) => quoteIfNeeded(c));
			}
			this.catalog = catalog;
		} catch {
			// Completion is a convenience: a failed catalog query leaves the previous one.
		}
	}
}

function quoteIfNeeded(name: string): string {
	return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

function isTableRef(value: unknown): value is TableRef {
	const v = value as Partial<TableRef> | null;
	return typeof v === 'object' && v !== null && typeof v.name === 'string' && Array.isArray(v.columns) && v.preview !== undefined;
}
