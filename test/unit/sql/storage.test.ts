import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyDatabaseFile } from '#lib/sql/storage.ts';

describe('the empty database image', () => {
	it('is a database native DuckDB opens, writes and reads', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftbook-opfs-'));
		try {
			const path = join(dir, 'seed.duckdb');
			writeFileSync(path, emptyDatabaseFile());
			const instance = await DuckDBInstance.create(':memory:');
			const conn = await instance.connect();
			await conn.run(`ATTACH '${path}' AS seed`);
			await conn.run('CREATE TABLE seed.t AS SELECT range AS x FROM range(1000)');
			const rows = (await conn.runAndReadAll('SELECT sum(x)::INTEGER AS s FROM seed.t')).getRowObjectsJson();
			expect(rows).toEqual([{ s: 499500 }]);
			conn.closeSync();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
