import * as Comlink from 'comlink';
import { Float32, Int32, makeData, makeVector, Table, tableToIPC, Vector, type Data, type RecordBatch } from 'apache-arrow';
import type { CellRunner, CellServices } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { buildTensor, parseFeatures, parseStandardize, sourceColumns, type Feature } from '#lib/inference/features.ts';
import { accuracy, agreement, maxDifference, predictedClasses, scoreOutput, type Difference } from '#lib/inference/compare.ts';
import { parseModelUri, resolveRegistryModel } from '#lib/inference/model-uri.ts';
import { storedModel } from '#lib/inference/model-files.ts';
import { parseFileReference } from '#lib/notebook/file-reference.ts';
import { requestHeadersFor } from '#lib/api/http.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import type { TableRef } from '#lib/sql/connector.ts';
import { describeTable } from '#lib/sql/tables.ts';
import type { Spawned } from '#lib/workers/spawn.ts';
import type { BackendPreference, InferenceApi, ModelInfo, ModelInput, ModelSource, TensorData } from '#lib/workers/protocol.ts';

/** The first rows of the tensor the cell built, with a label per column. */
export interface TensorPreview {
	labels: string[];
	rows: number[][];
	shape: [number, number];
}

export interface ParityCheck {
	rows: number;
	tolerance: number;
	/** The reference: the WASM (or TF.js CPU) run. */
	reference: string;
	backends: Array<{ backend: string; available: boolean; reason?: string; ms?: number; difference?: Difference }>;
	/** Set when a backend differs from the reference by more than `tolerance`. */
	warning?: string;
}

export interface ModelStats {
	name: string;
	sizeBytes: number;
	rowsPerSecond: number;
	inferenceMs: number;
	/** Against the cell's main model (undefined for the main model itself). */
	agreement?: number;
	difference?: Difference;
	accuracy?: number;
}

export interface ModelValue {
	table: TableRef;
	model: ModelInfo;
	/** Where the model came from when not a plain URL: `registry: <name> version …` or `dropped file, sha256 …`. */
	resolvedFrom?: string;
	backend: ModelInfo['backend'];
	fallbackReason?: string;
	rows: number;
	inferenceMs: number;
	rowsPerSecond: number;
	preview: TensorPreview;
	/** Output table columns and the model output each came from. */
	columns: Array<{ column: string; output: string; meaning: string }>;
	parity?: ParityCheck;
	/** The main model first, then each `compare` variant on the same rows. */
	variants: ModelStats[];
	label?: string;
}

/** Rows sent to the worker per call: large enough to amortize a round trip, small enough to cancel quickly. */
const CHUNK_ROWS = 16_384;
const PREVIEW_ROWS = 5;

interface LoadedModel {
	info: ModelInfo;
	resolvedFrom?: string;
}

/** The worker's source for a model reference: a dropped file from this browser's storage, or a URL (a registry model resolved first). */
async function modelSource(reference: string, services: CellServices): Promise<{ source: ModelSource; resolvedFrom?: string }> {
	const file = parseFileReference(reference);
	if (file) {
		const stored = await storedModel(file);
		return { source: { kind: 'bytes', bytes: stored.bytes, weights: stored.weights, name: file.name }, resolvedFrom: `dropped file, sha256 ${file.sha256}` };
	}
	let url = reference;
	let resolvedFrom: string | undefined;
	if (parseModelUri(reference)) {
		// In team mode the registry answers only with the token: sent to the app's own /api, never elsewhere.
		const resolved = await resolveRegistryModel(reference, services.resolveUrl('/api'), (u) => fetch(u, { headers: requestHeadersFor(u) }));
		url = resolved.url;
		resolvedFrom = `registry: ${resolved.name} version ${resolved.version} (${resolved.artifactUri})`;
	}
	const absolute = services.resolveUrl(url);
	const name = reference.split('/').pop() || reference;
	return { source: { kind: 'url', url: absolute, name, headers: requestHeadersFor(absolute) }, resolvedFrom };
}

async function loadModel(
	reference: string,
	field: string,
	cellName: string,
	spawned: Spawned<InferenceApi>,
	services: CellServices,
	preference: BackendPreference
): Promise<LoadedModel> {
	try {
		const { source, resolvedFrom } = await modelSource(reference, services);
		const info = await Promise.race([spawned.api.load(source, preference), spawned.crashed]);
		return { info, resolvedFrom };
	} catch (error) {
		throw new Error(`cell ${cellName}, field "${field}": ${(error as Error).message}`, { cause: error });
	}
}

/** The model's feature width must match the cell's columns; its input must take float32. */
function checkInput(model: ModelInfo, features: readonly Feature[], cellName: string, field: string) {
	const input = model.inputs[0];
	if (!input) throw new Error(`cell ${cellName}, field "${field}": model ${model.name} has no inputs`);
	if (model.inputs.length > 1) {
		throw new Error(
			`cell ${cellName}, field "${field}": model ${model.name} takes ${model.inputs.length} inputs (${model.inputs.map((i) => i.name).join(', ')}); a model cell feeds one feature tensor`
		);
	}
	if (input.type !== 'float32' && input.type !== 'unknown') {
		throw new Error(`cell ${cellName}, field "${field}": model ${model.name} input ${input.name} is ${input.type}; a model cell feeds float32`);
	}
	const expected = input.shape.at(-1);
	if (typeof expected === 'number' && expected !== features.length) {
		throw new Error(
			`cell ${cellName}, field "columns": model ${model.name} input ${input.name} takes ${expected} features [${input.shape.join(' × ')}], the cell lists ${features.length} (${features.map((f) => f.label).join(', ')})`
		);
	}
}

/** Output columns: a width-1 output keeps its name, wider ones get `_<index>` (class or dimension). */
function outputColumns(outputs: Record<string, TensorData>) {
	const columns: Array<{ column: string; output: string; index: number; width: number; type: string }> = [];
	for (const [name, tensor] of Object.entries(outputs)) {
		const width = tensor.dims.length > 1 ? tensor.data.length / Math.max(1, tensor.dims[0]) : 1;
		for (let j = 0; j < width; j++) columns.push({ column: width === 1 ? name : `${name}_${j}`, output: name, index: j, width, type: tensor.type });
	}
	return columns;
}

function meaning(c: { output: string; index: number; width: number; type: string }): string {
	if (c.type === 'int64' || c.type === 'int32') return 'predicted class';
	if (c.width === 1) return 'score';
	if (/prob/i.test(c.output)) return `probability of class ${c.index}`;
	return `dimension ${c.index} of ${c.width}`;
}

function concat<T extends Float32Array | Float64Array>(parts: T[], length: number, make: new (length: number) => T): T {
	const out = new make(length);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/** Accumulates a variant's agreement, difference and accuracy chunk by chunk. */
class Tally {
	agree = 0;
	correct = 0;
	labelled = 0;
	rows = 0;
	inferenceMs = 0;
	difference: Difference = { maxAbs: 0, maxRel: 0 };

	add(outputs: Record<string, TensorData>, main: Record<string, TensorData> | undefined, labels: Float64Array | undefined, ms: number) {
		this.inferenceMs += ms;
		const score = scoreOutput(outputs);
		if (!score) return;
		const predicted = predictedClasses(outputs[score]);
		this.rows += predicted.length;
		if (main) {
			const mainScore = scoreOutput(main);
			if (mainScore) {
				this.agree += Math.round(agreement(predicted, predictedClasses(main[mainScore])) * predicted.length);
				const d = maxDifference({ [mainScore]: outputs[score] }, { [mainScore]: main[mainScore] });
				this.difference = { maxAbs: Math.max(this.difference.maxAbs, d.maxAbs), maxRel: Math.max(this.difference.maxRel, d.maxRel) };
			}
		}
		if (labels) {
			const a = accuracy(predicted, labels);
			this.correct += Math.round(a.accuracy * a.rows) || 0;
			this.labelled += a.rows;
		}
	}
}

function labelValues(batch: RecordBatch, column: string, cellName: string): Float64Array {
	const vector = batch.getChild(column);
	if (!vector) throw new Error(`cell ${cellName}, field "label": column "${column}" is not in the input table`);
	const out = new Float64Array(batch.numRows);
	for (let i = 0; i < batch.numRows; i++) {
		const v = vector.get(i);
		out[i] = v === null || v === undefined ? NaN : typeof v === 'boolean' ? Number(v) : Number(v);
	}
	return out;
}

/**
 * A model cell runs an ONNX (or TF.js layers) model in the inference worker over the rows of
 * an input table, streamed from DuckDB as Arrow record batches, and writes the id column plus
 * each output column to a DuckDB table named after the cell. Pre-processing (one-hot,
 * standardization) is in the cell's fields; `compare` runs variants on the same rows; a
 * parity sample runs on every backend the browser has.
 */
export const modelCell: CellRunner = {
	kind: 'model',
	inputs: (cell) => new Fields(cell).referenced(['input']),
	async run(cell, _inputs, services, { signal, progress }): Promise<ModelValue> {
		const fields = new Fields(cell);
		const reference = fields.required('model');
		const input = fields.required('input');
		const columns = fields.list('columns') ?? [];
		if (columns.length === 0) throw new Error(`cell ${cell.name}, field "columns": list the feature columns in model input order`);
		const features = parseFeatures(
			columns,
			parseStandardize(fields.optional('standardize'), `cell ${cell.name}, field "standardize"`),
			`cell ${cell.name}, field "columns"`
		);
		const id = fields.required('id');
		const label = fields.optional('label');
		const variantRefs = fields.list('compare') ?? [];
		const parityRows = fields.number('parity_rows') ?? 256;
		const tolerance = fields.number('tolerance') ?? 1e-5;
		const preference = fields.oneOf('backend', ['auto', 'webgpu', 'wasm'], services.backend);

		const db = await services.db();
		const spawned = await services.inference();
		performance.mark(`driftbook:${cell.name}:engine`);
		const { api, crashed } = spawned;
		const main = await loadModel(reference, 'model', cell.name, spawned, services, preference);
		performance.mark(`driftbook:${cell.name}:loaded`);
		checkInput(main.info, features, cell.name, 'model');
		const variants: LoadedModel[] = [];
		for (const ref of variantRefs) {
			const variant = await loadModel(ref, 'compare', cell.name, spawned, services, preference);
			checkInput(variant.info, features, cell.name, 'compare');
			variants.push(variant);
		}

		const counted = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(input)}`, signal);
		const total = Number(counted.getChild('n')!.get(0));
		const needed = [...new Set([id, ...sourceColumns(features), ...(label ? [label] : [])])];
		const present = (await db.query(`SELECT * FROM ${quoteIdentifier(input)} LIMIT 0`, signal)).schema.fields.map((f) => f.name);
		for (const column of needed) {
			if (present.includes(column)) continue;
			const field = column === id ? 'id' : column === label ? 'label' : 'columns';
			throw new Error(`cell ${cell.name}, field "${field}": column "${column}" is not in the input table ${input} (it has ${present.join(', ')})`);
		}
		const read = needed.map(quoteIdentifier).join(', ');
		const sql = `SELECT ${read} FROM ${quoteIdentifier(input)}`;
		const batches = db.queryBatches ? db.queryBatches(sql, signal) : (await db.query(sql, signal)).batches;

		const inputName = main.info.inputs[0].name;
		const width = features.length;
		const idChunks: Data[] = [];
		const mainParts = new Map<string, Float32Array[]>();
		/** The last chunk's outputs: their names, types and widths lay out the output table. */
		let lastOutputs: Record<string, TensorData> = {};
		let mainMs = 0;
		const tallies = variants.map(() => new Tally());
		const mainTally = new Tally();
		const preview: number[][] = [];
		let paritySample: ModelInput | undefined;
		let rows = 0;
		const jobId = crypto.randomUUID();
		const onAbort = () => void api.cancel(jobId);
		signal.addEventListener('abort', onAbort, { once: true });

		// Pending rows: record batches are small (DuckDB vectors); the worker gets CHUNK_ROWS at a time.
		let pending: Float32Array[] = [];
		let pendingLabels: Float64Array[] = [];
		let pendingRows = 0;
		const flush = async () => {
			if (pendingRows === 0) return;
			const data = concat(pending, pendingRows * width, Float32Array);
			const labels = label ? concat(pendingLabels, pendingRows, Float64Array) : undefined;
			const chunk: ModelInput = { name: inputName, data, rows: pendingRows, columns: width };
			pending = [];
			pendingLabels = [];
			pendingRows = 0;
			const result = await Promise.race([api.run(main.info.key, chunk, { jobId, batchSize: CHUNK_ROWS }), crashed]);
			mainMs += result.inferenceMs;
			lastOutputs = result.outputs;
			mainTally.add(result.outputs, undefined, labels, 0);
			for (const [name, tensor] of Object.entries(result.outputs)) {
				const list = mainParts.get(name) ?? [];
				list.push(tensor.data);
				mainParts.set(name, list);
			}
			for (const [i, variant] of variants.entries()) {
				const input = { ...chunk, name: variant.info.inputs[0].name };
				const other = await Promise.race([api.run(variant.info.key, input, { jobId, batchSize: CHUNK_ROWS }), crashed]);
				tallies[i].add(other.outputs, result.outputs, labels, other.inferenceMs);
			}
			rows += chunk.rows;
			progress(rows, total);
		};

		try {
			let seen = 0;
			for await (const batch of batches) {
				signal.throwIfAborted();
				let tensor: Float32Array;
				try {
					tensor = buildTensor(batch, features, seen);
				} catch (error) {
					throw new Error(`cell ${cell.name}, input ${input}: ${(error as Error).message}`, { cause: error });
				}
				const idVector = batch.getChild(id);
				if (!idVector) throw new Error(`cell ${cell.name}, field "id": column "${id}" is not in the input table ${input}`);
				idChunks.push(...idVector.data);
				for (let r = 0; preview.length < PREVIEW_ROWS && r < batch.numRows; r++) preview.push(Array.from(tensor.subarray(r * width, (r + 1) * width)));
				if (!paritySample && parityRows > 0) {
					paritySample = {
						name: inputName,
						data: tensor.slice(0, Math.min(parityRows, batch.numRows) * width),
						rows: Math.min(parityRows, batch.numRows),
						columns: width
					};
				}
				pending.push(tensor);
				if (label) pendingLabels.push(labelValues(batch, label, cell.name));
				pendingRows += batch.numRows;
				seen += batch.numRows;
				if (pendingRows >= CHUNK_ROWS) await flush();
			}
			await flush();
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
		signal.throwIfAborted();

		const layout = outputColumns(lastOutputs);
		const vectors: Record<string, Vector> = { [id]: new Vector(idChunks) };
		for (const c of layout) {
			if (c.column === id) throw new Error(`cell ${cell.name}: model output ${c.column} has the same name as the id column`);
			const all = concat(mainParts.get(c.output) ?? [], rows * c.width, Float32Array);
			const isClass = c.type === 'int64' || c.type === 'int32';
			if (c.width === 1) {
				vectors[c.column] = isClass ? makeVector(Int32Array.from(all)) : makeVector(makeData({ type: new Float32(), data: all }));
			} else {
				const column = new Float32Array(rows);
				for (let r = 0; r < rows; r++) column[r] = all[r * c.width + c.index];
				vectors[c.column] = isClass ? makeVector(makeData({ type: new Int32(), data: Int32Array.from(column) })) : makeVector(column);
			}
		}
		await db.insertArrowIPC(cell.name, tableToIPC(new Table(vectors), 'stream'));

		const parity = paritySample ? await parityCheck(api, crashed, main.info, paritySample, tolerance) : undefined;
		const stats = (name: string, info: ModelInfo, tally: Tally, isMain: boolean): ModelStats => ({
			name,
			sizeBytes: info.sizeBytes,
			inferenceMs: isMain ? mainMs : tally.inferenceMs,
			rowsPerSecond: rows / ((isMain ? mainMs : tally.inferenceMs) / 1000),
			agreement: isMain || tally.rows === 0 ? undefined : tally.agree / tally.rows,
			difference: isMain ? undefined : tally.difference,
			accuracy: label && tally.labelled > 0 ? tally.correct / tally.labelled : undefined
		});
		return {
			table: await describeTable(db, cell.name, signal),
			model: main.info,
			resolvedFrom: main.resolvedFrom,
			backend: main.info.backend,
			fallbackReason: main.info.fallbackReason,
			rows,
			inferenceMs: mainMs,
			rowsPerSecond: rows / (mainMs / 1000),
			preview: { labels: features.map((f) => f.label), rows: preview, shape: [rows, width] },
			columns: layout.map((c) => ({ column: c.column, output: c.output, meaning: meaning(c) })),
			parity,
			variants: [stats(reference, main.info, mainTally, true), ...variants.map((v, i) => stats(variantRefs[i], v.info, tallies[i], false))],
			label
		};
	}
};

async function parityCheck(
	api: Comlink.Remote<InferenceApi>,
	crashed: Promise<never>,
	model: ModelInfo,
	sample: ModelInput,
	tolerance: number
): Promise<ParityCheck> {
	const runs = await Promise.race([api.parity(model.key, sample), crashed]);
	const referenceRun = runs.find((r) => r.available && (r.backend === 'wasm' || r.backend === 'cpu'));
	const backends: ParityCheck['backends'] = runs.map((r) => ({
		backend: r.backend,
		available: r.available,
		reason: r.reason,
		ms: r.ms,
		difference: r.available && referenceRun && r !== referenceRun ? maxDifference(r.outputs!, referenceRun.outputs!) : undefined
	}));
	const worst = backends.filter((b) => b.difference && b.difference.maxAbs > tolerance);
	return {
		rows: sample.rows,
		tolerance,
		reference: referenceRun?.backend ?? 'none',
		backends,
		warning: worst.length
			? worst
					.map((b) => `${b.backend} differs from ${referenceRun!.backend} by up to ${b.difference!.maxAbs.toExponential(2)} (tolerance ${tolerance})`)
					.join('; ')
			: undefined
	};
}
