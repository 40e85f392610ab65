/**
 * What the dataset views need from the open notebook without threading it through every cell
 * output: its DuckDB (the virtualized table fetches windows itself), its loader worker, the
 * notebook edits the schema preview makes, and the loads in flight (bytes and rows) that the
 * dataset panel shows. The dataset panel registers the notebook it is mounted in; a page has one.
 */
import type { SqlConnector } from './connector';
import type { Spawned } from '#lib/workers/spawn.ts';
import type { LoaderApi } from '#lib/workers/protocol.ts';

export interface DatasetSession {
	db(): Promise<SqlConnector>;
	loader?(): Promise<Spawned<LoaderApi>>;
	readonly: boolean;
	/** A cell's current source, to rewrite a data cell's fields. */
	cellSource(name: string): string | undefined;
	setSource(name: string, source: string): void;
	/** Opens the schema preview of a data cell (the dataset panel provides it). */
	editDataset?(cell: string): void;
}

let current: DatasetSession | undefined;

export function setDatasetSession(session: DatasetSession): () => void {
	current = session;
	return () => {
		if (current === session) current = undefined;
	};
}

export function datasetSession(): DatasetSession | undefined {
	return current;
}

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
