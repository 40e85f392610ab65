/**
 * Registering a model cell's model: the run that scored with it (its ONNX file uploaded as the
 * run's `model/` artifact, MLflow-style with an MLmodel file), a new version of the registered
 * model whose source is that directory, and the version's lineage: a sha256 of the input table
 * (its Arrow IPC stream, rows in a fixed order) and the notebook's drift / A/B / champion
 * reports as logged runs.
 */
import { tableToIPC } from 'apache-arrow';
import type { ModelValue } from './model.ts';
import type { RegisterRequest, Registered } from '#lib/cells/core/runs.ts';
import { putLineage, type LineageInput } from '#lib/api/lineage.ts';
import { createModelVersion, ensureRegisteredModel } from '#lib/api/model-registry.ts';
import { syncRun } from '#lib/api/sync.ts';
import { getRun, setRunTag, uploadRunArtifact } from '#lib/api/tracking.ts';
import { parseFields, type CellSpec } from '#lib/notebook/format.ts';
import type { SqlConnector } from '#lib/sql/connector.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { parseModelUri, resolveRegistryModel } from '#lib/inference/model-uri.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { COLUMNS_TAG, STANDARDIZE_TAG } from '#lib/contracts/serving-names.ts';

/** The model file's name without `.onnx`, as a first suggestion. */
export function suggestedModelName(cell: CellSpec): string {
	let model = cell.name;
	try {
		model = parseFields(cell.source, cell.name).model ?? cell.name;
	} catch {
		// An unparsable cell has no result to register anyway.
	}
	return model
		.split('/')
		.pop()!
		.replace(/\.onnx$/i, '');
}

export function hex(bytes: ArrayBuffer): string {
	return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** sha256 of a table's rows as an Arrow IPC stream, in a fixed row order. */
export async function tableSha256(db: SqlConnector, table: string): Promise<{ sha256: string; rows: number }> {
	const data = await db.query(`SELECT * FROM ${quoteIdentifier(table)} ORDER BY ALL`);
	const ipc = tableToIPC(data, 'stream');
	return { sha256: hex(await crypto.subtle.digest('SHA-256', ipc as Uint8Array<ArrayBuffer>)), rows: data.numRows };
}

function mlmodel(fileName: string, value: ModelValue): string {
	return [
		'artifact_path: model',
		'flavors:',
		'  onnx:',
		`    data: ${fileName}`,
		`    opset: ${value.model.opset ?? 'unknown'}`,
		`    providers: [${value.backend}]`,
		`signature:`,
		`  inputs: '${JSON.stringify(value.model.inputs.map((i) => ({ name: i.name, type: 'tensor', 'tensor-spec': { dtype: i.type, shape: i.shape.map((d) => (typeof d === 'number' ? d : -1)) } })))}'`,
		`  outputs: '${JSON.stringify(value.model.outputs.map((o) => ({ name: o.name, type: 'tensor', 'tensor-spec': { dtype: o.type, shape: o.shape.map((d) => (typeof d === 'number' ? d : -1)) } })))}'`,
		''
	].join('\n');
}

/** The cell's pre-processing as version tags: serving builds the same tensor from named columns. */
export function preprocessingTags(request: Pick<RegisterRequest, 'cellName' | 'cellSource'>): Array<{ key: string; value: string }> {
	const fields = new Fields({ kind: 'model', name: request.cellName, attrs: {}, source: request.cellSource });
	const columns = fields.list('columns');
	if (!columns) return [];
	const standardize = fields.optional('standardize');
	return [{ key: COLUMNS_TAG, value: JSON.stringify(columns) }, ...(standardize ? [{ key: STANDARDIZE_TAG, value: standardize }] : [])];
}

export async function registerModel(request: RegisterRequest): Promise<Registered> {
	const { fetch } = request;
	const value = request.value as ModelValue;
	const step = request.onstep ?? (() => {});
	const fields = parseFields(request.cellSource, request.cellName);
	const input = fields.input;
	if (!input) throw new Error(`cell ${request.cellName}, field "input": is required to record the dataset`);

	step('hashing the input table');
	const dataset = await tableSha256(request.db, input);

	step('logging the run');
	// The same key as the sync queue's entry for this result: whichever arrives first creates the run.
	const logged = await syncRun(fetch, request.run);
	await setRunTag(fetch, logged.run_id, 'driftbook.dataset_sha256', dataset.sha256);
	const run = await getRun(fetch, logged.run_id);

	step('uploading the model file');
	const reference = fields.model ?? value.model.name;
	// A model loaded from the registry (`models:/name@alias`) is read from where that version's file is.
	const modelUrl = parseModelUri(reference) ? (await resolveRegistryModel(reference, request.resolveUrl('/api'), fetch)).url : request.resolveUrl(reference);
	const response = await globalThis.fetch(modelUrl);
	if (!response.ok) throw new Error(`could not read the model file ${modelUrl}: HTTP ${response.status}`);
	const bytes = await response.arrayBuffer();
	const fileName = modelUrl.split('/').pop() || 'model.onnx';
	await uploadRunArtifact(fetch, run.info.artifact_uri, `model/${fileName}`, bytes, 'application/octet-stream');
	await uploadRunArtifact(fetch, run.info.artifact_uri, 'model/MLmodel', mlmodel(fileName, value), 'text/yaml');

	step('logging the reports');
	const reports: NonNullable<LineageInput['reports']> = [];
	for (const source of request.reports) {
		const reportRun = await syncRun(fetch, source.run);
		reports.push({
			kind: source.kind,
			run_id: reportRun.run_id,
			artifact_path: source.run.artifacts?.[0]?.path,
			summary: source.summary
		});
	}

	step('creating the model version');
	await ensureRegisteredModel(fetch, request.modelName, `ONNX model (${fileName}) registered from driftbook notebook cell ${request.cellName}`);
	const version = await createModelVersion(
		fetch,
		{
			name: request.modelName,
			source: `${run.info.artifact_uri}/model`,
			run_id: logged.run_id,
			description: `${fileName} from notebook cell ${request.cellName}, scored ${value.rows} rows of ${input} on ${value.backend}`,
			tags: [{ key: 'driftbook.cell', value: request.cellName }, { key: 'driftbook.dataset_sha256', value: dataset.sha256 }, ...preprocessingTags(request)]
		},
		`${request.run.idempotency_key}:version:${request.modelName}`
	);

	step('recording lineage');
	await putLineage(fetch, request.modelName, version.version, { dataset: { sha256: dataset.sha256, name: input, rows: dataset.rows }, reports });
	return { version, runId: logged.run_id, datasetSha256: dataset.sha256 };
}
