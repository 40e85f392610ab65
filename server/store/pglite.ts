import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock';
import { checkSchemaName } from './schema-name';
import type { Store, Transaction } from './types';

interface OpenDatabase {
	db: Promise<PGlite>;
	/** Gives the directory's lock back (see data-dir-lock.ts). */
	unlock: () => void;
	schema: string | undefined;
	/** Stores handed out and not yet closed; the database closes with the last one. */
	refs: number;
}

// One PGlite per data directory per process: two instances on one directory corrupt it, and the
// dev server re-evaluates modules, so the cache lives on globalThis rather than in this module.
const CACHE = Symbol.for('driftbook.pglite');
type GlobalWithCache = typeof globalThis & { [CACHE]?: Map<string, OpenDatabase> };

function cache(): Map<string, OpenDatabase> {
	const g = globalThis as GlobalWithCache;
	return (g[CACHE] ??= new Map());
}

async function create(dataDir: string, schema: string | undefined): Promise<PGlite> {
	const db = await PGlite.create(dataDir);
	// One session serves every query, so a session-level search_path holds for all of them.
	// The schema itself is created by the migration step, under its lock.
	if (schema) await db.exec(`SET search_path TO ${schema}`);
	return db;
}

function wrapTransaction(tx: PGliteTransaction): Transaction {
	return {
		query: async <T>(sql: string, params?: readonly unknown[]) => (await tx.query<T>(sql, params ? [...params] : undefined)).rows,
		exec: async (sql: string) => {
			await tx.exec(sql);
		}
	};
}

export async function openPglite(dataDirOption: string, schemaOption?: string): Promise<Store> {
	const dataDir = resolve(dataDirOption);
	const schema = schemaOption === undefined ? undefined : checkSchemaName(schemaOption);
	const databases = cache();
	let entry = databases.get(dataDir);
	if (entry && entry.schema !== schema) {
		throw new Error(`PGlite at ${dataDir} is already open with schema ${entry.schema ?? '(default)'}, not ${schema ?? '(default)'}`);
	}
	if (!entry) {
		mkdirSync(dataDir, { recursive: true });
		// Throws when another process has the directory open.
		const unlock = lockDataDir(dataDir);
		const opening = create(dataDir, schema);
		entry = { db: opening, unlock, schema, refs: 0 };
		databases.set(dataDir, entry);
		// A failed open must not stick in the cache: the next call gets to try again.
		const failed = entry;
		opening.catch(() => {
			if (databases.get(dataDir) === failed) databases.delete(dataDir);
			unlock();
		});
	}
	const shared = entry;
	shared.refs++;
	let db: PGlite;
	try {
		db = await shared.db;
	} catch (error) {
		shared.refs--;
		throw error;
	}

	let closed = false;
	return {
		kind: 'pglite',
		query: async <T>(sql: string, params?: readonly unknown[]) => (await db.query<T>(sql, params ? [...params] : undefined)).rows,
		// PGlite rolls back and rethrows when the callback throws.
		transaction: (fn) => db.transaction((tx) => fn(wrapTransaction(tx))),
		close: async () => {
			if (closed) return;
			closed = true;
			if (--shared.refs > 0) return;
			if (databases.get(dataDir) === shared) databases.delete(dataDir);
			try {
				await db.close();
			} finally {
				shared.unlock();
			}
		}
	};
}
