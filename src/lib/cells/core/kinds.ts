import type { CellSpec } from '#lib/notebook/format.ts';
import { WaitingError, type CellDefinition } from '#lib/runtime/runtime.ts';
import type { CellKind, CellServices, Engine } from './types';

/** A set of cell kinds by tag: the notebook's view of `cells/registry.ts` (tests add their own kinds). */
export class CellKinds {
	readonly #byTag: ReadonlyMap<string, CellKind>;

	constructor(readonly all: readonly CellKind[]) {
		this.#byTag = new Map(all.map((k) => [k.kind, k]));
		if (this.#byTag.size !== all.length) throw new Error('two cell kinds share a tag');
	}

	get(tag: string): CellKind | undefined {
		return this.#byTag.get(tag);
	}

	/** The tags offered under "New cell" (kinds with a starter text), in registry order. */
	creatable(): string[] {
		return this.all.filter((k) => k.template !== undefined).map((k) => k.kind);
	}
}

export class UntrustedCodeError extends Error {
	constructor(cell: string) {
		super(`Code cell "${cell}" comes from a shared notebook and has not run. Read it, then press "Trust and run" to run it.`);
		this.name = 'UntrustedCodeError';
	}
}

/** A cell of a kind this version does not know: kept in the file, shown, never run. */
export interface UnknownKindValue {
	unknownKind: string;
}

/**
 * Starts the engines the cells' kinds name (without waiting), so that DuckDB, the loader and the
 * stats worker are up by the time the first cell needing each one runs. A failure to start is not
 * reported here: the cell that needs the engine gets it when it runs.
 */
export function startEngines(cells: readonly CellSpec[], services: CellServices, kinds: CellKinds): void {
	const wanted = new Set(cells.flatMap((cell) => kinds.get(cell.kind)?.engines ?? []));
	// Async, so that a service that throws before returning its promise is caught too.
	const start = async (engine: Engine) => void (await services[engine]?.());
	for (const engine of wanted) start(engine).catch(() => {});
}

/** Text compared line by line without trailing spaces (editors may drop a template's `table: `). */
const normalized = (text: string) =>
	text
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n')
		.trim();

/** The kind's guidance while a cell still reads as its bare template: it waits for its author instead of failing. */
export function setupNeeded(kind: CellKind, cell: CellSpec): string | undefined {
	return kind.template !== undefined && normalized(cell.source) === normalized(kind.template) ? kind.setup : undefined;
}

function inputsOf(kind: CellKind, cell: CellSpec, names: ReadonlySet<string>): string[] {
	try {
		return kind.inputs(cell, names);
	} catch {
		// An unreadable cell has no known inputs; running it reports the error on the cell.
		return [];
	}
}

/** The runtime's view of a notebook: one definition per cell, keyed by its kind, options and source. */
export function cellDefinitions(cells: readonly CellSpec[], services: CellServices, kinds: CellKinds): CellDefinition[] {
	const names = new Set(cells.map((c) => c.name));
	const kindOf = new Map(cells.map((c) => [c.name, kinds.get(c.kind)]));
	const exposed = (inputs: Record<string, unknown>) =>
		Object.fromEntries(
			Object.entries(inputs).map(([name, value]) => {
				const expose = kindOf.get(name)?.expose;
				return [name, expose ? expose(value) : value];
			})
		);
	return cells.map((cell) => {
		const kind = kindOf.get(cell.name);
		if (!kind) {
			const key = JSON.stringify([cell.kind, cell.attrs, cell.source]);
			return { name: cell.name, key, inputs: [], run: (): UnknownKindValue => ({ unknownKind: cell.kind }) };
		}
		return {
			name: cell.name,
			key: JSON.stringify([cell.kind, cell.attrs, cell.source, kind.key?.(cell, services) ?? '']),
			inputs: inputsOf(kind, cell, names),
			deferred: kind.deferred,
			run: (inputs, context) => {
				// Checked here, before the cell kind sees the code, so untrusted code never reaches a sandbox.
				if (kind.code && !services.trusted()) throw new UntrustedCodeError(cell.name);
				const setup = setupNeeded(kind, cell);
				if (setup !== undefined) throw new WaitingError(setup);
				// Performance marks (`driftbook:<cell>:run` and `:end`): what `npm run bench coldstart` lays out.
				performance.mark(`driftbook:${cell.name}:run`);
				const ended = () => void performance.mark(`driftbook:${cell.name}:end`);
				const result = kind.run(cell, exposed(inputs), services, context);
				if (result instanceof Promise) void result.then(ended, ended);
				else ended();
				return result;
			}
		};
	});
}
