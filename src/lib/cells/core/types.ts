import type { CellLanguage, CellSpec } from '#lib/notebook/format.ts';
import type { CellContext } from '#lib/runtime/runtime.ts';
import type { SqlConnector, TableRef } from '#lib/sql/connector.ts';
import type { Spawned } from '#lib/workers/spawn.ts';
import type { BackendPreference, InferenceApi, LoaderApi, StatsApi } from '#lib/workers/protocol.ts';
import type { InputValue } from './input-value';
import type { DroppedFile } from '#lib/ingest/sources/dropped-file.ts';
import type { Component } from 'svelte';
import type { ReportSummary } from '#lib/api/lineage.ts';
import type { RegisterRequest, Registered, RunParts } from './runs';

/** What cells may use; started lazily so a notebook without models never loads ORT. */
export interface CellServices {
	db(): Promise<SqlConnector>;
	inference(): Promise<Spawned<InferenceApi>>;
	stats(): Promise<Spawned<StatsApi>>;
	/** Reads dataset files (CSV chunks, Parquet, Arrow, JSON) off the main thread; absent outside the browser. */
	loader?(): Promise<Spawned<LoaderApi>>;
	/** Which inference backend model cells should try first (`?backend=wasm` forces WASM). */
	backend: BackendPreference;
	/** Resolves a path in a cell (`/models/x.onnx`) against the page. */
	resolveUrl(path: string): string;
	/** Whether code cells may run: false for a shared notebook until the viewer trusts it. */
	trusted(): boolean;
	/** The user's current choice in an input cell; `version` grows with every change. */
	inputValue(name: string): { value: InputValue; version: number } | undefined;
}

/** The open notebook as a kind's components see it (the notebook state satisfies it). */
export interface NotebookHandle {
	readonly readonly: boolean;
	/** Tables and columns in DuckDB, for completion. */
	readonly catalog: Record<string, string[]>;
	setSource(name: string, source: string): void;
	setInput(name: string, value: InputValue): void;
	/** The value a user chose in an input cell for this page, if any. */
	inputValue(name: string): { value: InputValue } | undefined;
	rerun(name: string): void;
}

/** A file a cell needs from the user's computer: its name when the cell says it, and who asks for it. */
export interface NeededFile {
	name?: string;
	label: string;
	supply(notebook: NotebookHandle, cell: CellSpec, file: File): Promise<void>;
}

/** What a kind's components receive besides their own value. */
export interface CellView {
	cell: CellSpec;
	notebook: NotebookHandle;
}

/** How a finished cell's value is shown: a component and the props it gets from the value. */
export interface CellOutput {
	component: Component<Record<string, unknown>>;
	props(value: unknown, view: CellView): Record<string, unknown>;
}

/** Typed construction of a `CellOutput`: `props` must give what `component` takes. */
export function output<Props extends Record<string, unknown>, Value>(component: Component<Props>, props: (value: Value, view: CellView) => Props): CellOutput {
	return { component: component as Component<Record<string, unknown>>, props: props as CellOutput['props'] };
}

/** How a kind's finished cell registers its model as a new model version. */
export interface ModelRegistration {
	/** The first suggestion for the registered model's name. */
	suggestedName(cell: CellSpec): string;
	register(request: RegisterRequest): Promise<Registered>;
}

/** Props of a kind's extra editor, shown above the text editor while it is open (the chart form). */
export interface CellFormProps {
	name: string;
	source: string;
	catalog: Record<string, string[]>;
	onsource: (source: string) => void;
}

/**
 * One cell kind, everything about it in one record (listed once in `cells/registry.ts`): the tag
 * in the fence, how it finds its inputs and runs, its starter text, editor and output, and what
 * it logs as a run. The runtime part (`CellRunner`) is plain data and functions, usable without a DOM.
 */
/**
 * The engines a notebook starts as soon as it opens when one of its cells will use them, so they
 * start while the page and the cells ahead run. The inference engines are not among them: they
 * start when a model cell runs (most notebooks never need them, and they compete for the CPU), and
 * model cells are `deferred`: they run when the cells under way are done.
 */
export type Engine = 'db' | 'stats' | 'loader';

export interface CellKind {
	/** The tag in the cell's fence: ```sql name```. */
	kind: string;
	/** Engines its runs use, started when a notebook with such a cell opens (see Engine). */
	engines?: readonly Engine[];
	/** Its runs start an engine of their own (ONNX Runtime, TF.js): they start only while no other cell runs (CellDefinition.deferred). */
	deferred?: boolean;
	inputs(cell: CellSpec, cellNames: ReadonlySet<string>): string[];
	/** State beyond the cell's text that must re-run it when it changes (an input's chosen value). */
	key?(cell: CellSpec, services: CellServices): string;
	/** Code written by the notebook's author: never runs before the viewer trusts the notebook. */
	code?: boolean;
	/** What dependent cells receive instead of the whole value. */
	expose?(value: unknown): unknown;
	run(cell: CellSpec, inputs: Record<string, unknown>, services: CellServices, context: CellContext): Promise<unknown>;
	/** Starter text of a new cell; kinds without one are not offered under "New cell". */
	template?: string;
	/** Starter text filled from the notebook's tables (in notebook order); the template when absent or undefined. */
	starter?(tables: readonly TableRef[]): string | undefined;
	/**
	 * What a cell of this kind needs before it can run, shown as guidance (a `WaitingError`: queued and waiting, not an
	 * error) while its text is still the bare template: what a new cell gets when no table fits.
	 */
	setup?: string;
	/** Name stem of a new cell (`notes1`); the tag when absent. */
	nameStem?: string;
	/** The text editor's language; 'text' when absent. */
	language?: CellLanguage;
	/** Code is open by default; declarative settings and prose open on demand. */
	editorOpen?: boolean;
	/** A form over the cell's fields, shown above the open text editor. */
	form?: Component<CellFormProps>;
	/** The cell's line in the outline; the cell's name when absent or undefined. */
	outline?(cell: CellSpec): string | undefined;
	/** How a finished cell's value is shown. */
	output: CellOutput;
	/** Controls under the editor, shown whether or not the cell has run (a model's file drop). */
	controls?: Component<CellView>;
	/** What a finished cell logs as an MLflow run; kinds without it log nothing. */
	track?(value: unknown, cell: CellSpec, finishedAt: number): RunParts;
	/** One line and headline numbers when the cell's run is lineage of a registered model version. */
	report?(value: unknown, cell: string): ReportSummary;
	/** Registering the model of a finished cell as a model version ("Register model…"). */
	registration?: ModelRegistration;
	/** The output shows the cell's content itself (prose, a control): shared views show no read-only code for it. */
	showsItself?: boolean;
	/**
	 * A local file the finished cell still needs (a file input naming a file this browser does not
	 * have, or an empty one in a shared view), with how to supply it: listed up front by the notebook.
	 */
	neededFile?(value: unknown, readonly: boolean): NeededFile | undefined;
	/** The picked file a cell's table was loaded from, and its format when the cell says it (what "Save to server" uploads). */
	sourceFile?(cell: CellSpec, valueOf: (name: string) => unknown): { file: DroppedFile; format?: string } | undefined;
}

/** The part of a kind the runtime uses: what a kind's logic module exports, importable without rendering. */
export type CellRunner = Pick<CellKind, 'kind' | 'inputs' | 'key' | 'code' | 'expose' | 'run'>;
