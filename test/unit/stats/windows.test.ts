import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { assignWindows, describeWindow, parseWindow, selectColumns, selectRows, windowRows, columnFromStrings, type Column } from '#lib/stats/index.ts';

const DAY = 86_400_000;

describe('parseWindow', () => {
	it('reads day, week and row counts', () => {
		expect(parseWindow('day')).toEqual({ unit: 'day' });
		expect(parseWindow(' Week ')).toEqual({ unit: 'week' });
		expect(parseWindow('5000 rows')).toEqual({ unit: 'rows', size: 5000 });
		expect(parseWindow('5,000 rows')).toEqual({ unit: 'rows', size: 5000 });
		expect(parseWindow('1 row')).toEqual({ unit: 'rows', size: 1 });
		expect(parseWindow('250')).toEqual({ unit: 'rows', size: 250 });
		expect(describeWindow({ unit: 'rows', size: 5000 })).toBe('5,000 rows');
	});
	it('refuses anything else, naming the value', () => {
		for (const bad of ['month', '0 rows', '-5 rows', '1.5 rows', 'rows', '']) {
			expect(() => parseWindow(bad), bad).toThrow(/window ".*" is not one of: day, week, <N> rows/);
		}
	});
});

describe('assignWindows by calendar', () => {
	it("groups days and ISO weeks exactly as DuckDB's date_trunc on TIMESTAMP", async () => {
		// Times around midnight, week boundaries, years before 1970 and leap days.
		const times: number[] = [];
		const anchors = [Date.UTC(2026, 0, 4, 23, 59, 59, 999), Date.UTC(2026, 0, 5), Date.UTC(1969, 11, 28, 12), Date.UTC(2024, 1, 29, 6), Date.UTC(1970, 0, 1)];
		for (const a of anchors) for (let k = -9; k <= 9; k++) times.push(a + k * 0.37 * DAY);
		const db = await DuckDBInstance.create(':memory:');
		const conn = await db.connect();
		const values = times.map((t, i) => `(${i}, epoch_ms(${Math.round(t)}::BIGINT))`).join(', ');
		const reader = await conn.runAndReadAll(
			`SELECT i, epoch_ms(date_trunc('day', ts))::DOUBLE AS d, epoch_ms(date_trunc('week', ts))::DOUBLE AS w FROM (VALUES ${values}) v(i, ts) ORDER BY i`
		);
		const rows = reader.getRowObjectsJS() as { i: number; d: number; w: number }[];
		const rounded = Float64Array.from(times, Math.round);
		for (const unit of ['day', 'week'] as const) {
			const windowing = assignWindows(rounded, { unit });
			const starts = windowing.windows.map((w) => w.start);
			expect(starts).toEqual([...starts].sort((a, b) => a! - b!));
			rows.forEach((row) => {
				const w = windowing.windows[windowing.assignment[row.i]];
				expect(w.start, `${unit} of ${new Date(rounded[row.i]).toISOString()}`).toBe(unit === 'day' ? row.d : row.w);
				expect(w.end! - w.start!).toBe(unit === 'day' ? DAY : 7 * DAY);
				expect(w.label).toBe(new Date(w.start!).toISOString().slice(0, 10));
			});
			const counted = windowing.windows.reduce((s, w) => s + w.rows, 0);
			expect(counted).toBe(times.length);
		}
		conn.closeSync();
	});

	it('leaves rows without a time out of every window and lists only non-empty windows', () => {
		const t = Float64Array.from([Date.UTC(2026, 2, 2), NaN, Date.UTC(2026, 2, 20), Date.UTC(2026, 2, 3)]);
		const w = assignWindows(t, { unit: 'week' });
		expect(Array.from(w.assignment)).toEqual([0, -1, 1, 0]);
		expect(w.windows.map((x) => [x.label, x.rows])).toEqual([
			['2026-03-02', 2],
			['2026-03-16', 1]
		]);
		expect(windowRows(w).map((r) => Array.from(r))).toEqual([[0, 3], [2]]);
	});

	it('needs times for days and weeks', () => {
		expect(() => assignWindows(null, { unit: 'day' }, 3)).toThrow(/need a time column/);
	});
});

describe('assignWindows by rows', () => {
	it('cuts consecutive runs of N rows in time order, ties in row order, keeping a short last window', () => {
		const t = Float64Array.from([50, 10, 30, 10, NaN, 20, 40]);
		const w = assignWindows(t, { unit: 'rows', size: 2 });
		// time order: rows 1 (10), 3 (10), 5 (20), 2 (30), 6 (40), 0 (50); row 4 has no time
		expect(Array.from(w.assignment)).toEqual([2, 0, 1, 0, -1, 1, 2]);
		expect(w.windows.map((x) => [x.label, x.rows, x.start, x.end])).toEqual([
			['rows 1–2', 2, 10, 10],
			['rows 3–4', 2, 20, 30],
			['rows 5–6', 2, 40, 50]
		]);
		const odd = assignWindows(t, { unit: 'rows', size: 4 });
		expect(odd.windows.map((x) => x.rows)).toEqual([4, 2]);
	});

	it('follows row order without a time column', () => {
		const w = assignWindows(null, { unit: 'rows', size: 3 }, 7);
		expect(Array.from(w.assignment)).toEqual([0, 0, 0, 1, 1, 1, 2]);
		expect(w.windows.map((x) => x.label)).toEqual(['rows 1–3', 'rows 4–6', 'rows 7–7']);
		expect(w.windows[0].start).toBeNull();
	});

	it('labels large windows with thousands separators', () => {
		const w = assignWindows(null, { unit: 'rows', size: 5000 }, 12_000);
		expect(w.windows.map((x) => x.label)).toEqual(['rows 1–5,000', 'rows 5,001–10,000', 'rows 10,001–12,000']);
	});
});

describe('selectRows', () => {
	it('picks rows of number and string columns, keeping missing values', () => {
		const n: Column = { type: 'number', values: Float64Array.from([1, NaN, 3, 4]) };
		const s = columnFromStrings(['a', '', 'NA', 'd']);
		expect(Array.from(selectRows(n, [3, 1]).values as Float64Array)).toEqual([4, NaN]);
		expect(Array.from(selectRows(s, [2, 0]).values as ArrayLike<string | null>)).toEqual(['NA', 'a']);
		const both = selectColumns({ n, s }, Uint32Array.from([0, 3]));
		expect(Object.keys(both)).toEqual(['n', 's']);
		expect(Array.from(both.s.values as ArrayLike<string | null>)).toEqual(['a', 'd']);
	});
});
