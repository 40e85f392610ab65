import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Content-addressed files: each distinct content is stored once, named by its sha256, under
 * `<root>/<sha[0:2]>/<sha>`. MLflow artifacts and datasets share one root, so equal bytes
 * uploaded both ways take the disk once. Tables map names to hashes; names never reach the
 * file system.
 */

/** Where the files live by default: `<DRIFTBOOK_DATA_DIR or ./data>/artifacts`. */
export function defaultBlobRoot(): string {
	return resolve(process.env.DRIFTBOOK_DATA_DIR || 'data', 'artifacts');
}

export function blobPath(root: string, sha256: string): string {
	return join(root, sha256.slice(0, 2), sha256);
}

export interface StoredBlob {
	sha256: string;
	size: number;
}

/**
 * Streams `body` to a temporary file while hashing and counting it (never holding it whole),
 * then moves it to its content address. Past `maxBytes` the stream is cancelled, the partial
 * file removed, and `tooLarge()` thrown.
 */
export async function writeBlob(
	root: string,
	body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
	maxBytes: number,
	tooLarge: () => Error
): Promise<StoredBlob> {
	const tmpDir = join(root, 'tmp');
	await mkdir(tmpDir, { recursive: true });
	const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
	const hash = createHash('sha256');
	let size = 0;
	const file = await open(tmp, 'w');
	let moved = false;
	try {
		if (body) {
			for await (const chunk of body as AsyncIterable<Uint8Array>) {
				size += chunk.byteLength;
				if (size > maxBytes) {
					if ('cancel' in body) await body.cancel().catch(() => {});
					throw tooLarge();
				}
				hash.update(chunk);
				await file.write(chunk);
			}
		}
		// On disk before anything refers to it: an index row must never outlive a crash its file did not.
		await file.sync();
		await file.close();
		const sha256 = hash.digest('hex');
		const target = blobPath(root, sha256);
		await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
		const existing = await stat(target).catch(() => undefined);
		if (existing?.size === size) {
			await rm(tmp, { force: true });
		} else {
			// Same bytes, same name: a concurrent upload of the same content renames over an equal file.
			await rename(tmp, target);
		}
		moved = true;
		return { sha256, size };
	} finally {
		await file.close().catch(() => {});
		if (!moved) await rm(tmp, { force: true });
	}
}

/** Stores bytes already in memory (small texts: reports, JSON). */
export async function writeBlobBytes(root: string, bytes: Uint8Array): Promise<StoredBlob> {
	async function* once() {
		yield bytes;
	}
	return writeBlob(root, once(), Number.POSITIVE_INFINITY, () => new Error('unreachable'));
}

/**
 * Serialises, per content hash, pointing a row at a blob and deleting the blob's last row with
 * its file (in the caller's transaction), so a delete never removes a file an upload just linked.
 */
export async function lockBlob(tx: { query(sql: string, params?: readonly unknown[]): Promise<unknown[]> }, sha256: string): Promise<void> {
	await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.blob:${sha256}`]);
}

/** Whether the blob's file is on disk (checked under lockBlob before a new row points at it). */
export async function blobExists(root: string, sha256: string): Promise<boolean> {
	return (await stat(blobPath(root, sha256)).catch(() => undefined)) !== undefined;
}

/**
 * Takes the blob for a new row in the caller's transaction: locks it (lockBlob) and checks that
 * its file is still there. False when a delete of the blob's last row removed it after this
 * upload wrote it: the caller must not acknowledge the upload (the bytes are gone; send again).
 */
export async function claimBlob(tx: { query(sql: string, params?: readonly unknown[]): Promise<unknown[]> }, root: string, sha256: string): Promise<boolean> {
	await lockBlob(tx, sha256);
	return blobExists(root, sha256);
}

/** A `.part` file untouched this long belongs to an upload that died (an upload in progress writes it). */
export const STALE_PART_MS = 15 * 60 * 1000;

/**
 * Removes temporary files of uploads that never finished (the process was killed mid-stream),
 * run at start. Only stale ones: another process (PostgreSQL mode shares the data directory)
 * may be writing fresh ones right now. Answers how many it removed.
 */
export async function removeStaleParts(root: string, now = Date.now()): Promise<number> {
	const tmpDir = join(root, 'tmp');
	const names = await readdir(tmpDir).catch(() => [] as string[]);
	let removed = 0;
	for (const name of names) {
		if (!name.endsWith('.part')) continue;
		const path = join(tmpDir, name);
		const info = await stat(path).catch(() => undefined);
		if (!info || now - info.mtimeMs < STALE_PART_MS) continue;
		await rm(path, { force: true });
		removed++;
	}
	return removed;
}

/** Removes the blob's file (under lockBlob, once no row points at it). */
export async function removeBlob(root: string, sha256: string): Promise<void> {
	await rm(blobPath(root, sha256), { force: true });
}
