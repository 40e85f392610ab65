import type { CellSpec } from '#lib/notebook/format.ts';
import type { CellContext } from '#lib/runtime/runtime.ts';
import type { SqlConnector } from '#lib/sql/connector.ts';
import type { Spawned } from '#lib/workers/spawn.ts';
import type { BackendPreference, InferenceApi, LoaderApi, StatsApi } from '#lib/workers/protocol.ts';
import type { InputValue } from '#lib/cells/input/input.ts';

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

/** One cell kind: how it finds its inputs and how it runs. Values are plain data for components. */
export interface CellKind {
	kind: string;
	inputs(cell: CellSpec, cellNames: ReadonlySet<string>): string[];
	/** State beyond the cell's text that must re-run it when it changes (an input's chosen value). */
	key?(cell: CellSpec, services: CellServices): string;
	/** Code written by the notebook's author: never runs before the viewer trusts the notebook. */
	code?: boolean;
	/** What dependent cells receive instead of the whole value. */
	expose?(value: unknown): unknown;
	run(cell: CellSpec, inputs: Record<string, unknown>, services: CellServices, context: CellContext): Promise<unknown>;
}
