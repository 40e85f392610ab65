import { afterEach, describe, expect, it } from 'vitest';
import { resultTable } from '#lib/cells/drift/drift.ts';

type Row = Parameters<typeof resultTable>[0][number];
const row = (over: Partial<Row>): Row => ({
	scope: 'column',
	column: null,
	kind: null,
	method: null,
	statistic: null,
	p_value: null,
	p_adjusted: null,
	threshold: null,
	lower_threshold: null,
	drifted: null,
	effect_size: null,
	window: null,
	window_start: null,
	period: null,
	segment_column: null,
	segment_value: null,
	reference_count: null,
	current_count: null,
	...over
});

const realFunction = globalThis.Function;
afterEach(() => {
	globalThis.Function = realFunction;
});

describe('drift result table', () => {
	it('is built without compiling code from strings (the page CSP has no unsafe-eval)', () => {
		// As under the CSP: the Function constructor refuses.
		globalThis.Function = new Proxy(realFunction, {
			construct: () => {
				throw new EvalError('code generation from strings is disallowed');
			},
			apply: () => {
				throw new EvalError('code generation from strings is disallowed');
			}
		});
		const table = resultTable([
			row({ column: 'tenure', method: 'ks', statistic: 0.25, p_value: 0.01, drifted: true, window_start: Date.UTC(2026, 0, 5), current_count: 40 }),
			row({ scope: 'dataset', drifted: false })
		]);
		globalThis.Function = realFunction;
		expect(table.numRows).toBe(2);
		const [first, second] = table.toArray().map((r) => r.toJSON());
		expect(first).toMatchObject({
			scope: 'column',
			column: 'tenure',
			method: 'ks',
			statistic: 0.25,
			p_value: 0.01,
			drifted: true,
			current_count: 40,
			threshold: null
		});
		expect(Number(first.window_start)).toBe(Date.UTC(2026, 0, 5));
		// Nulls stay nulls (not 0, NaN or "null").
		expect(second).toMatchObject({ scope: 'dataset', column: null, statistic: null, drifted: false, window_start: null, current_count: null });
		expect(table.getChild('statistic')!.nullCount).toBe(1);
	});
});
