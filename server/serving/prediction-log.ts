/**
 * The prediction log: one row per scored input row (request id, time, model version, route,
 * inputs — all, or a sampled share of requests —, outputs, latency), buffered and written
 * append-only as Parquet part files, one folder per model and day, with native DuckDB. Parts are
 * only ever added (each written to a temporary name and renamed, so a reader never sees half a
 * file) and, past the model's size cap, the oldest are removed (rotation). Feedback (a label for
 * a request id) is a log of its own, joined when the log is read: `snapshot` writes both as one
 * Parquet file, the dataset `predictions/<model>` a notebook loads as `server:predictions/<model>`
 * and a monitor reads as its current data, with one typed column per input feature and per output
 * (`output_<name>`) next to the JSON the rows were logged as.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DatasetView } from '#server/datasets/service.ts';
import type { Dataset } from '#lib/contracts/datasets.ts';
import { LinesThread, type PredictionBatch } from './prediction-lines';

export type { PredictionBatch };

interface FeedbackRow {
	request_id: string;
	time: number;
	label: string;
	label_value: number | null;
}

export interface PredictionLogOptions {
	/** Where the log lives: `<dir>/<model>/<day>/part-….parquet`. */
	dir: string;
	/** Largest total of one model's part files before the oldest go; default DRIFTBOOK_PREDICTION_LOG_MAX_BYTES or 256 MiB. */
	maxBytesPerModel?: number;
	/** The share of requests whose inputs are kept (0…1); default DRIFTBOOK_PREDICTION_INPUT_SAMPLE or 1. */
	inputSample?: number;
	/** Buffered rows that trigger a write; default 5,000. */
	flushRows?: number;
	/** Longest time rows wait in memory; default 5 s. */
	flushMs?: number;
}

// inputs and outputs arrive as JSON values (not JSON text inside a string: no second encoding) and are stored as their text.
const PREDICTION_COLUMNS =
	"{request_id: 'VARCHAR', time: 'BIGINT', model: 'VARCHAR', version: 'VARCHAR', route: 'VARCHAR', row: 'INTEGER', inputs: 'JSON', outputs: 'JSON', latency_ms: 'DOUBLE'}";
const PREDICTION_SELECT = 'request_id, time, model, version, route, row, inputs::VARCHAR AS inputs, outputs::VARCHAR AS outputs, latency_ms';
const FEEDBACK_COLUMNS = "{request_id: 'VARCHAR', time: 'BIGINT', label: 'VARCHAR', label_value: 'DOUBLE'}";
const FEEDBACK_DIR = '_feedback';
const SNAPSHOTS_DIR = '.snapshots';
const SNAPSHOTS_KEPT = 8;
/** The dataset name prefix of a model's prediction log. */
export const PREDICTIONS_DATASET_PREFIX = 'predictions/';

function envNumber(raw: string | undefined, fallback: number): number {
	const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
	return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const sql = (text: string) => `'${text.replaceAll("'", "''")}'`;
/** A model name as one safe folder name. */
const folderOf = (model: string) => encodeURIComponent(model).replaceAll('.', '%2E');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whether a request's inputs are kept: decided by its id, so every row of one request agrees. */
export function sampled(requestId: string, share: number): boolean {
	if (share >= 1) return true;
	if (share <= 0) return false;
	return createHash('sha256').update(requestId).digest().readUInt32BE(0) / 2 ** 32 < share;
}

/** A uuid (RFC 9562 version 8) made from a sha256: the dataset id of a snapshot. */
function uuidOf(sha256: string): string {
	const h = `${sha256.slice(0, 12)}8${sha256.slice(13, 16)}${((parseInt(sha256[16], 16) & 0x3) | 0x8).toString(16)}${sha256.slice(17, 32)}`;
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

async function listFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
	return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(e.parentPath, e.name));
}

export class PredictionLog {
	readonly dir: string;
	readonly maxBytesPerModel: number;
	readonly inputSample: number;
	readonly #flushRows: number;
	readonly #flushMs: number;
	#predictions: PredictionBatch[] = [];
	#bufferedRows = 0;
	#feedback = new Map<string, FeedbackRow[]>();
	#timer: NodeJS.Timeout | undefined;
	#writing: Promise<void> = Promise.resolve();
	#connection: Promise<DuckDBConnection> | undefined;
	#sequence = 0;
	/** Builds and writes the rows' JSON text off the main thread (prediction-lines.ts). */
	readonly lines = new LinesThread();

	constructor(options: PredictionLogOptions) {
		this.dir = options.dir;
		this.maxBytesPerModel = options.maxBytesPerModel ?? envNumber(process.env.DRIFTBOOK_PREDICTION_LOG_MAX_BYTES, 256 * 1024 * 1024);
		this.inputSample = Math.min(1, options.inputSample ?? envNumber(process.env.DRIFTBOOK_PREDICTION_INPUT_SAMPLE, 1));
		this.#flushRows = options.flushRows ?? 5_000;
		this.#flushMs = options.flushMs ?? 5_000;
	}

	#db(): Promise<DuckDBConnection> {
		this.#connection ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
		return this.#connection;
	}

	/** Queues a request's rows; they are written within `flushMs`, or at once past `flushRows`. */
	append(batch: PredictionBatch): void {
		this.#predictions.push(batch);
		this.#bufferedRows += batch.outputs.length;
		if (this.#bufferedRows >= this.#flushRows) void this.flush().catch(logFailure);
		else this.#timer ??= setTimeout(() => void this.flush().catch(logFailure), this.#flushMs).unref();
	}

	/** Records the label of a logged request (the latest label of a request wins when read). */
	feedback(model: string, requestId: string, label: unknown, time = Date.now()): void {
		const list = this.#feedback.get(model) ?? [];
		const labelValue = typeof label === 'number' ? label : typeof label === 'boolean' ? Number(label) : null;
		list.push({ request_id: requestId, time, label: JSON.stringify(label), label_value: labelValue });
		this.#feedback.set(model, list);
		this.#timer ??= setTimeout(() => void this.flush().catch(logFailure), this.#flushMs).unref();
	}

	/** Writes what is buffered as new part files; resolves when they are on disk. */
	flush(): Promise<void> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const predictions = this.#predictions;
		const feedback = this.#feedback;
		this.#predictions = [];
		this.#bufferedRows = 0;
		this.#feedback = new Map();
		const byModel = new Map<string, PredictionBatch[]>();
		for (const batch of predictions) {
			const list = byModel.get(batch.model) ?? [];
			list.push(batch);
			byModel.set(batch.model, list);
		}
		this.#writing = this.#writing.then(async () => {
			for (const [model, batches] of byModel) {
				await this.#writePart(
					join(this.dir, folderOf(model), day(batches[0].time)),
					(path) => this.lines.write(path, batches),
					PREDICTION_COLUMNS,
					PREDICTION_SELECT
				);
				await this.#rotate(model);
			}
			for (const [model, rows] of feedback)
				await this.#writePart(
					join(this.dir, folderOf(model), FEEDBACK_DIR),
					(path) => writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n')),
					FEEDBACK_COLUMNS,
					'*'
				);
		});
		return this.#writing;
	}

	/** Writes newline-delimited JSON (written to the path it is given by `lines`) as a Parquet part: `select` over them read with `columns`. */
	async #writePart(dir: string, lines: (path: string) => Promise<void>, columns: string, select: string): Promise<void> {
		await mkdir(dir, { recursive: true });
		// Time-ordered names: rotation removes the oldest by name.
		const stem = `part-${String(Date.now()).padStart(15, '0')}-${String(this.#sequence++).padStart(6, '0')}`;
		const json = join(dir, `.${stem}.ndjson`);
		const temporary = join(dir, `.${stem}.parquet.tmp`);
		try {
			await lines(json);
			const db = await this.#db();
			await db.run(
				`COPY (SELECT ${select} FROM read_json(${sql(json)}, format = 'newline_delimited', columns = ${columns})) TO ${sql(temporary)} (FORMAT parquet, COMPRESSION zstd)`
			);
			await rename(temporary, join(dir, `${stem}.parquet`));
		} finally {
			await rm(json, { force: true });
			await rm(temporary, { force: true });
		}
	}

	/** The model's prediction parts, oldest first. */
	async #parts(model: string): Promise<string[]> {
		const files = await listFiles(join(this.dir, folderOf(model)));
		const name = (f: string) => f.slice(f.lastIndexOf('part-'));
		return files.filter((f) => !f.includes(`/${FEEDBACK_DIR}/`)).sort((a, b) => name(a).localeCompare(name(b)));
	}

	/** Removes the oldest parts until the model's log fits its cap (the newest part always stays). */
	async #rotate(model: string): Promise<void> {
		const parts = await this.#parts(model);
		const sizes = await Promise.all(parts.map(async (p) => (await stat(p)).size));
		let total = sizes.reduce((a, b) => a + b, 0);
		for (let i = 0; i < parts.length - 1 && total > this.maxBytesPerModel; i++) {
			await rm(parts[i], { force: true });
			total -= sizes[i];
		}
	}

	/** Part files of the model's log now (after a flush). */
	async partFiles(model: string): Promise<string[]> {
		await this.flush();
		return this.#parts(model);
	}

	/**
	 * The model's log as one Parquet file, each row with its request's latest label: the dataset
	 * `predictions/<model>`. Undefined when nothing was logged for the model.
	 */
	async snapshot(model: string): Promise<{ dataset: Dataset; file: string } | undefined> {
		const parts = await this.partFiles(model);
		if (parts.length === 0) return undefined;
		const feedback = await listFiles(join(this.dir, folderOf(model), FEEDBACK_DIR));
		const list = (files: string[]) => `[${files.map(sql).join(', ')}]`;
		const labels =
			feedback.length === 0
				? 'SELECT NULL::VARCHAR AS request_id, NULL::VARCHAR AS label, NULL::DOUBLE AS label_value, NULL::TIMESTAMPTZ AS labelled_at LIMIT 0'
				: `SELECT request_id, arg_max(label, time) AS label, arg_max(label_value, time) AS label_value, make_timestamp(max(time) * 1000) AS labelled_at
				   FROM read_parquet(${list(feedback)}) GROUP BY request_id`;
		const snapshots = join(this.dir, SNAPSHOTS_DIR);
		await mkdir(snapshots, { recursive: true });
		const temporary = join(snapshots, `.${process.pid}-${this.#sequence++}.parquet.tmp`);
		const db = await this.#db();
		const logged = `read_parquet(${list(parts)})`;
		const features = [...(await fieldColumns(db, logged, 'inputs', '')), ...(await fieldColumns(db, logged, 'outputs', 'output_'))];
		await db.run(
			`COPY (SELECT p.request_id, make_timestamp(p.time * 1000) AS time, p.model, p.version, p.route, p.row, p.inputs, p.outputs, p.latency_ms,
			              f.label, f.label_value, f.labelled_at${features.map((c) => `, ${c}`).join('')}
			       FROM ${logged} p LEFT JOIN (${labels}) f USING (request_id)
			       ORDER BY p.time, p.request_id, p.row) TO ${sql(temporary)} (FORMAT parquet, COMPRESSION zstd)`
		);
		const bytes = await readFile(temporary);
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		const dataset: Dataset = {
			id: uuidOf(sha256),
			name: `${PREDICTIONS_DATASET_PREFIX}${model}`,
			version: parts.length,
			format: 'parquet',
			size_bytes: bytes.length,
			sha256,
			created_at: new Date().toISOString(),
			created_by: 'driftbook serving'
		};
		const file = join(snapshots, `${dataset.id}.parquet`);
		await rename(temporary, file);
		await writeFile(join(snapshots, `${dataset.id}.json`), JSON.stringify(dataset));
		await this.#pruneSnapshots(snapshots);
		return { dataset, file };
	}

	/** A snapshot made earlier, by its dataset id. */
	async findSnapshot(id: string): Promise<{ dataset: Dataset; file: string } | undefined> {
		if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
		const meta = join(this.dir, SNAPSHOTS_DIR, `${id}.json`);
		const text = await readFile(meta, 'utf8').catch(() => undefined);
		return text === undefined ? undefined : { dataset: JSON.parse(text) as Dataset, file: join(this.dir, SNAPSHOTS_DIR, `${id}.parquet`) };
	}

	/** Keeps the newest snapshots (a download of one just made must still find it). */
	async #pruneSnapshots(dir: string): Promise<void> {
		const files = await listFiles(dir);
		const dated = await Promise.all(files.map(async (f) => ({ f, at: (await stat(f)).mtimeMs })));
		for (const { f } of dated.sort((a, b) => b.at - a.at).slice(SNAPSHOTS_KEPT)) {
			await rm(f, { force: true });
			await rm(f.replace(/\.parquet$/, '.json'), { force: true });
		}
	}

	/** Writes what is buffered and closes DuckDB and the thread. */
	async close(): Promise<void> {
		await this.flush();
		await this.lines.close();
		const connection = await this.#connection;
		connection?.closeSync();
		this.#connection = undefined;
	}
}

/** The snapshot's own columns: a feature or output of the same name gets a prefix. */
const LOG_COLUMNS = new Set([
	'request_id',
	'time',
	'model',
	'version',
	'route',
	'row',
	'inputs',
	'outputs',
	'latency_ms',
	'label',
	'label_value',
	'labelled_at'
]);
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * One typed column per field of the JSON objects in `column` (a row's inputs by feature name, its
 * outputs by output name), as SELECT expressions over the log aliased `p`: DuckDB infers the
 * fields' types over every logged row (json_group_structure) and reads each row as that STRUCT.
 * Rows sent as bare arrays (a tensor) have no names: they stay in the JSON column alone.
 */
async function fieldColumns(db: DuckDBConnection, logged: string, column: 'inputs' | 'outputs', prefix: string): Promise<string[]> {
	const [found] = (await db.runAndReadAll(`SELECT CAST(json_group_structure(json(${column})) AS VARCHAR) AS s FROM ${logged}`)).getRowObjects();
	// Counts inferred as unsigned (no negative value logged yet) read as signed: a column's type stays put as rows come.
	const structure: unknown = found?.s === null || found?.s === undefined ? null : JSON.parse(String(found.s).replaceAll('"UBIGINT"', '"BIGINT"'));
	if (structure === null || typeof structure !== 'object' || Array.isArray(structure)) return [];
	const typed = `json_transform(p.${column}, ${sql(JSON.stringify(structure))})`;
	return Object.keys(structure).map((field) => {
		const name = prefix === '' && !LOG_COLUMNS.has(field) ? field : `${prefix || 'input_'}${field}`;
		return `struct_extract(${typed}, ${sql(field)}) AS ${ident(name)}`;
	});
}

function logFailure(error: Error): void {
	console.error(`[predictions] writing the prediction log failed: ${error.message}`);
}

/** The log as datasets `predictions/<model>` (server/datasets reads them like stored versions). */
export function predictionsView(log: PredictionLog): DatasetView {
	return {
		prefix: PREDICTIONS_DATASET_PREFIX,
		describe: (name) => log.snapshot(name.slice(PREDICTIONS_DATASET_PREFIX.length)),
		find: (id) => log.findSnapshot(id)
	};
}
