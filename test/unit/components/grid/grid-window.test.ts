import { describe, expect, it } from 'vitest';
import { blockSpan, blocksOf, columnAt, columnOffsets, columnWindow, matchColumns, rowWindow, scrollLeftFor } from '#lib/components/grid/grid-window.ts';

describe('column window math', () => {
	const widths = [100, 50, 200, 80, 120];
	const offsets = columnOffsets(widths);

	it('sums widths into left edges and a total', () => {
		expect([...offsets]).toEqual([0, 100, 150, 350, 430, 550]);
		expect([...columnOffsets([])]).toEqual([0]);
	});

	it('finds the column under a pixel, clamped to the table', () => {
		expect(columnAt(offsets, -5)).toBe(0);
		expect(columnAt(offsets, 0)).toBe(0);
		expect(columnAt(offsets, 99.5)).toBe(0);
		expect(columnAt(offsets, 100)).toBe(1);
		expect(columnAt(offsets, 349)).toBe(2);
		expect(columnAt(offsets, 350)).toBe(3);
		expect(columnAt(offsets, 549)).toBe(4);
		expect(columnAt(offsets, 10_000)).toBe(4);
		expect(columnAt(columnOffsets([]), 10)).toBe(0);
	});

	it('keeps the columns in view plus overscan, and nothing for an empty table', () => {
		expect(columnWindow(offsets, 0, 120, 0)).toEqual({ from: 0, to: 2 });
		expect(columnWindow(offsets, 140, 220, 0)).toEqual({ from: 1, to: 4 });
		expect(columnWindow(offsets, 140, 220, 1)).toEqual({ from: 0, to: 5 });
		expect(columnWindow(offsets, 500, 1000, 2)).toEqual({ from: 2, to: 5 });
		expect(columnWindow(columnOffsets([]), 0, 500)).toEqual({ from: 0, to: 0 });
	});

	it('puts a small, fixed number of 10,000 columns in the DOM wherever one scrolls, with resized widths kept', () => {
		const many = Array.from({ length: 10_000 }, (_, i) => (i === 5000 ? 900 : 110));
		const o = columnOffsets(many);
		expect(o[10_000]).toBe(9_999 * 110 + 900);
		for (const left of [0, 1234, 550_000, o[10_000] - 1200]) {
			const w = columnWindow(o, left, 1200, 2);
			expect(w.to - w.from).toBeLessThanOrEqual(Math.ceil(1200 / 110) + 1 + 4);
			// Every pixel of the viewport is covered by a rendered column.
			expect(o[w.from]).toBeLessThanOrEqual(left);
			expect(o[w.to]).toBeGreaterThanOrEqual(Math.min(o[10_000], left + 1200));
		}
		const wide = columnWindow(o, o[5000] + 10, 800, 0);
		expect(wide).toEqual({ from: 5000, to: 5001 });
		const last = columnWindow(o, scrollLeftFor(o, 9_999, 1200), 1200, 2);
		expect(last.to).toBe(10_000);
	});

	it('scrolls a column to the left edge, or as far as the end allows', () => {
		expect(scrollLeftFor(offsets, 2, 100)).toBe(150);
		expect(scrollLeftFor(offsets, 4, 300)).toBe(250);
		expect(scrollLeftFor(offsets, 99, 100)).toBe(430);
		expect(scrollLeftFor(offsets, -3, 100)).toBe(0);
		expect(scrollLeftFor(offsets, 3, 10_000)).toBe(0);
	});

	it('covers a span with blocks and maps a block back to its span', () => {
		expect(blocksOf({ from: 0, to: 64 }, 64)).toEqual([0]);
		expect(blocksOf({ from: 60, to: 70 }, 64)).toEqual([0, 1]);
		expect(blocksOf({ from: 9_990, to: 10_000 }, 64)).toEqual([156]);
		expect(blocksOf({ from: 5, to: 5 }, 64)).toEqual([]);
		expect(blockSpan(156, 64, 10_000)).toEqual({ from: 9_984, to: 10_000 });
		expect(blockSpan(0, 64, 3)).toEqual({ from: 0, to: 3 });
	});

	it('windows a fixed-height list', () => {
		expect(rowWindow(0, 100, 0, 500)).toEqual({ from: 0, to: 0, top: 0 });
		expect(rowWindow(100, 100, 0, 500, 1)).toEqual({ from: 0, to: 6, top: 0 });
		expect(rowWindow(100, 100, 1050, 500, 1)).toEqual({ from: 9, to: 17, top: 900 });
		expect(rowWindow(10, 100, 5000, 500, 1)).toEqual({ from: 8, to: 10, top: 800 });
	});
});

describe('jump to column', () => {
	const names = ['id', 'c_10', 'C_1', 'c_100', 'label', 'c_1x', 'abc_1'];

	it('ranks exact names, then prefixes, then substrings, each in table order, case-insensitively', () => {
		expect(matchColumns(names, 'c_1')).toEqual([2, 1, 3, 5, 6]);
		expect(matchColumns(names, '  LABEL ')).toEqual([4]);
		expect(matchColumns(names, 'zzz')).toEqual([]);
		expect(matchColumns(names, '   ')).toEqual([]);
	});

	it('stops at the limit on 10,000 names', () => {
		const many = Array.from({ length: 10_000 }, (_, i) => `col_${i}`);
		expect(matchColumns(many, 'col_9999')).toEqual([9999]);
		expect(matchColumns(many, 'col_999', 5)).toEqual([999, 9990, 9991, 9992, 9993]);
		expect(matchColumns(many, '_5', 3)).toEqual([5, 50, 51]);
	});
});
