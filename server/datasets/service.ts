import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { blobPath, claimBlob, lockBlob, removeBlob, writeBlob } from '#server/blobs/content-addressed.ts';
import { ApiError } from '#server/http/errors.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import type { Dataset, DatasetFormat, DatasetSummary } from '#lib/contracts/datasets.ts';

/**
 * Datasets: files uploaded once and loaded by the browser into DuckDB. The bytes are stored
 * content-addressed (server/blobs/content-addressed.ts); a row per upload names them. Uploading a name again
 * makes its next version; the list shows each name's newest version.
 */

export const CONTENT_TYPES: Record<DatasetFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	tsv: 'text/tab-separated-values; charset=utf-8',
	parquet: 'application/vnd.apache.parquet',
	arrow: 'application/vnd.apache.arrow.file',
	json: 'application/json',
	ndjson: 'application/x-ndjson'
};

const DEFAULT_MAX_DATASET_BYTES = 1024 * 1024 * 1024;

/** DRIFTBOOK_MAX_DATASET_BYTES, or 1 GiB. */
export function maxDatasetBytes(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.DRIFTBOOK_MAX_DATASET_BYTES;
	if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_DATASET_BYTES;
	const value = Number(raw);
	return Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_MAX_DATASET_BYTES;
}

interface Row extends Omit<Dataset, 'created_at' | 'size_bytes'> {
	created_at: Date;
	size_bytes: number | string;
}

const COLUMNS = 'id, name, version, format, size_bytes, sha256, created_at, created_by';

const toDataset = (r: Row): Dataset => ({
	id: r.id,
	name: r.name,
	version: r.version,
	format: r.format,
	size_bytes: Number(r.size_bytes),
	sha256: r.sha256,
	created_at: r.created_at.toISOString(),
	created_by: r.created_by
});

export const tooLargeDataset = (limit: number) =>
	new ApiError(413, 'too_large', `the dataset is larger than the limit of ${limit} bytes (DRIFTBOOK_MAX_DATASET_BYTES)`);

/**
 * Stores an upload: streams the body to disk (hashing, counting, refused past `maxBytes` with
 * the partial file removed), then records it as the name's next version.
 */
export async function createDataset(
	store: Store,
	root: string,
	input: { name: string; format: DatasetFormat; body: ReadableStream<Uint8Array> | null; maxBytes: number },
	author: string
): Promise<Dataset> {
	const { sha256, size } = await writeBlob(root, input.body, input.maxBytes, () => tooLargeDataset(input.maxBytes));
	if (size === 0) throw new ApiError(400, 'invalid_request', `dataset ${input.name} is empty: the request body had no bytes`);
	return store.transaction(async (tx) => {
		if (!(await claimBlob(tx, root, sha256))) {
			throw new ApiError(503, 'retry', 'the same content was being deleted while this upload finished; upload it again');
		}
		// Versions of one name are numbered in turn, even with concurrent uploads.
		await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.dataset:${input.name}`]);
		const [{ next }] = await tx.query<{ next: number }>(`SELECT coalesce(max(version), 0) + 1 AS next FROM datasets WHERE name = $1`, [input.name]);
		const [row] = await tx.query<Row>(
			`INSERT INTO datasets (name, version, format, size_bytes, sha256, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
			[input.name, Number(next), input.format, size, sha256, author]
		);
		return toDataset(row);
	});
}

/** Every name's newest version (newest first), or every version of one name. */
export async function listDatasets(db: Queryable, name?: string): Promise<DatasetSummary[]> {
	const rows =
		name === undefined
			? await db.query<Row & { versions: number }>(
					`SELECT DISTINCT ON (name) ${COLUMNS}, count(*) OVER (PARTITION BY name) AS versions
					 FROM datasets ORDER BY name, version DESC`
				)
			: await db.query<Row & { versions: number }>(`SELECT ${COLUMNS}, count(*) OVER () AS versions FROM datasets WHERE name = $1 ORDER BY version DESC`, [
					name
				]);
	const list = rows.map((r) => ({ ...toDataset(r), versions: Number(r.versions) }));
	return name === undefined ? list.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.name.localeCompare(b.name)) : list;
}

export async function getDataset(db: Queryable, id: string): Promise<Dataset> {
	const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM datasets WHERE id = $1`, [id]);
	if (!row) throw new ApiError(404, 'not_found', `dataset ${id} not found`);
	return toDataset(row);
}

/**
 * Datasets another part of the server makes on request rather than stores as uploads (the
 * prediction log: `predictions/<model>`): named under a prefix, read like any stored version.
 */
export interface DatasetView {
	/** Names this view answers for, e.g. `predictions/`. */
	prefix: string;
	/** The dataset for a name under the prefix, made now; undefined when there is none. */
	describe(name: string): Promise<{ dataset: Dataset; file: string } | undefined>;
	/** A dataset this view made earlier, by id. */
	find(id: string): Promise<{ dataset: Dataset; file: string } | undefined>;
}

/** A read stream of a file's bytes, `start`..`end` inclusive. */
export function fileStream(file: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
	return Readable.toWeb(createReadStream(file, range)) as ReadableStream<Uint8Array>;
}

/** Where a stored dataset's bytes are. */
export function datasetFile(root: string, dataset: Dataset): string {
	return blobPath(root, dataset.sha256);
}

/** Removes one version; its file goes too when nothing else (dataset or artifact) holds those bytes. */
export async function deleteDataset(store: Store, root: string, id: string): Promise<Dataset> {
	return store.transaction(async (tx) => {
		const dataset = await getDataset(tx, id);
		await lockBlob(tx, dataset.sha256);
		await tx.query(`DELETE FROM datasets WHERE id = $1`, [id]);
		const [{ refs }] = await tx.query<{ refs: number }>(
			`SELECT (SELECT count(*) FROM datasets WHERE sha256 = $1) + (SELECT count(*) FROM mlflow_artifacts WHERE sha256 = $1) AS refs`,
			[dataset.sha256]
		);
		// Last step of the transaction, under the blob lock: an upload of the same bytes waits for it.
		if (Number(refs) === 0) await removeBlob(root, dataset.sha256);
		return dataset;
	});
}
