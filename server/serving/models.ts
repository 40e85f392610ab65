/**
 * Registry model versions as warm ONNX Runtime sessions: a version's ONNX file is read from the
 * artifact store once, its session made once and kept; the pre-processing a version carries in
 * its tags (the model cell's `columns` and `standardize` fields) is parsed with the cell's own
 * code (src/lib/inference/features.ts).
 */
import { InferenceSession } from 'onnxruntime-node';
import { getDownloadUri, getModelVersion } from '#server/model-registry/registered-models.ts';
import { listArtifacts, readArtifact } from '#server/tracking/artifacts.ts';
import { ApiError } from '#server/http/errors.ts';
import type { Queryable } from '#server/store/index.ts';
import { parseFeatures, parseStandardize, type Feature } from '#lib/inference/features.ts';
import { artifactUrl } from '#lib/inference/model-uri.ts';
import { COLUMNS_TAG, STANDARDIZE_TAG } from '#lib/contracts/serving.ts';

export interface ServedModel {
	name: string;
	version: string;
	session: InferenceSession;
	/** The one float32 input the model takes, and its feature width when the file fixes it. */
	input: { name: string; width: number | undefined };
	/** The model cell's pre-processing, when the version carries it. */
	features?: Feature[];
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes of a version's ONNX file: its source is the file, or an MLflow model folder holding one. */
async function onnxBytes(db: Queryable, root: string, name: string, version: string): Promise<Uint8Array> {
	const uri = await getDownloadUri(db, name, version);
	let path: string;
	try {
		path = artifactUrl(uri, '').path;
	} catch {
		throw new ApiError(
			409,
			'not_servable',
			`model ${name} version ${version} is stored at ${uri}: only models in the server's artifact store (mlflow-artifacts:/…) can be served`
		);
	}
	if (!path.endsWith('.onnx')) {
		const files = (await listArtifacts(db, path)).filter((f) => !f.is_dir && f.path.endsWith('.onnx'));
		if (files.length !== 1) {
			throw new ApiError(409, 'not_servable', `model ${name} version ${version}: expected one .onnx file in ${uri}, found ${files.length}`);
		}
		path = `${path}/${files[0].path}`;
	}
	const file = await readArtifact(db, root, path);
	if (!file) throw new ApiError(409, 'not_servable', `model ${name} version ${version}: its file ${path} is not in the artifact store`);
	return bytesOf(file.stream);
}

function preprocessing(tags: Array<{ key: string; value: string }>, where: string): Feature[] | undefined {
	const columnsText = tags.find((t) => t.key === COLUMNS_TAG)?.value;
	if (columnsText === undefined) return undefined;
	let columns: unknown;
	try {
		columns = JSON.parse(columnsText);
	} catch {
		columns = undefined;
	}
	if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
		throw new ApiError(409, 'not_servable', `${where}: tag ${COLUMNS_TAG} must be a JSON array of column names`);
	}
	try {
		const standardize = parseStandardize(tags.find((t) => t.key === STANDARDIZE_TAG)?.value, `${where}, tag ${STANDARDIZE_TAG}`);
		return parseFeatures(columns as string[], standardize, `${where}, tag ${COLUMNS_TAG}`);
	} catch (error) {
		throw new ApiError(409, 'not_servable', (error as Error).message);
	}
}

async function loadModel(db: Queryable, root: string, name: string, version: string): Promise<ServedModel> {
	const where = `model ${name} version ${version}`;
	const info = await getModelVersion(db, name, version);
	const features = preprocessing(info.tags ?? [], where);
	const session = await InferenceSession.create(await onnxBytes(db, root, name, version));
	const [input, ...more] = session.inputMetadata;
	if (!input || more.length > 0 || !input.isTensor || input.type !== 'float32') {
		await session.release();
		throw new ApiError(409, 'not_servable', `${where}: serving feeds one float32 tensor; the model takes ${session.inputNames.join(', ') || 'no inputs'}`);
	}
	const last = input.shape.at(-1);
	const width = typeof last === 'number' ? last : undefined;
	if (features && width !== undefined && features.length !== width) {
		await session.release();
		throw new ApiError(409, 'not_servable', `${where}: tag ${COLUMNS_TAG} lists ${features.length} features, the model takes ${width}`);
	}
	return { name, version, session, input: { name: input.name, width }, features };
}

/** Sessions by `<name>/<version>`, each made once; a failed load is not kept, so the next request tries again. */
export class ModelCache {
	readonly #loading = new Map<string, Promise<ServedModel>>();

	constructor(
		private readonly db: Queryable,
		private readonly root: string
	) {}

	get(name: string, version: string): Promise<ServedModel> {
		const key = `${name}/${version}`;
		let entry = this.#loading.get(key);
		if (!entry) {
			entry = loadModel(this.db, this.root, name, version);
			this.#loading.set(key, entry);
			entry.catch(() => this.#loading.delete(key));
		}
		return entry;
	}

	/** Releases every session (server shutdown). */
	async close(): Promise<void> {
		const loading = [...this.#loading.values()];
		this.#loading.clear();
		for (const entry of await Promise.allSettled(loading)) if (entry.status === 'fulfilled') await entry.value.session.release();
	}
}
