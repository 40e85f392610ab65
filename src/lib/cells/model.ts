import * as Comlink from 'comlink';
import { Float32, makeData, makeVector, Table, tableToIPC, type Vector } from 'apache-arrow';
import type { CellKind } from './types';
import { Fields } from './fields';
import { featureMatrix } from '$lib/inference/features';
import { quoteIdentifier } from '$lib/sql/identifiers';
import type { TableRef } from '$lib/sql/connector';
import { describeTable } from '$lib/sql/tables';
import type { Backend, ModelInfo } from '$workers/protocol';

export interface ModelValue {
	table: TableRef;
	model: ModelInfo;
	backend: Backend;
	fallbackReason?: string;
	rows: number;
	inferenceMs: number;
	rowsPerSecond: number;
}

const BATCH_ROWS = 16_384;

/**
 * A model cell runs an ONNX model in the inference worker over the rows of an input table and
 * writes `id` plus each output column to a DuckDB table named after the cell.
 */
export const modelCell: CellKind = {
	kind: 'model',
	inputs: (cell) => new Fields(cell).referenced(['input']),
	async run(cell, _inputs, services, { signal, progress }): Promise<ModelValue> {
		const fields = new Fields(cell);
		const url = fields.required('model');
		const input = fields.required('input');
		const columns = fields.list('columns') ?? [];
		if (columns.length === 0) throw new Error(`cell ${cell.name}, field "columns": list the feature columns in model input order`);
		const id = fields.required('id');
		const backendPreference = fields.oneOf('backend', ['auto', 'webgpu', 'wasm'], services.backend);

		const db = await services.db();
		const { api, crashed } = await services.inference();
		const model = await Promise.race([api.load(services.resolveUrl(url), backendPreference), crashed]);
		const expected = model.inputs[0]?.shape.at(-1);
		if (typeof expected === 'number' && expected !== columns.length) {
			throw new Error(`cell ${cell.name}: the model takes ${expected} features, the cell lists ${columns.length}`);
		}
		const selected = [id, ...columns].map(quoteIdentifier).join(', ');
		const table = await db.query(`SELECT ${selected} FROM ${quoteIdentifier(input)}`, signal);
		const rows = table.numRows;
		const data = featureMatrix(table, columns);

		const jobId = crypto.randomUUID();
		const onAbort = () => void api.cancel(jobId);
		signal.addEventListener('abort', onAbort, { once: true });
		let result;
		try {
			result = await Promise.race([
				api.run(
					model.key,
					{ name: model.inputs[0].name, data, rows, columns: columns.length },
					{ jobId, batchSize: BATCH_ROWS },
					Comlink.proxy((done: number) => progress(done, rows))
				),
				crashed
			]);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
		signal.throwIfAborted();

		const ids = table.getChild(id)!;
		const outputColumns: Record<string, Vector> = { [id]: ids };
		for (const [name, tensor] of Object.entries(result.outputs)) {
			const width = tensor.dims[1] ?? 1;
			for (let j = 0; j < width; j++) {
				const column = width === 1 ? tensor.data : tensor.data.filter((_, i) => i % width === j);
				outputColumns[width === 1 ? name : `${name}_${j}`] = makeVector(makeData({ type: new Float32(), data: column }));
			}
		}
		await db.insertArrowIPC(cell.name, tableToIPC(new Table(outputColumns), 'stream'));
		return {
			table: await describeTable(db, cell.name, signal),
			model,
			backend: model.backend,
			fallbackReason: model.fallbackReason,
			rows,
			inferenceMs: result.inferenceMs,
			rowsPerSecond: rows / (result.inferenceMs / 1000)
		};
	}
};
