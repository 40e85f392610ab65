/**
 * Where a loaded table lives: in DuckDB's memory, or on disk in the browser's Origin Private File
 * System (OPFS) when it would not fit in memory (src/lib/ingest/placement decides which). Each
 * disk-backed table is its own DuckDB database file, attached to the in-memory main database; the notebook reads it through a view in main
 * under its plain name, so SQL, drift and model cells work unchanged. Files live under
 * `driftbook/<instance>/` in OPFS; every DuckDB instance holds a Web Lock named after its folder,
 * so a starting instance knows which folders belong to closed tabs (no lock) and deletes them.
 */
import { literal, quoteIdentifier } from './identifiers';

export type Placement = 'memory' | 'disk';

/** What the OPFS side can take now. */
export type DiskStatus = { available: true; quota: number; usage: number } | { available: false; reason: string };

/** Disk-backed tables are attached as catalogs with this prefix, their table in schema DISK_SCHEMA. */
export const DISK_CATALOG_PREFIX = '__disk_';
export const DISK_SCHEMA = 'driftbook';
const OPFS_ROOT = 'driftbook';
const LOCK_PREFIX = 'driftbook-opfs:';

/**
 * An empty DuckDB database file (storage version 64, readable by DuckDB 1.0 and later): its three
 * 4 KiB headers, of which only the first 94 bytes are not zero. DuckDB-WASM 1.32 cannot create a
 * database in a new, empty OPFS file ("exists, but it is not a valid DuckDB database file"), so
 * each disk table's file starts as this image. Written once by native DuckDB (CHECKPOINT of a new
 * database), bytes copied here.
 */
const EMPTY_DATABASE_HEADERS = [
	'942d895a816e8f0f4455434b4000000000000000000000000000000000000000000000000000000000000000000000000000000076312e352e36000000000000000000000000000000000000000000000000000030363963633966396235',
	'fc116154d22f8c1e0000000000000000ffffffffffffffffffffffffffffffff0000000000000000000004000000000000080000000000000200000000000000000000000000000000000000000000000000000030363963633966396235',
	'fc116154d22f8c1e0000000000000000ffffffffffffffffffffffffffffffff0000000000000000000004000000000000080000000000000200000000000000000000000000000000000000000000000000000030363963633966396235'
];

export function emptyDatabaseFile(): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(new ArrayBuffer(3 * 4096));
	EMPTY_DATABASE_HEADERS.forEach((hex, block) =>
		bytes.set(
			Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)),
			block * 4096
		)
	);
	return bytes;
}

/** The OPFS side of one DuckDB instance: disk tables' files, and the space they use. */
export interface DiskStorage {
	status(): Promise<DiskStatus>;
	/** Creates database file `<catalog>.duckdb` and attaches it as `catalog`, with schema DISK_SCHEMA. */
	create(catalog: string): Promise<string>;
	/** Detaches `catalog` (if attached) and deletes its files. */
	remove(catalog: string): Promise<void>;
	/** Deletes this instance's files and releases its lock, once its DuckDB worker is gone (no SQL). */
	close(): Promise<void>;
}

/** Storage for a DuckDB without OPFS: every status says why, and nothing can go to disk. */
export function noDiskStorage(reason: string): DiskStorage {
	const refuse = async (): Promise<never> => {
		throw new Error(`no disk storage: ${reason}`);
	};
	return { status: async () => ({ available: false, reason }), create: refuse, remove: async () => {}, close: async () => {} };
}

/** What storage needs of DuckDB-WASM: its OPFS file registration and SQL. */
export interface OpfsDuckDB {
	registerOPFSFileName(name: string): Promise<unknown>;
	dropFile(name: string): Promise<unknown>;
}

/** The OPFS API this browser lacks, or undefined when it has it. */
export function opfsMissing(): string | undefined {
	if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory)
		return 'this browser has no Origin Private File System (navigator.storage.getDirectory), so tables can live only in memory';
	if (!navigator.locks) return "this browser has no Web Locks, which keep tabs from deleting each other's disk tables";
	return undefined;
}

/** A disk table's catalog name: unique per load, so a re-run never writes into the file being read. */
export function diskCatalog(table: string, tag: string): string {
	return `${DISK_CATALOG_PREFIX}${table}_${tag}`;
}

/** Deletes the folders of DuckDB instances whose tab is gone (their lock is free). */
async function removeStale(root: FileSystemDirectoryHandle, own: string): Promise<void> {
	const held = new Set(((await navigator.locks.query()).held ?? []).map((l) => l.name));
	for await (const [name] of (root as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
		if (name === own || held.has(LOCK_PREFIX + name)) continue;
		// A folder another live instance is still creating has its lock already: see openDiskStorage.
		await root.removeEntry(name, { recursive: true }).catch(() => {});
	}
}

/**
 * The disk side of a new DuckDB instance, or why there is none. `run` executes SQL on the
 * instance. Takes the instance's Web Lock first, then removes stale folders of closed tabs.
 */
export async function openDiskStorage(db: OpfsDuckDB, run: (sql: string) => Promise<unknown>): Promise<DiskStorage> {
	const missing = opfsMissing();
	if (missing) return noDiskStorage(missing);
	const id = crypto.randomUUID();
	let release!: () => void;
	const lockHeld = new Promise<void>((resolve) => {
		void navigator.locks.request(LOCK_PREFIX + id, () => {
			resolve();
			return new Promise<void>((r) => (release = r));
		});
	});
	await lockHeld;
	let root: FileSystemDirectoryHandle;
	let folder: FileSystemDirectoryHandle;
	try {
		root = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_ROOT, { create: true });
		await removeStale(root, id);
		folder = await root.getDirectoryHandle(id, { create: true });
	} catch (error) {
		release();
		return noDiskStorage(`the Origin Private File System cannot be opened (${(error as Error).message})`);
	}
	/** Writes the empty database image into a new file in this instance's folder. */
	const seed = async (file: string) => {
		const writable = await (await folder.getFileHandle(file, { create: true })).createWritable();
		await writable.write(emptyDatabaseFile());
		await writable.close();
	};
	// DuckDB's worker writes through OPFS sync access handles (workers only): try one before promising disk.
	const probe = `opfs://${OPFS_ROOT}/${id}/probe`;
	try {
		await seed('probe');
		await db.registerOPFSFileName(probe);
		// DuckDB-WASM 1.32 cannot write an OPFS write-ahead log ("File is not opened in write mode"):
		// a checkpoint at every commit writes straight to the database file instead. In-memory main never checkpoints.
		await run(`SET GLOBAL checkpoint_threshold = '0KB'`);
	} catch (error) {
		await root.removeEntry(id, { recursive: true }).catch(() => {});
		release();
		return noDiskStorage(`DuckDB-WASM cannot write files in this browser's Origin Private File System (${(error as Error).message})`);
	} finally {
		await db.dropFile(probe).catch(() => {});
	}
	await folder.removeEntry('probe').catch(() => {});
	const path = (catalog: string) => `opfs://${OPFS_ROOT}/${id}/${catalog}.duckdb`;
	/** The files DuckDB keeps for one database: the file and its write-ahead log. */
	const files = (catalog: string) => [path(catalog), `${path(catalog)}.wal`];
	const attached = new Set<string>();

	async function remove(catalog: string): Promise<void> {
		if (attached.delete(catalog)) await run(`DETACH DATABASE IF EXISTS ${quoteIdentifier(catalog)}`);
		for (const file of files(catalog)) {
			await db.dropFile(file).catch(() => {});
			await folder.removeEntry(file.split('/').pop()!).catch(() => {});
		}
	}

	return {
		async status() {
			const estimate = await navigator.storage.estimate();
			return { available: true, quota: estimate.quota ?? 0, usage: estimate.usage ?? 0 };
		},
		async create(catalog) {
			await seed(`${catalog}.duckdb`);
			for (const file of files(catalog)) await db.registerOPFSFileName(file);
			try {
				await run(`ATTACH ${literal(path(catalog))} AS ${quoteIdentifier(catalog)}`);
				attached.add(catalog);
				await run(`CREATE SCHEMA ${quoteIdentifier(catalog)}.${quoteIdentifier(DISK_SCHEMA)}`);
			} catch (error) {
				await remove(catalog);
				throw error;
			}
			return path(catalog);
		},
		remove,
		async close() {
			attached.clear();
			await root.removeEntry(id, { recursive: true }).catch(() => {});
			release();
		}
	};
}

/** Minimal SQL access, so this module works with any connector. */
interface Sql {
	query(sql: string, signal?: AbortSignal): Promise<{ toArray(): Array<{ toJSON(): unknown }> }>;
	storage?: DiskStorage;
}

/** The disk catalogs holding table `name` (normally one; more only after an interrupted replacement). */
export function diskCatalogsQuery(name: string): string {
	return `SELECT database_name AS catalog FROM duckdb_tables() WHERE schema_name = ${literal(DISK_SCHEMA)} AND table_name = ${literal(name)} AND starts_with(database_name, ${literal(DISK_CATALOG_PREFIX)}) ORDER BY database_name`;
}

/** How `name` exists in main: a table, a view, or not at all. */
export function mainObjectQuery(name: string): string {
	return `SELECT 'table' AS kind FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${literal(name)}
UNION ALL SELECT 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND view_name = ${literal(name)} AND NOT internal`;
}

export function diskTableRef(catalog: string, name: string): string {
	return `${quoteIdentifier(catalog)}.${quoteIdentifier(DISK_SCHEMA)}.${quoteIdentifier(name)}`;
}

async function rows<T>(db: Sql, sql: string, signal?: AbortSignal): Promise<T[]> {
	return (await db.query(sql, signal)).toArray().map((r) => r.toJSON() as T);
}

/**
 * Drops dataset `name` wherever it lives: a table in memory, or the view over a disk table and
 * that table's database file. Nothing happens when there is none.
 */
export async function dropDataset(db: Sql, name: string, signal?: AbortSignal): Promise<void> {
	const [main, disk] = await Promise.all([
		rows<{ kind: string }>(db, mainObjectQuery(name), signal),
		rows<{ catalog: string }>(db, diskCatalogsQuery(name), signal)
	]);
	for (const { kind } of main) await db.query(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdentifier(name)}`, signal);
	for (const { catalog } of disk) await db.storage?.remove(catalog);
}

/**
 * The real table behind dataset `name`, which has rowids: the disk table behind its view, or the
 * table itself; already quoted. Undefined for a view over a query (no rowids) or nothing.
 */
export async function rowidTable(db: Sql, name: string, signal?: AbortSignal): Promise<string | undefined> {
	const main = await rows<{ kind: string }>(db, mainObjectQuery(name), signal);
	if (main[0]?.kind === 'table') return quoteIdentifier(name);
	if (main[0]?.kind !== 'view') return undefined;
	const disk = await rows<{ catalog: string }>(db, diskCatalogsQuery(name), signal);
	return disk.length > 0 ? diskTableRef(disk[disk.length - 1].catalog, name) : undefined;
}

/**
 * What to scan for dataset `name` where a real table is needed (rowid): the disk table behind its
 * view, or the table itself; already quoted.
 */
export async function tableSource(db: Sql, name: string): Promise<string> {
	return (await rowidTable(db, name)) ?? quoteIdentifier(name);
}
