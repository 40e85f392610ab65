import { describe, expect, it } from 'vitest';
import { RecordBatch, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { ipcRowCount } from '#lib/cells/core/stats-input.ts';

// A table of several record batches, as DuckDB sends its results.
function batches(sizes: number[]): Table {
	const parts = sizes.map((n, b) =>
		tableFromArrays({ x: Float64Array.from({ length: n }, (_, i) => b * 1000 + i), k: Int32Array.from({ length: n }, (_, i) => i % 7) })
	);
	const schema = parts[0].schema;
	return new Table(
		schema,
		parts.flatMap((t) => t.batches.map((b) => new RecordBatch(schema, b.data)))
	);
}

describe('ipcRowCount', () => {
	for (const format of ['file', 'stream'] as const) {
		it(`counts the rows of every record batch (${format} format)`, () => {
			const table = batches([3, 2048, 0, 17]);
			expect(table.batches.length).toBe(4);
			expect(ipcRowCount(tableToIPC(table, format))).toBe(2068);
		});
		it(`is 0 for a table with no rows (${format} format)`, () => {
			expect(ipcRowCount(tableToIPC(batches([0]), format))).toBe(0);
			expect(ipcRowCount(tableToIPC(batches([5]).slice(0, 0), format))).toBe(0);
		});
	}
});
