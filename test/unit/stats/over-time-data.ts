/** The dataset of test/fixtures/stats/over-time.json as library columns. */
import { columnFromValues, type Column } from '#lib/stats/index.ts';
import { loadFixture } from './fixtures';

export interface TestValue {
	method: string;
	statistic: number;
	p_value: number;
	effect_size: number;
	drifted_reference: boolean;
	drifted_fixed: boolean;
}

export interface OverTimeFixture {
	reference: Record<string, (number | string | null)[]>;
	current: Record<string, (number | string | null)[]>;
	over_time: {
		window_starts: number[];
		window_rows: number[];
		reference_windows: number;
		columns: Record<
			string,
			{ kind: string; method: string; threshold: { mean: number; std: number; lower: number | null; upper: number | null }; values: TestValue[] }
		>;
	};
	segment_search: {
		fdr: number;
		segment_columns: string[];
		tests: {
			segment_column: string;
			segment_value: string;
			column: string;
			kind: string;
			method: string;
			statistic: number;
			p_value: number;
			effect_size: number;
			p_adjusted: number;
			drifted: boolean;
			reference_rows: number;
			current_rows: number;
		}[];
	};
}

export const overTime = loadFixture<OverTimeFixture>('over-time.json');

export const TESTED = ['x', 'y', 'plan', 'region', 'flag'];

export function columnsOf(data: Record<string, (number | string | null)[]>, names = Object.keys(data)): Record<string, Column> {
	return Object.fromEntries(names.map((n) => [n, columnFromValues(data[n])]));
}

export function timesOf(data: Record<string, (number | string | null)[]>): Float64Array {
	return Float64Array.from(data.time as number[]);
}
