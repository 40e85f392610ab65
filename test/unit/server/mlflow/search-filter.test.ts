import { describe, expect, it } from 'vitest';
import { MlflowError } from '#server/mlflow/errors.ts';
import { RUN_SEARCH } from '#server/tracking/runs.ts';
import { compileFilter, compileOrderBy, parseFilter, parseOrderBy, SqlParams, type Comparison } from '#server/mlflow/search-filter.ts';

describe('MLflow filter parser', () => {
	const cases: [string, Comparison[]][] = [
		['', []],
		['   ', []],
		['metrics.rmse < 1', [{ prefix: 'metrics', key: 'rmse', op: '<', value: { kind: 'number', value: 1, text: '1' } }]],
		['metric.acc >= -0.5e1', [{ prefix: 'metric', key: 'acc', op: '>=', value: { kind: 'number', value: -5, text: '-0.5e1' } }]],
		["params.model = 'lr'", [{ prefix: 'params', key: 'model', op: '=', value: { kind: 'string', value: 'lr' } }]],
		['params.model = "lr"', [{ prefix: 'params', key: 'model', op: '=', value: { kind: 'string', value: 'lr' } }]],
		["tags.`my key` != 'x'", [{ prefix: 'tags', key: 'my key', op: '!=', value: { kind: 'string', value: 'x' } }]],
		['tags."my-key" <> \'x\'', [{ prefix: 'tags', key: 'my-key', op: '!=', value: { kind: 'string', value: 'x' } }]],
		["tags.mlflow.runName LIKE 'a%'", [{ prefix: 'tags', key: 'mlflow.runName', op: 'LIKE', value: { kind: 'string', value: 'a%' } }]],
		["`run name` ilike 'A%'", [{ key: 'run name', op: 'ILIKE', value: { kind: 'string', value: 'A%' } }]],
		['"run_name" = \'x\'', [{ key: 'run_name', op: '=', value: { kind: 'string', value: 'x' } }]],
		["run_id IN ('a', 'b')", [{ key: 'run_id', op: 'IN', value: { kind: 'list', values: ['a', 'b'] } }]],
		["run_id not in ('a')", [{ key: 'run_id', op: 'NOT IN', value: { kind: 'list', values: ['a'] } }]],
		["params.q = 'it''s'", [{ prefix: 'params', key: 'q', op: '=', value: { kind: 'string', value: "it's" } }]],
		["params.q = 'it\\'s'", [{ prefix: 'params', key: 'q', op: '=', value: { kind: 'string', value: "it's" } }]],
		[
			"metrics.a > 1 AND params.b = 'c' and tags.d != 'e'",
			[
				{ prefix: 'metrics', key: 'a', op: '>', value: { kind: 'number', value: 1, text: '1' } },
				{ prefix: 'params', key: 'b', op: '=', value: { kind: 'string', value: 'c' } },
				{ prefix: 'tags', key: 'd', op: '!=', value: { kind: 'string', value: 'e' } }
			]
		]
	];
	it.each(cases)('parses %j', (filter, expected) => {
		expect(parseFilter(filter)).toEqual(expected);
	});

	it.each([
		'metrics.rmse',
		'metrics.rmse <',
		'< 1',
		"params.a = 'x' OR params.b = 'y'",
		"params.a = 'x' params.b = 'y'",
		"params.a = 'unterminated",
		"run_id IN 'a'",
		"run_id IN ('a',)",
		'metrics. < 1',
		"params.a = 'x';",
		'metrics.a = 1 AND'
	])('refuses %j with INVALID_PARAMETER_VALUE', (filter) => {
		let error: unknown;
		try {
			parseFilter(filter);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(MlflowError);
		expect((error as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
		expect((error as MlflowError).status).toBe(400);
	});

	it('parses order_by clauses', () => {
		expect(parseOrderBy('metrics.rmse')).toEqual({ prefix: 'metrics', key: 'rmse', ascending: true });
		expect(parseOrderBy('params.`a b` DESC')).toEqual({ prefix: 'params', key: 'a b', ascending: false });
		expect(parseOrderBy('start_time asc')).toEqual({ key: 'start_time', ascending: true });
		expect(() => parseOrderBy('start_time up')).toThrow(MlflowError);
		expect(() => parseOrderBy('')).toThrow(MlflowError);
	});

	it('compiles to SQL with every key and value as a bind parameter', () => {
		const hostile = "x'); DROP TABLE mlflow_runs; --";
		const params = new SqlParams();
		const sql = compileFilter(
			RUN_SEARCH,
			parseFilter(`params.\`${hostile}\` = '${hostile.replace(/'/g, "''")}' AND metrics.m > 2 AND run_id IN ('${hostile.replace(/'/g, "''")}')`),
			params
		);
		expect(sql).not.toContain('DROP');
		expect(sql).not.toContain(hostile);
		expect(params.values).toEqual([hostile, hostile, 'm', 2, hostile]);
		const order = compileOrderBy(RUN_SEARCH, [`tags.\`${hostile}\` DESC`], params);
		expect(order.terms.join()).not.toContain('DROP');
		expect(params.values.at(-1)).toBe(hostile);
	});
});
