/**
 * The team server's datasets as the dataset panel shows them: the stored list, and uploads of
 * files this notebook loaded (a table's original file, saved to the server with progress).
 */
import type { NotebookState } from '#lib/state/notebook.svelte.ts';
import type { DroppedFile } from '#lib/ingest/sources/dropped-file.ts';
import type { CellSpec } from '#lib/notebook/format.ts';
import { formatFromName } from '#lib/ingest/read-options.ts';
import {
	deleteServerDataset,
	listServerDatasets,
	SERVER_DATASET_FORMATS,
	uploadDataset,
	type ServerDatasetFormat,
	type ServerDatasetSummary
} from '#lib/api/datasets.ts';

/** A table as far as uploading goes: its name and the cell that made it. */
export interface UploadableTable {
	name: string;
	cell?: CellSpec;
}

export interface Upload {
	sent: number;
	total: number;
	controller: AbortController;
}

export class ServerDatasets {
	stored = $state.raw<ServerDatasetSummary[]>([]);
	error = $state<string>();
	/** Uploads in flight, by table name: bytes sent and total. */
	uploads = $state.raw<Record<string, Upload>>({});

	constructor(private readonly notebook: NotebookState) {}

	async refresh() {
		try {
			this.stored = await listServerDatasets(fetch);
			this.error = undefined;
		} catch (e) {
			this.error = `Server datasets: ${(e as Error).message}`;
		}
	}

	async remove(d: ServerDatasetSummary) {
		if (!confirm(`Delete version ${d.version} of "${d.name}" from the server?`)) return;
		try {
			await deleteServerDataset(fetch, d.id);
		} catch (e) {
			alert((e as Error).message);
		}
		await this.refresh();
	}

	/** The file a table was loaded from, when it came from a file input (what "Save to server" uploads). */
	fileOf(t: UploadableTable): { file: DroppedFile; format: ServerDatasetFormat } | undefined {
		const source = t.cell && this.notebook.kinds.get(t.cell.kind)?.sourceFile?.(t.cell, (name) => this.notebook.exposedValue(name));
		if (!source) return undefined;
		const { file } = source;
		let format: string | undefined = source.format;
		try {
			format ??= formatFromName(file.name);
		} catch {
			return undefined;
		}
		return SERVER_DATASET_FORMATS.includes(format as ServerDatasetFormat) ? { file, format: format as ServerDatasetFormat } : undefined;
	}

	async save(t: UploadableTable) {
		const found = this.fileOf(t);
		if (!found) return;
		const controller = new AbortController();
		this.uploads = { ...this.uploads, [t.name]: { sent: 0, total: found.file.size, controller } };
		try {
			await uploadDataset(fetch, found.file.file, {
				name: t.name,
				format: found.format,
				signal: controller.signal,
				onProgress: (sent, total) => (this.uploads = { ...this.uploads, [t.name]: { sent, total, controller } })
			});
			await this.refresh();
		} catch (e) {
			if ((e as Error).name !== 'AbortError') this.error = `Saving ${t.name} (${found.file.name}) to the server: ${(e as Error).message}`;
		} finally {
			const { [t.name]: _done, ...rest } = this.uploads;
			void _done;
			this.uploads = rest;
		}
	}
}
