/**
 * Data files picked into a notebook's file inputs, kept in this browser by content hash so a
 * reload finds them again (the cell's text names the file, `value: file:<name>#sha256=<hex>`,
 * as model cells name dropped models). The bytes go to the Origin Private File System, or into
 * IndexedDB where a browser has no OPFS writer; a small IndexedDB record lists what is kept so
 * the Datasets panel can show and forget it. Nothing is uploaded.
 */
import { objectStore } from '#lib/indexeddb.ts';
import { fileReference, sha256Hex, withField, type FileReference } from '#lib/notebook/file-reference.ts';
import type { DroppedFile } from './dropped-file';

/** Larger files are used for this page only: hashing reads the whole file into memory. */
export const KEEP_LIMIT = 512 * 1024 * 1024;

export interface KeptFile extends FileReference {
	size: number;
	type: string;
	savedAt: number;
	/** Where the bytes are: an OPFS file named by the hash, or `blob` in this record. */
	where: 'opfs' | 'indexeddb';
	blob?: Blob;
}

const OPFS_FOLDER = 'driftbook-picked-files';
const transact = objectStore('driftbook-picked-files', 'files', 'sha256', 'picked file');

async function opfsFolder(): Promise<FileSystemDirectoryHandle | undefined> {
	if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return undefined;
	const root = await navigator.storage.getDirectory();
	return root.getDirectoryHandle(OPFS_FOLDER, { create: true });
}

/** Writes the bytes to OPFS; false where this browser cannot write files there (no createWritable). */
async function writeOpfs(sha256: string, file: Blob): Promise<boolean> {
	const folder = await opfsFolder().catch(() => undefined);
	if (!folder) return false;
	const handle = await folder.getFileHandle(sha256, { create: true });
	if (typeof handle.createWritable !== 'function') {
		await folder.removeEntry(sha256).catch(() => {});
		return false;
	}
	await file.stream().pipeTo(await handle.createWritable());
	return true;
}

/** Keeps a picked file in this browser and returns what names it; undefined for one over KEEP_LIMIT. */
export async function keepPickedFile(file: File): Promise<FileReference | undefined> {
	if (file.size > KEEP_LIMIT) return undefined;
	const sha256 = await sha256Hex([new Uint8Array(await file.arrayBuffer())]);
	const existing = await transact('readonly', (store) => store.get(sha256) as IDBRequest<KeptFile | undefined>);
	const record: KeptFile = existing ?? { name: file.name, sha256, size: file.size, type: file.type, savedAt: Date.now(), where: 'opfs' };
	if (!existing && !(await writeOpfs(sha256, file))) Object.assign(record, { where: 'indexeddb', blob: file.slice(0, file.size, file.type) });
	await transact('readwrite', (store) => store.put({ ...record, name: file.name, savedAt: Date.now() }));
	return { name: file.name, sha256 };
}

/** A file input cell's text naming `file`, once this browser keeps it; undefined when it cannot be kept (too large, storage full). */
export async function keptFileSource(source: string, file: File): Promise<string | undefined> {
	const reference = await keepPickedFile(file).catch(() => undefined);
	return reference && withField(source, 'value', fileReference(reference));
}

/** The kept file a reference names, as an input cell holds it; undefined when this browser has not kept it. */
export async function pickedFile(reference: FileReference): Promise<DroppedFile | undefined> {
	const record = await transact('readonly', (store) => store.get(reference.sha256) as IDBRequest<KeptFile | undefined>);
	if (!record) return undefined;
	let blob = record.blob;
	if (record.where === 'opfs') {
		const folder = await opfsFolder();
		blob = await folder
			?.getFileHandle(record.sha256)
			.then((handle) => handle.getFile())
			.catch(() => undefined);
	}
	if (!blob) return undefined;
	return { name: reference.name, size: blob.size, type: record.type, file: blob };
}

/** Every file kept in this browser, newest first. */
export async function keptFiles(): Promise<KeptFile[]> {
	const all = await transact('readonly', (store) => store.getAll() as IDBRequest<KeptFile[]>);
	return all.map(({ blob: _blob, ...file }) => file).sort((a, b) => b.savedAt - a.savedAt);
}

/** Removes a kept file's bytes and record: notebooks that name it ask for it again. */
export async function forgetPickedFile(sha256: string): Promise<void> {
	const folder = await opfsFolder().catch(() => undefined);
	await folder?.removeEntry(sha256).catch(() => {});
	await transact('readwrite', (store) => store.delete(sha256));
}
