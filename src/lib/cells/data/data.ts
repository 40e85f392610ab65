import * as Comlink from 'comlink';
import type { CellRunner, CellServices } from '#lib/cells/core/types.ts';
import { WaitingError } from '#lib/runtime/runtime.ts';
import { isDroppedFile } from '#lib/ingest/sources/dropped-file.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import type { SqlConnector, SqlSession, TableRef } from '#lib/sql/connector.ts';
import { literal, quoteIdentifier } from '#lib/sql/identifiers.ts';
import { describeTable } from '#lib/sql/tables.ts';
import {
	dataSettings,
	describeReject,
	formatFromName,
	readCsvSql,
	type ColumnType,
	type CsvDialect,
	type DataFormat,
	type OnError,
	type RejectedRow,
	type RejectTables
} from '#lib/ingest/read-options.ts';
import { estimateTableBytes, MEMORY_QUERY, parseSize, type MemoryStatus } from '#lib/ingest/placement/memory.ts';
import { formatBytes } from '#lib/format/number.ts';
import { diskCatalog, diskTableRef, DISK_SCHEMA, dropDataset, type DiskStatus, type Placement } from '#lib/sql/storage.ts';
import { choosePlacement, parseStorageField, type StorageMode } from '#lib/ingest/placement/choose-placement.ts';
import { endLoad, reportLoad, type LoadProgress } from '#lib/ingest/load-progress.ts';
import { fileLine } from '#lib/ingest/csv/chunks.ts';
import type { LoadChunk, LoadPlan, LoadSource } from '#lib/workers/protocol.ts';
import { SERVER_PREFIX } from '#lib/api/datasets.ts';
import { serverLoadSource, urlLoadSource } from '#lib/ingest/sources/load-sources.ts';

/** How a data cell's table was read: shown under its table, and what the schema editor starts from. */
export interface DataLoadReport {
	/** `url: /samples/x.csv` or `file: upload (x.csv)`. */
	source: string;
	fileName: string;
	format: DataFormat;
	bytes: number | null;
	rows: number;
	/** Types as read (detected or given). */
	columns: ColumnType[];
	csv?: CsvDialect & { detected: { delimiter: boolean; header: boolean; types: string[] } };
	onError: OnError;
	/** Rejected rows, first 1000, in line order. */
	rejected: RejectedRow[];
	rejectedCount: number;
	notes: string[];
	estimatedBytes: number;
	/** Where the table lives: DuckDB's memory, or a database file in the browser's OPFS. */
	placement: Placement;
	/** Seconds from opening the source to the table being ready (DuckDB's own start not counted). */
	seconds: number;
	/**
	 * Where those seconds went, as seen from the data cell: opening the source (detection, the plan),
	 * waiting for the loader's next chunk, inserting chunks into DuckDB, and finishing (types, rename,
	 * describe); `loader_s` is the loader worker's own time making the chunks (overlaps the inserts).
	 */
	phases?: { open_s: number; wait_s: number; insert_s: number; finish_s: number; loader_s: number };
}

export interface DataValue extends TableRef {
	load: DataLoadReport;
}

const MAX_REJECTS = 1000;

async function memoryStatus(db: SqlConnector, signal: AbortSignal): Promise<MemoryStatus> {
	const row = (await db.query(MEMORY_QUERY, signal)).toArray()[0]?.toJSON() as { memory_limit: string; used: number } | undefined;
	const perf = performance as Performance & { memory?: { jsHeapSizeLimit: number } };
	const nav = navigator as Navigator & { deviceMemory?: number };
	return {
		duckdbLimit: row ? parseSize(row.memory_limit) : 0,
		duckdbUsed: Number(row?.used ?? 0),
		jsHeapLimit: perf.memory?.jsHeapSizeLimit,
		deviceMemoryGiB: nav.deviceMemory
	};
}

async function diskStatus(db: SqlConnector): Promise<DiskStatus> {
	return db.storage ? db.storage.status() : { available: false, reason: 'this DuckDB has no disk storage' };
}

interface Loading {
	db: SqlConnector;
	/** The staging table, quoted (and qualified, on disk), and its bare name. */
	stage: string;
	stageName: string;
	/** The disk database file's catalog, for a load to disk. */
	catalog?: string;
	signal: AbortSignal;
	created: boolean;
	rows: number;
	rejected: RejectedRow[];
	rejectedCount: number;
	/** Chunk tables and files get distinct names per load. */
	tag: string;
	n: number;
	/** The open transaction the CSV chunks go into (see startCsvTransaction), if any. */
	transaction?: SqlSession;
}

/**
 * Opens one transaction for a CSV load's chunks: DuckDB appends to a table created in the same
 * transaction at the cost of one read_csv, but each committed INSERT into a committed table
 * costs about as much again. Only for on_error stop in memory: a failing chunk aborts the
 * transaction and everything staged in it, which only a load that stops there can afford (on
 * disk, a big load's uncommitted rows would wait in memory).
 */
async function startCsvTransaction(state: Loading): Promise<void> {
	if (!state.db.session) return;
	const session = await state.db.session();
	try {
		await session.query('BEGIN', state.signal);
	} catch (error) {
		await session.close();
		throw error;
	}
	state.transaction = session;
}

/** Ends the load's transaction, if one is open: COMMIT keeps what it staged, ROLLBACK drops it. */
async function endCsvTransaction(state: Loading, end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
	const session = state.transaction;
	if (!session) return;
	state.transaction = undefined;
	try {
		// Not interrupted by the signal: a cancelled load still rolls back.
		await session.query(end);
	} finally {
		await session.close();
	}
	if (end === 'ROLLBACK') state.created = false;
}

/**
 * Reads one CSV chunk into the staging table. Clean chunks take the fast path (strict read_csv,
 * no reject tables: DuckDB's reject bookkeeping costs more than the parse); a chunk that fails is
 * rolled back by DuckDB and read again with `store_rejects`, to name each bad row's line.
 */
async function insertCsvChunk(state: Loading, chunk: Extract<LoadChunk, { kind: 'csv' }>, dialect: CsvDialect): Promise<RejectedRow[]> {
	const { db, stage, signal } = state;
	const n = state.n++;
	const file = `${state.tag}_${n}.csv`;
	await db.registerFile(file, chunk.bytes);
	try {
		const target = () => (state.created ? `INSERT INTO ${stage} SELECT * FROM` : `CREATE TABLE ${stage} AS SELECT * FROM`);
		let strictError: unknown;
		try {
			const sql = `${target()} ${readCsvSql(file, dialect, undefined, false)}`;
			await (state.transaction ? state.transaction.query(sql, signal) : db.query(sql, signal));
			state.created = true;
			return [];
		} catch (error) {
			if (signal.aborted) throw error;
			strictError = error;
		}
		// The failed statement aborted the transaction: the load stops at this chunk, whose rejected rows say why.
		const stopping = state.transaction !== undefined;
		await endCsvTransaction(state, 'ROLLBACK');
		const rejects: RejectTables = { errors: `${state.tag}_rejects_${n}`, scans: `${state.tag}_scans_${n}` };
		// One connection runs both statements: the reject tables are temporary.
		const result = await db.query(
			`${target()} ${readCsvSql(file, dialect, rejects, false)};
SELECT line::DOUBLE AS line, column_name, error_type, csv_line, error_message, count(*) OVER ()::DOUBLE AS total
FROM ${quoteIdentifier(rejects.errors)} ORDER BY line LIMIT ${MAX_REJECTS}`,
			signal
		);
		state.created = true;
		const rows = result.toArray().map((r) => r.toJSON() as { line: number; column_name: string | null; error_type: string; csv_line: string; error_message: string; total: number });
		state.rejectedCount += rows[0]?.total ?? 0;
		// Nothing rejected, yet the strict read failed: the chunks rolled back with the transaction cannot be read again.
		if (stopping && rows.length === 0) throw strictError;
		return rows.map((r) => ({
			line: fileLine(chunk.firstLine, chunk.multiline, r.line),
			column: r.column_name ?? undefined,
			error: r.error_message || r.error_type,
			text: (r.csv_line ?? '').replace(/^[\r\n]+/, '').slice(0, 200)
		}));
	} finally {
		await db.dropFile(file).catch(() => {});
	}
}

/** Gives the load its own database file in OPFS; what is already staged in memory moves there. */
async function moveToDisk(state: Loading, cellName: string): Promise<void> {
	// The staged rows must be committed for the copy to see them; later chunks each commit their own.
	await endCsvTransaction(state, 'COMMIT');
	const catalog = diskCatalog(cellName, state.tag.slice(-8));
	await state.db.storage!.create(catalog);
	state.catalog = catalog;
	const stage = diskTableRef(catalog, state.stageName);
	if (state.created) await state.db.query(`CREATE TABLE ${stage} AS SELECT * FROM ${state.stage};\nDROP TABLE ${state.stage}`, state.signal);
	state.stage = stage;
}

/** Appends an Arrow chunk straight to the staging table (the first one creates it). */
async function insertArrowChunk(state: Loading, ipc: Uint8Array): Promise<void> {
	const where = state.catalog ? { catalog: state.catalog, schema: DISK_SCHEMA } : {};
	await state.db.insertArrowIPC(state.stageName, ipc, { append: state.created, ...where });
	state.created = true;
	state.signal.throwIfAborted();
}

/**
 * Explicit types for Parquet and Arrow files, which carry their own: each value must convert,
 * or its row is rejected (skip) or the load stops (stop), naming the row.
 */
async function applyTypes(state: Loading, columns: ColumnType[], name: string, onError: OnError): Promise<void> {
	if (columns.length === 0) return;
	const { db, stage, stageName, signal } = state;
	const typed = state.catalog ? diskTableRef(state.catalog, `${stageName}_typed`) : quoteIdentifier(`${stageName}_typed`);
	const bad = columns.map((c) => `(${quoteIdentifier(c.name)} IS NOT NULL AND TRY_CAST(${quoteIdentifier(c.name)} AS ${c.type}) IS NULL)`);
	const which = `coalesce(${columns.map((c, i) => `CASE WHEN ${bad[i]} THEN ${literal(c.name)} END`).join(', ')})`;
	const value = `coalesce(${columns.map((c, i) => `CASE WHEN ${bad[i]} THEN ${quoteIdentifier(c.name)}::VARCHAR END`).join(', ')})`;
	const failing = bad.join(' OR ');
	const rows = (
		await db.query(
			`SELECT (rowid + 1)::DOUBLE AS "row", count(*) OVER ()::DOUBLE AS "total", ${which} AS "column", ${value} AS "value" FROM ${stage} WHERE ${failing} ORDER BY rowid LIMIT ${MAX_REJECTS}`,
			signal
		)
	)
		.toArray()
		.map((r) => r.toJSON() as { row: number; total: number; column: string; value: string });
	if (rows.length > 0) {
		const type = (column: string) => columns.find((c) => c.name === column)?.type;
		const rejected = rows.map((r) => ({ line: r.row, column: r.column, error: `column "${r.column}": value cannot be read as ${type(r.column)}`, text: r.value }));
		if (onError === 'stop') {
			const first = rejected[0];
			throw new Error(
				`${name}, row ${first.line}: ${first.error} — "${first.text}" (${rows[0].total} row${rows[0].total === 1 ? '' : 's'} fail). Set on_error: skip to load the others and list them.`
			);
		}
		state.rejected.push(...rejected.slice(0, MAX_REJECTS - state.rejected.length));
		state.rejectedCount += rows[0].total;
	}
	const casts = columns.map((c) => `TRY_CAST(${quoteIdentifier(c.name)} AS ${c.type}) AS ${quoteIdentifier(c.name)}`).join(', ');
	await db.query(
		`CREATE TABLE ${typed} AS SELECT * REPLACE (${casts}) FROM ${stage} ${rows.length > 0 ? `WHERE NOT (${failing})` : ''} ORDER BY rowid;\nDROP TABLE ${stage};\nALTER TABLE ${typed} RENAME TO ${quoteIdentifier(stageName)}`,
		signal
	);
}

async function resolveSource(cellName: string, settings: ReturnType<typeof dataSettings>, inputs: Record<string, unknown>, services: CellServices): Promise<{ source: LoadSource; label: string }> {
	if (settings.file) {
		const value = inputs[settings.file];
		// Not a failure: the user has not picked the file yet (a shared link, another browser). The cell and its dependents wait for it.
		if (value === null || value === undefined) throw new WaitingError(`waiting for a file in ${settings.file} — pick it above`);
		if (!isDroppedFile(value)) throw new Error(`cell ${cellName}, field "file": "${settings.file}" is not an input cell of type file`);
		return { source: { kind: 'blob', blob: value.file, name: value.name }, label: `file: ${settings.file} (${value.name}, ${formatBytes(value.size)})` };
	}
	const url = settings.url!;
	if (url.startsWith(SERVER_PREFIX)) {
		let stored;
		try {
			stored = await serverLoadSource(url, services.resolveUrl);
		} catch (error) {
			throw new Error(`cell ${cellName}, field "url": ${(error as Error).message}`, { cause: error });
		}
		settings.request.format ??= stored.dataset.format;
		return { source: stored.source, label: `server: ${stored.dataset.name} v${stored.dataset.version} (${formatBytes(stored.dataset.size_bytes)})` };
	}
	return { source: urlLoadSource(url, url, services.resolveUrl), label: `url: ${url}` };
}

/**
 * A data cell loads a file (a URL, or a file input cell's file) into a DuckDB table named after
 * the cell. The loader worker reads and detects; chunks go into a staging table that replaces
 * the cell's table only when everything loaded.
 */
export const dataCell: CellRunner = {
	kind: 'data',
	inputs: (cell) => new Fields(cell).referenced(['file']),
	async run(cell, inputs, services, { signal, progress }): Promise<DataValue> {
		const fields = new Fields(cell);
		let settings: ReturnType<typeof dataSettings>;
		let mode: StorageMode;
		try {
			settings = dataSettings(fields.values);
			mode = parseStorageField(fields.values.storage);
		} catch (error) {
			throw new Error(`cell ${cell.name}, ${(error as Error).message}`, { cause: error });
		}
		const { source, label } = await resolveSource(cell.name, settings, inputs, services);
		if (!services.loader) throw new Error('this page has no dataset loader');
		// On a notebook just opened DuckDB is still starting: the loader opens the source and reads its
		// first chunk meanwhile, and only what needs DuckDB (placement, inserts) waits for it.
		const ready = services.db().then(async (db) => {
			const [memory, disk] = await Promise.all([memoryStatus(db, signal), diskStatus(db)]);
			return { db, memory, disk };
		});
		// Awaited below; a failure that comes first is reported there.
		ready.catch(() => {});
		/** Time spent only waiting for DuckDB to start: not part of the load's own seconds. */
		let waitedForDuckDB = 0;
		const duckdbStarted = async () => {
			const from = Date.now();
			try {
				return await ready;
			} finally {
				waitedForDuckDB += Date.now() - from;
			}
		};
		const { api, crashed } = await services.loader();
		performance.mark(`driftbook:${cell.name}:loader`);
		const jobId = crypto.randomUUID();
		const onAbort = () => void api.close(jobId);
		signal.addEventListener('abort', onAbort, { once: true });
		const started = Date.now();
		const tag = `__load_${cell.name}_${jobId.slice(0, 8)}`;
		const stageName = `${tag}_stage`;
		const stage = quoteIdentifier(stageName);
		let state: Loading | undefined;
		const status: LoadProgress = { cell: cell.name, source: source.name, phase: 'downloading', bytesDone: 0, bytesTotal: null, rows: 0, rowsTotal: null, startedAt: started };
		const report = (update: Partial<LoadProgress>) => reportLoad(Object.assign(status, update));
		const onOpenProgress = (done: number, total: number) => {
			report({ bytesDone: done, bytesTotal: total });
			progress(done, total);
		};
		try {
			report({});
			const fileName = source.name.split(/[?#]/)[0].split('/').pop() ?? source.name;
			const named = (error: unknown): never => {
				const message = (error as Error).message ?? String(error);
				if (signal.aborted || message.startsWith(fileName)) throw error;
				throw new Error(`${fileName}: ${message}`, { cause: error });
			};
			// A local file's size is known: refuse one that fits neither in memory nor on disk before reading any of it.
			if (source.kind === 'blob') {
				const { memory, disk } = await duckdbStarted();
				choosePlacement(fileName, estimateTableBytes(settings.request.format ?? formatFromName(fileName) ?? 'csv', source.blob.size), memory, disk, mode);
			}
			const opened = Date.now();
			const waitedBeforeOpen = waitedForDuckDB;
			const plan: LoadPlan = await Promise.race([api.open(jobId, source, settings.request, Comlink.proxy(onOpenProgress)), crashed]).catch(named);
			signal.throwIfAborted();
			performance.mark(`driftbook:${cell.name}:opened`);
			// The worker prepares the next chunk while DuckDB inserts this one (the first one while DuckDB starts).
			const fetchChunk = () => {
				const next = Promise.race([api.next(jobId), crashed]).catch(named);
				next.catch(() => {});
				return next;
			};
			let pending = fetchChunk();
			void pending.then(() => performance.mark(`driftbook:${cell.name}:first-chunk`));
			const { db, memory, disk } = await duckdbStarted();
			performance.mark(`driftbook:${cell.name}:duckdb`);
			signal.throwIfAborted();
			state = { db, stage, stageName, signal, created: false, rows: 0, rejected: [], rejectedCount: 0, tag, n: 0 };
			const name = plan.name.split('/').pop() ?? plan.name;
			let placement = choosePlacement(name, plan.estimatedBytes, memory, disk, mode);
			if (placement === 'disk') await moveToDisk(state, cell.name);
			else if (plan.csv && settings.request.onError === 'stop') await startCsvTransaction(state);
			report({ phase: 'parsing', bytesTotal: plan.size, rowsTotal: plan.rows });
			const phases = { open_s: (Date.now() - opened - (waitedForDuckDB - waitedBeforeOpen)) / 1000, wait_s: 0, insert_s: 0, finish_s: 0, loader_s: 0 };
			for (;;) {
				const waiting = Date.now();
				const chunk = await pending;
				phases.wait_s += (Date.now() - waiting) / 1000;
				signal.throwIfAborted();
				if (!chunk) break;
				phases.loader_s += (chunk.workMs ?? 0) / 1000;
				const inserting = Date.now();
				report({ phase: 'inserting' });
				pending = fetchChunk();
				// A download of unknown size is checked as it grows, and moves to disk when memory would not hold it.
				if (chunk.bytesTotal === null && choosePlacement(name, chunk.bytesDone, memory, disk, placement === 'disk' ? 'disk' : mode) !== placement) {
					await moveToDisk(state, cell.name);
					placement = 'disk';
				}
				if (chunk.kind === 'csv') {
					const rejected = await insertCsvChunk(state, chunk, plan.csv!.dialect);
					if (rejected.length > 0 && settings.request.onError === 'stop') {
						const more = state.rejectedCount > 1 ? ` (and ${state.rejectedCount - 1} more in this part of the file)` : '';
						throw new Error(`${describeReject(name, rejected[0])}${more}. Set on_error: skip to load the other rows and list the rejected ones.`);
					}
					state.rejected.push(...rejected.slice(0, MAX_REJECTS - state.rejected.length));
					state.rows += chunk.records - rejected.length;
					report({ phase: 'parsing', bytesDone: chunk.bytesDone, bytesTotal: chunk.bytesTotal, rows: state.rows });
					progress(chunk.bytesDone, chunk.bytesTotal ?? chunk.bytesDone);
				} else {
					if (chunk.rejected.length > 0 && settings.request.onError === 'stop') {
						throw new Error(`${describeReject(name, chunk.rejected[0])}. Set on_error: skip to load the other rows and list the rejected ones.`);
					}
					state.rejected.push(...chunk.rejected.slice(0, MAX_REJECTS - state.rejected.length));
					state.rejectedCount += chunk.rejected.length;
					await insertArrowChunk(state, chunk.ipc);
					state.rows += chunk.rows;
					report({ phase: 'parsing', bytesDone: chunk.bytesDone, bytesTotal: chunk.bytesTotal, rows: state.rows, rowsTotal: chunk.rowsTotal });
					// A stream's row count is known only at its end: bytes measure the progress until then.
					if (chunk.rowsTotal !== null) progress(chunk.rowsDone, chunk.rowsTotal);
					else progress(chunk.bytesDone, chunk.bytesTotal ?? chunk.bytesDone);
				}
				phases.insert_s += (Date.now() - inserting) / 1000;
			}
			performance.mark(`driftbook:${cell.name}:inserted`);
			report({ phase: 'finishing' });
			const finishing = Date.now();
			await endCsvTransaction(state, 'COMMIT');
			if (!state.created) {
				const columns = plan.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
				await db.query(`CREATE TABLE ${state.stage} (${columns || '"empty" VARCHAR'})`, signal);
				state.created = true;
			}
			const explicit = plan.format === 'parquet' || plan.format === 'arrow' ? (settings.request.columns ?? []) : [];
			for (const c of explicit) {
				if (!plan.columns.some((p) => p.name === c.name)) {
					throw new Error(`cell ${cell.name}, field "columns": the file has no column "${c.name}" (it has ${plan.columns.map((p) => p.name).join(', ')})`);
				}
			}
			await applyTypes(state, explicit, name, settings.request.onError);
			const table = quoteIdentifier(cell.name);
			const comment = `data cell ${cell.name} · ${label} · ${plan.format}`;
			await dropDataset(db, cell.name, signal);
			if (state.catalog) {
				// The notebook reads the disk table through a view under its plain name.
				await db.query(
					`ALTER TABLE ${state.stage} RENAME TO ${table};\nCREATE VIEW ${table} AS SELECT * FROM ${diskTableRef(state.catalog, cell.name)};\nCOMMENT ON VIEW ${table} IS ${literal(comment)};\nCHECKPOINT ${quoteIdentifier(state.catalog)}`,
					signal
				);
				state.catalog = undefined;
			} else {
				await db.query(`ALTER TABLE ${state.stage} RENAME TO ${table};\nCOMMENT ON TABLE ${table} IS ${literal(comment)}`, signal);
			}
			state.created = false;
			const ref = await describeTable(db, cell.name, signal);
			const typed = (await db.query(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${literal(cell.name)} ORDER BY ordinal_position`, signal))
				.toArray()
				.map((r) => r.toJSON() as ColumnType);
			const ended = Date.now();
			return {
				...ref,
				load: {
					source: label,
					fileName: name,
					format: plan.format,
					bytes: plan.size,
					rows: ref.rowCount,
					columns: typed,
					csv: plan.csv ? { ...plan.csv.dialect, detected: plan.csv.detected } : undefined,
					onError: settings.request.onError,
					rejected: state.rejected,
					rejectedCount: state.rejectedCount,
					notes: plan.notes,
					estimatedBytes: plan.estimatedBytes,
					placement,
					seconds: (ended - started - waitedForDuckDB) / 1000,
					phases: { ...phases, finish_s: (ended - finishing) / 1000 }
				}
			};
		} finally {
			signal.removeEventListener('abort', onAbort);
			void api.close(jobId);
			endLoad(cell.name);
			if (state) await endCsvTransaction(state, 'ROLLBACK').catch(() => {});
			if (state?.catalog) await state.db.storage?.remove(state.catalog).catch(() => {});
			else if (state?.created) await state.db.query(`DROP TABLE IF EXISTS ${state.stage}`).catch(() => {});
		}
	}
};
