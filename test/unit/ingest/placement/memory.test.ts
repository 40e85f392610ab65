import { describe, expect, it } from 'vitest';
import { describeLimit, estimateTableBytes, parseSize, usableBytes, WASM_MAX_BYTES } from '#lib/ingest/placement/memory.ts';
import { formatBytes } from '#lib/format/number.ts';

describe('memory limits', () => {
	it('reads DuckDB sizes and caps the limit at 4 GiB of wasm32', () => {
		expect(parseSize('3.1 GiB')).toBeCloseTo(3.1 * 1024 ** 3);
		expect(parseSize('512.0 MB')).toBe(512e6);
		expect(parseSize('0 bytes')).toBe(0);
		expect(() => parseSize('lots')).toThrow();
		expect(usableBytes({ duckdbLimit: 25e9, duckdbUsed: 0 })).toBe(WASM_MAX_BYTES);
		expect(usableBytes({ duckdbLimit: 1e9, duckdbUsed: 0 })).toBe(1e9);
		expect(formatBytes(1_234_567)).toBe('1.2 MB');
		expect(describeLimit({ duckdbLimit: 3e9, duckdbUsed: 2e8, jsHeapLimit: 4e9 })).toContain('at most 3.0 GB');
	});

	it('estimates a table from its file size and format', () => {
		expect(estimateTableBytes('parquet', 100, 400)).toBe(400);
		expect(estimateTableBytes('csv', 100)).toBe(100);
	});
});
