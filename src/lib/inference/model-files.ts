/**
 * Model files a user dropped on a model cell. The notebook is text that is saved and shared, so
 * the cell names the file by content, `model: file:<name>#sha256=<hex>`, and the bytes stay in
 * this browser's IndexedDB under that hash: a reload runs offline, and nothing is uploaded (only
 * registering the model sends it to the server). A browser without the bytes (a colleague
 * opening a shared notebook, cleared site data) asks for the same file to be dropped again, and
 * refuses a different one.
 */
import { objectStore } from '#lib/indexeddb.ts';
import { sha256Hex, withField, type FileReference } from '#lib/notebook/file-reference.ts';
import { readOnnxMetadata } from './onnx-metadata';

/** The bytes a model cell runs: one .onnx file, or a TF.js model.json with its weight files by name. */
export interface ModelFiles {
	name: string;
	format: 'onnx' | 'tfjs';
	bytes: Uint8Array;
	weights?: Record<string, Uint8Array>;
}

export interface StoredModel extends ModelFiles {
	sha256: string;
}

/** The cell source with its `model:` line naming `reference` (added first when it has none). */
export function withModelReference(source: string, reference: string): string {
	return withField(source, 'model', reference);
}

/** The hash that names a model: its bytes, then (TF.js) its weight files in name order. */
export function modelHash(model: ModelFiles): Promise<string> {
	const weights = Object.keys(model.weights ?? {})
		.sort()
		.map((name) => model.weights![name]);
	return sha256Hex([model.bytes, ...weights]);
}

const ONNX_NAME = /\.onnx$/i;
const JSON_NAME = /\.json$/i;

/**
 * Reads dropped files into a model: one .onnx file, or one model.json with the weight files
 * its manifest lists. Errors name the file and say what was expected.
 */
export async function readModelFiles(files: readonly File[]): Promise<ModelFiles> {
	if (files.length === 0) throw new Error('no file was dropped');
	const onnx = files.filter((f) => ONNX_NAME.test(f.name));
	const json = files.filter((f) => JSON_NAME.test(f.name));
	const expected = 'drop one .onnx file, or a TensorFlow.js model.json together with its .bin weight files';
	if (onnx.length + json.length !== 1) {
		const names = files.map((f) => f.name).join(', ');
		throw new Error(onnx.length + json.length === 0 ? `${names}: not a model file; ${expected}` : `${names}: more than one model; ${expected}`);
	}
	if (onnx.length === 1) {
		const file = onnx[0];
		const extra = files.filter((f) => f !== file);
		if (extra.length) throw new Error(`${extra.map((f) => f.name).join(', ')}: not needed with ${file.name}; ${expected}`);
		const bytes = new Uint8Array(await file.arrayBuffer());
		try {
			readOnnxMetadata(bytes);
		} catch (error) {
			throw new Error(`${file.name}: not an ONNX model (${(error as Error).message})`, { cause: error });
		}
		return { name: file.name, format: 'onnx', bytes };
	}
	const file = json[0];
	const bytes = new Uint8Array(await file.arrayBuffer());
	let manifest: { format?: string; weightsManifest?: Array<{ paths: string[] }> };
	try {
		manifest = JSON.parse(new TextDecoder().decode(bytes));
	} catch (error) {
		throw new Error(`${file.name}: not valid JSON (${(error as Error).message})`, { cause: error });
	}
	if (manifest.format !== 'layers-model' || !Array.isArray(manifest.weightsManifest)) {
		throw new Error(`${file.name}: not a TensorFlow.js layers model (expected "format": "layers-model" and a weightsManifest)`);
	}
	const needed = manifest.weightsManifest.flatMap((group) => group.paths).map((path) => path.split('/').pop()!);
	const byName = new Map(files.map((f) => [f.name, f]));
	const missing = needed.filter((name) => !byName.has(name));
	if (missing.length) throw new Error(`${file.name}: its weight file${missing.length > 1 ? 's' : ''} ${missing.join(', ')} must be dropped with it`);
	const weights: Record<string, Uint8Array> = {};
	for (const name of needed) weights[name] = new Uint8Array(await byName.get(name)!.arrayBuffer());
	return { name: file.name, format: 'tfjs', bytes, weights };
}

// ————— IndexedDB: this browser only —————

const transact = objectStore('driftbook-models', 'files', 'sha256', 'model file');

/** Keeps a dropped model (hashed with `modelHash`) in this browser under its hash. */
export async function storeModel(model: StoredModel): Promise<void> {
	await transact('readwrite', (store) => store.put({ ...model, savedAt: Date.now() }));
}

/** The stored model a reference names, or an error telling the user to drop it again. */
export async function storedModel(reference: FileReference): Promise<StoredModel> {
	let found: StoredModel | undefined;
	try {
		found = await transact('readonly', (store) => store.get(reference.sha256) as IDBRequest<StoredModel | undefined>);
	} catch (error) {
		throw new Error(
			`the model file ${reference.name} could not be read from this browser's storage (${(error as Error).message}): drop the file again on this cell`,
			{ cause: error }
		);
	}
	if (!found) {
		throw new Error(
			`the model file ${reference.name} (sha256 ${reference.sha256.slice(0, 12)}…) is not stored in this browser: drop the file again on this cell`
		);
	}
	return found;
}
