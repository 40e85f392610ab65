import { describe, expect, it } from 'vitest';
import { childRowLoader } from '#server/store/child-rows.ts';
import type { Queryable } from '#server/store/index.ts';

function recording(rows: Record<string, unknown>[]) {
	const calls: { sql: string; params: readonly unknown[] }[] = [];
	const db: Queryable = {
		query: async <T>(sql: string, params: readonly unknown[] = []) => {
			calls.push({ sql, params });
			return rows as T[];
		}
	};
	return { db, calls };
}

describe('childRowLoader', () => {
	it('loads one table for every parent in one query and groups the rows by parent', async () => {
		const { db, calls } = recording([
			{ run_id: 'a', key: 'k1', value: '1' },
			{ run_id: 'b', key: 'k1', value: '2' },
			{ run_id: 'a', key: 'k2', value: '3' }
		]);
		const params = await childRowLoader(db, ['run_id'], ['a', 'b', 'c'])('mlflow_params', 'key, value', 'key');
		expect(calls).toEqual([{ sql: 'SELECT run_id, key, value FROM mlflow_params WHERE run_id IN ($1, $2, $3) ORDER BY key', params: ['a', 'b', 'c'] }]);
		expect(params('a').map((r) => r.value)).toEqual(['1', '3']);
		expect(params('b').map((r) => r.value)).toEqual(['2']);
		expect(params('c')).toEqual([]);
	});

	it('matches composite keys as text, with typed placeholders', async () => {
		const { db, calls } = recording([{ name: 'm', version: 2, alias: 'champion' }]);
		const load = childRowLoader(
			db,
			['name', { column: 'version', type: 'integer' }],
			[
				['m', '2'],
				['m', 3]
			]
		);
		const aliases = await load('mlflow_registered_model_aliases', 'alias', 'alias');
		expect(calls[0].sql).toBe(
			'SELECT name, version, alias FROM mlflow_registered_model_aliases WHERE (name, version) IN (($1, $2::integer), ($3, $4::integer)) ORDER BY alias'
		);
		expect(aliases(['m', '2']).map((r) => r.alias)).toEqual(['champion']);
		expect(aliases(['m', 3])).toEqual([]);
	});

	it('asks nothing when there are no parents', async () => {
		const { db, calls } = recording([]);
		const tags = await childRowLoader(db, ['run_id'], [])('mlflow_run_tags', 'key, value', 'key');
		expect(calls).toEqual([]);
		expect(tags('a')).toEqual([]);
	});
});
