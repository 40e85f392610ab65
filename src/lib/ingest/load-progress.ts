/**
 * The loads in flight (bytes and rows) that the dataset panel shows: data cells report them here
 * as they load, the panel watches.
 */

/**
 * A load's steps, in order: opening the source (a download's first bytes, a file's header and
 * detection), then chunks alternate between parsing (the loader worker reads the next chunk) and
 * inserting (DuckDB appends it), then finishing (types, the final table).
 */
export type LoadPhase = 'downloading' | 'parsing' | 'inserting' | 'finishing';

export interface LoadProgress {
	cell: string;
	source: string;
	phase: LoadPhase;
	bytesDone: number;
	bytesTotal: number | null;
	rows: number;
	rowsTotal: number | null;
	startedAt: number;
}

const PHASE_NAMES: Record<LoadPhase, string> = { downloading: 'opening', parsing: 'parsing', inserting: 'inserting rows', finishing: 'finishing' };

/** `parsing · 3.2 MB of 16.0 MB · 12,000 rows`: the phase and its numbers, for people. */
export function describeLoad(load: LoadProgress, bytes: (n: number) => string, count: (n: number) => string): string {
	const done = load.bytesTotal ? `${bytes(load.bytesDone)} of ${bytes(load.bytesTotal)}` : bytes(load.bytesDone);
	const rows = load.rowsTotal ? `${count(load.rows)} of ${count(load.rowsTotal)} rows` : `${count(load.rows)} rows`;
	return `${PHASE_NAMES[load.phase]} · ${done} · ${rows}`;
}

type Listener = (loads: ReadonlyMap<string, LoadProgress>) => void;
const loads = new Map<string, LoadProgress>();
const listeners = new Set<Listener>();

function emit() {
	for (const listener of listeners) listener(loads);
}

export function reportLoad(progress: LoadProgress): void {
	loads.set(progress.cell, progress);
	emit();
}

export function endLoad(cell: string): void {
	if (loads.delete(cell)) emit();
}

/** Calls `listener` now and on every change; returns the unsubscribe function. */
export function watchLoads(listener: Listener): () => void {
	listeners.add(listener);
	listener(loads);
	return () => listeners.delete(listener);
}
