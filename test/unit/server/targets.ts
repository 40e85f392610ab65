import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { StoreKind, StoreOptions } from '#server/store/index.ts';

/** Set in CI (postgres://postgres@127.0.0.1:5432/test); without it only the PGlite half runs. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** A fresh, empty database of one kind: a temp PGlite directory or a random PostgreSQL schema. */
export interface StoreTarget {
	kind: StoreKind;
	options: StoreOptions;
	/** A scratch directory for fixtures (notebooks), removed with the target. */
	dir: string;
	dispose(): Promise<void>;
}

export interface TargetFactory {
	kind: StoreKind;
	enabled: boolean;
	create(): Promise<StoreTarget>;
}

async function scratch(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'driftbook-test-'));
}

export const targets: TargetFactory[] = [
	{
		kind: 'pglite',
		enabled: true,
		async create() {
			const dir = await scratch();
			const dataDir = join(dir, 'data');
			// A copy of the run's empty PGlite directory (test/support/pglite-template.ts): the same
			// fresh database as a new directory, without paying for initdb every time.
			const template = inject('pgliteTemplate');
			if (template) await cp(template, dataDir, { recursive: true });
			return { kind: 'pglite', options: { dataDir }, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
		}
	},
	{
		kind: 'postgres',
		enabled: TEST_DATABASE_URL !== undefined,
		async create() {
			const dir = await scratch();
			const schema = `driftbook_test_${randomBytes(6).toString('hex')}`;
			return {
				kind: 'postgres',
				options: { databaseUrl: TEST_DATABASE_URL, schema },
				dir,
				async dispose() {
					const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
					await client.connect();
					try {
						await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
					} finally {
						await client.end();
					}
					await rm(dir, { recursive: true, force: true });
				}
			};
		}
	}
];

export function warnIfPostgresSkipped(file: string): void {
	if (!TEST_DATABASE_URL) {
		console.warn(`[${file}] TEST_DATABASE_URL is not set: the PostgreSQL half of these tests was NOT run (PGlite only).`);
	}
}
