/**
 * The loads in flight (bytes and rows) that the dataset panel shows: data cells report them here
 * as they load, the panel watches.
 */

export interface LoadProgress {
	cell: string;
	source: string;
	phase: 'downloading' | 'reading' | 'finishing';
	bytesDone: number;
	bytesTotal: number | null;
	rows: number;
	rowsTotal: number | null;
	startedAt: number;
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
