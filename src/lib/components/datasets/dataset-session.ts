/**
 * What the dataset views need from the open notebook without threading it through every cell
 * output: its DuckDB (the virtualized table fetches windows itself), its loader worker, and the
 * notebook edits the schema preview makes. The dataset panel registers the notebook it is mounted
 * in; a page has one.
 */
import type { SqlConnector } from '#lib/sql/connector.ts';
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
