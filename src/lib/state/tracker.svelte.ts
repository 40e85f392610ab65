/**
 * Run tracking for one open notebook. Private by default: nothing is sent until the user turns
 * "Track runs" on for this notebook (remembered in this browser only) or presses "Log run" on a
 * cell. Each cell result becomes one run with its idempotency key fixed when the result arrives,
 * so logging it again, registering a model from it, or the queue replaying it after an outage
 * all land on the same run.
 */
import { getContext, setContext } from 'svelte';
import type { CellState } from '#lib/runtime/runtime.ts';
import type { NotebookState } from './notebook.svelte';
import { runFromCell } from './tracking';
import type { SyncRunInput } from '#lib/api/sync.ts';
import type { LineageReportKind } from '#lib/api/lineage.ts';
import type { Registered, ReportSource } from '#lib/cells/core/runs.ts';
import { syncState } from './sync.svelte';

const SETTING = (experiment: string) => `driftbook.track-runs:${experiment}`;
const CONTEXT = Symbol('driftbook.tracker');

/** A cell result and the run it becomes. */
interface CellRun {
	version: number;
	run: SyncRunInput;
	/** Already handed to the sync queue. */
	queued: boolean;
}

export class NotebookTracker {
	/** "Track runs": every finished model / drift / A/B / champion cell is logged. */
	enabled = $state(false);
	/** Per cell: what happened to its latest result (for the cell's buttons). */
	logged = $state<Record<string, 'queued' | undefined>>({});
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- private bookkeeping of the runs handed to sync; components see `logged`
	#runs = new Map<string, CellRun>();
	#notebook: NotebookState | undefined;

	constructor(readonly experiment: string) {
		try {
			this.enabled = localStorage.getItem(SETTING(experiment)) === 'on';
		} catch {
			this.enabled = false;
		}
	}

	attach(notebook: NotebookState): void {
		this.#notebook = notebook;
	}

	setEnabled(on: boolean): void {
		this.enabled = on;
		try {
			if (on) localStorage.setItem(SETTING(this.experiment), 'on');
			else localStorage.removeItem(SETTING(this.experiment));
		} catch {
			// Not remembered when storage is blocked; the toggle still works for this page.
		}
	}

	tracks(kind: string): boolean {
		return this.#notebook?.kinds.get(kind)?.track !== undefined;
	}

	/** The notebook's hook: a cell finished. */
	cellDone(name: string, state: CellState): void {
		const cell = this.#notebook?.cells.find((c) => c.name === name);
		if (!cell || !this.tracks(cell.kind)) return;
		this.#record(name, state);
		this.logged = { ...this.logged, [name]: undefined };
		if (this.enabled) void this.logCell(name);
	}

	#record(name: string, state: CellState): CellRun | undefined {
		const existing = this.#runs.get(name);
		if (existing && existing.version === state.version) return existing;
		const notebook = this.#notebook;
		const cell = notebook?.cells.find((c) => c.name === name);
		if (!notebook || !cell) return undefined;
		const draft = runFromCell(
			{ experiment: this.experiment, notebookTitle: notebook.title, finishedAt: Date.now() },
			$state.snapshot(cell),
			state,
			notebook.kinds
		);
		if (!draft) return undefined;
		const entry: CellRun = { version: state.version, run: { ...draft, idempotency_key: crypto.randomUUID() }, queued: false };
		this.#runs.set(name, entry);
		return entry;
	}

	/** The run of a cell's current result, or undefined when it has none. */
	runOf(name: string): SyncRunInput | undefined {
		const state = this.#notebook?.states[name];
		return state && this.#record(name, state)?.run;
	}

	/** Hands the cell's current result to the sync queue (once per result). */
	async logCell(name: string): Promise<void> {
		const state = this.#notebook?.states[name];
		const entry = state && this.#record(name, state);
		if (!entry) throw new Error(`cell ${name} has no finished result to log`);
		if (!entry.queued) {
			entry.queued = true;
			await syncState().queue.enqueue(entry.run, `${name} · ${this.experiment}`);
		}
		this.logged = { ...this.logged, [name]: 'queued' };
	}

	/** Registers the model of a finished cell (of a kind that can register one) as a new version of `modelName`. */
	async register(name: string, modelName: string, onstep?: (step: string) => void): Promise<Registered> {
		const notebook = this.#notebook;
		const cell = notebook?.cells.find((c) => c.name === name);
		const registration = cell && notebook?.kinds.get(cell.kind)?.registration;
		const state = notebook?.states[name];
		const run = this.runOf(name);
		if (!notebook || !cell || !registration || !state || state.status !== 'done' || !run) {
			throw new Error(`cell ${name} must be a finished model cell to register its model`);
		}
		const reports = notebook.cells.flatMap((c): ReportSource[] => {
			const summarize = notebook.kinds.get(c.kind)?.report;
			const report = notebook.states[c.name];
			const reportRun = summarize && this.runOf(c.name);
			return report?.status === 'done' && reportRun ? [{ kind: c.kind as LineageReportKind, run: reportRun, summary: summarize(report.value, c.name) }] : [];
		});
		return registration.register({
			fetch,
			db: await notebook.services.db(),
			modelName,
			run,
			cellSource: cell.source,
			cellName: name,
			value: state.value,
			reports,
			resolveUrl: (path) => notebook.services.resolveUrl(path),
			onstep
		});
	}
}

export function provideTracker(tracker: NotebookTracker): void {
	setContext(CONTEXT, tracker);
}

/** The open notebook's tracker; undefined where runs cannot be tracked (shared links, demos). */
export function currentTracker(): NotebookTracker | undefined {
	return getContext<NotebookTracker | undefined>(CONTEXT);
}
