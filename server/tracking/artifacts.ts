import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { blobPath, claimBlob, writeBlob } from '#server/blobs/content-addressed.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { invalidParameter, MlflowError } from '#server/mlflow/errors.ts';
import { now } from '#server/mlflow/wire.ts';
import type { ArtifactEntry } from '#lib/contracts/mlflow.ts';

/**
 * Artifact files for the mlflow-artifacts API. Each file's bytes are stored once, named by their
 * sha256 (server/blobs/content-addressed.ts); the table mlflow_artifacts maps the path a client
 * uses (e.g. `1/<run>/artifacts/model/MLmodel`) to that hash. Paths never reach the file system.
 */

export const DEFAULT_MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

/** DRIFTBOOK_MAX_ARTIFACT_BYTES, or 512 MiB. */
export function maxArtifactBytes(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.DRIFTBOOK_MAX_ARTIFACT_BYTES;
	if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_ARTIFACT_BYTES;
	const value = Number(raw);
	return Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_MAX_ARTIFACT_BYTES;
}

/**
 * A client's artifact path, checked and normalised: relative, '/'-separated, no '.' or '..'
 * segments, no backslashes or NUL; trailing and doubled slashes dropped. '' is the root.
 */
export function normalizeArtifactPath(raw: string, { allowRoot = false } = {}): string {
	if (raw.includes('\\') || raw.includes('\0')) throw invalidParameter(`Invalid artifact path: '${raw}'. Backslashes are not allowed.`);
	if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw invalidParameter(`Invalid artifact path: '${raw}'. Absolute paths are not allowed.`);
	const parts = raw.split('/').filter((p) => p !== '');
	if (parts.some((p) => p === '..' || p === '.')) throw invalidParameter(`Invalid artifact path: '${raw}'. Paths must not contain '.' or '..' segments.`);
	const path = parts.join('/');
	if (path === '' && !allowRoot) throw invalidParameter('Invalid artifact path: the path must not be empty.');
	return path;
}

export interface StoredArtifact {
	path: string;
	sha256: string;
	size: number;
}

/**
 * Stores a file's bytes (streamed, hashed, counted; refused past `maxBytes`) and points `path`
 * at them, replacing what it held before.
 */
export async function putArtifact(
	store: Store,
	root: string,
	path: string,
	body: ReadableStream<Uint8Array> | null,
	maxBytes: number
): Promise<StoredArtifact> {
	const { sha256, size } = await writeBlob(
		root,
		body,
		maxBytes,
		() => new MlflowError('INVALID_PARAMETER_VALUE', `Artifact '${path}' is larger than the limit of ${maxBytes} bytes (DRIFTBOOK_MAX_ARTIFACT_BYTES).`, 413)
	);
	await store.transaction((tx) => indexArtifact(tx, root, { path, sha256, size }));
	return { path, sha256, size };
}

/**
 * Points `path` at stored bytes (in the caller's transaction), under the blob's lock: a dataset
 * delete sharing the bytes either sees this row (and keeps the file) or has removed the file
 * first, and then this upload is refused (503, send again) rather than acknowledged without bytes.
 */
export async function indexArtifact(tx: Queryable, root: string, artifact: StoredArtifact): Promise<void> {
	if (!(await claimBlob(tx, root, artifact.sha256))) {
		throw new MlflowError('TEMPORARILY_UNAVAILABLE', `Artifact '${artifact.path}': the same content was being deleted while it was uploaded; upload it again.`);
	}
	await tx.query(
		`INSERT INTO mlflow_artifacts (path, sha256, size, updated_at) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (path) DO UPDATE SET sha256 = EXCLUDED.sha256, size = EXCLUDED.size, updated_at = EXCLUDED.updated_at`,
		[artifact.path, artifact.sha256, artifact.size, now()]
	);
}

/** The stored file at `path` and a stream of its bytes; undefined when there is none. */
export async function readArtifact(db: Queryable, root: string, path: string): Promise<{ size: number; stream: ReadableStream<Uint8Array> } | undefined> {
	const [row] = await db.query<{ sha256: string; size: number }>(`SELECT sha256, size FROM mlflow_artifacts WHERE path = $1`, [path]);
	if (!row) return undefined;
	const file = blobPath(root, row.sha256);
	const info = await stat(file).catch(() => undefined);
	if (!info) throw new Error(`artifact ${path} is indexed (sha256 ${row.sha256}) but its file ${file} is missing`);
	return { size: Number(row.size), stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
}

/** The entries directly under `dir` ('' for the root): files with sizes, then directories. */
export async function listArtifacts(db: Queryable, dir: string): Promise<ArtifactEntry[]> {
	const prefix = dir === '' ? '' : `${dir}/`;
	// Everything under "dir/" sorts (byte order) between "dir/" and "dir0": '0' follows '/'.
	const range = dir === '' ? 'TRUE' : `path COLLATE "C" >= $2 AND path COLLATE "C" < $3`;
	const rows = await db.query<{ name: string; is_dir: boolean; size: number | null }>(
		`SELECT split_part(substr(path, char_length($1::text) + 1), '/', 1) AS name,
		        bool_or(strpos(substr(path, char_length($1::text) + 1), '/') > 0) AS is_dir,
		        max(size) FILTER (WHERE strpos(substr(path, char_length($1::text) + 1), '/') = 0) AS size
		 FROM mlflow_artifacts WHERE ${range} AND starts_with(path, $1::text)
		 GROUP BY 1 ORDER BY 1`,
		dir === '' ? [prefix] : [prefix, prefix, `${dir}0`]
	);
	return rows.map((r) => (r.is_dir ? { path: r.name, is_dir: true } : { path: r.name, is_dir: false, file_size: Number(r.size) }));
}

/** Removes a file, or everything under a directory; answers how many paths went. */
export async function deleteArtifacts(tx: Queryable, path: string): Promise<number> {
	const rows = await tx.query(`DELETE FROM mlflow_artifacts WHERE path = $1 OR (path COLLATE "C" >= $2 AND path COLLATE "C" < $3) RETURNING path`, [
		path,
		`${path}/`,
		`${path}0`
	]);
	return rows.length;
}
