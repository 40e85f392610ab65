/**
 * Splitting rows into chunks as NannyML 0.13.1's chunkers do, for every calculator that reports
 * per chunk (performance estimation, and later multivariate drift and data quality): rows stay in
 * their order, chunks are adjacent and never overlap.
 *
 * - `SizeBasedChunker(chunk_size)`: full chunks of `chunk_size` rows, then the remainder as one
 *   incomplete chunk ('keep', NannyML's default), merged into the last full chunk ('append') or
 *   left out ('drop').
 * - `CountBasedChunker(chunk_number)`: a size-based split with `floor(rows / chunk_number)` rows per
 *   chunk, so the remainder can make one chunk more than asked for.
 * - `DefaultChunker` (no chunking given): a count-based split into 10.
 *
 * - `PeriodBasedChunker(offset='D' | 'W')`: one chunk per calendar day or week (Monday to Sunday,
 *   UTC) of a time column, keyed as pandas writes the period (`2026-01-05`, `2026-01-05/2026-01-11`);
 *   the rows must be in time order (so that a period's rows are adjacent).
 *
 * Size and count keys read "[start:end]" with both ends inclusive row positions, as NannyML writes them.
 */

import { assignWindows } from '#lib/stats/windows.ts';

export type IncompleteChunk = 'keep' | 'append' | 'drop';

export interface Chunk {
	/** "[start_index:end_index]". */
	key: string;
	chunk_index: number;
	/** First row (0-based position in the data set). */
	start_index: number;
	/** Last row, inclusive. */
	end_index: number;
}

export type Chunking = { chunkSize: number; incomplete?: IncompleteChunk } | { chunkNumber: number; incomplete?: IncompleteChunk } | 'default';

/** NannyML's DefaultChunker: this many chunks. */
export const DEFAULT_CHUNK_COUNT = 10;

function chunk(start: number, end: number, index: number): Chunk {
	return { key: `[${start}:${end}]`, chunk_index: index, start_index: start, end_index: end };
}

/** `SizeBasedChunker(chunk_size, incomplete).split` on `rows` rows. */
export function sizeChunks(rows: number, chunkSize: number, incomplete: IncompleteChunk = 'keep'): Chunk[] {
	if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
		throw new Error(`the chunk size must be a positive whole number (got ${chunkSize})`);
	}
	const full = Math.floor(rows / chunkSize);
	const starts: [number, number][] = [];
	for (let i = 0; i < full; i++) starts.push([i * chunkSize, i * chunkSize + chunkSize - 1]);
	const rest = rows % chunkSize;
	if (rest !== 0) {
		const start = full * chunkSize;
		if (incomplete === 'keep') starts.push([start, rows - 1]);
		// NannyML merges into chunks[-1]; with no full chunk that is the incomplete one itself
		// (Python's chunks[-1] on an empty list fails: the chunker errors out).
		else if (incomplete === 'append') {
			if (starts.length === 0) throw new Error(`cannot append ${rest} rows to a chunk: there is no full chunk of ${chunkSize} rows`);
			starts[starts.length - 1][1] = rows - 1;
		}
	}
	return starts.map(([s, e], i) => chunk(s, e, i));
}

/** `CountBasedChunker(chunk_number, incomplete).split` on `rows` rows. */
export function countChunks(rows: number, chunkNumber: number, incomplete: IncompleteChunk = 'keep'): Chunk[] {
	if (!Number.isInteger(chunkNumber) || chunkNumber <= 0) {
		throw new Error(`the number of chunks must be a positive whole number (got ${chunkNumber})`);
	}
	if (rows === 0) return [];
	const size = Math.floor(rows / chunkNumber);
	if (size === 0) throw new Error(`cannot split ${rows} rows into ${chunkNumber} chunks: fewer rows than chunks`);
	return sizeChunks(rows, size, incomplete);
}

/** The chunks of `rows` rows under a chunking (NannyML's ChunkerFactory without time periods). */
export function splitChunks(rows: number, chunking: Chunking): Chunk[] {
	if (chunking === 'default') return countChunks(rows, DEFAULT_CHUNK_COUNT);
	if ('chunkSize' in chunking) return sizeChunks(rows, chunking.chunkSize, chunking.incomplete);
	return countChunks(rows, chunking.chunkNumber, chunking.incomplete);
}

/** A chunking, or one chunk per calendar day or week of a time column. */
export type ChunkPlan = Chunking | { period: 'day' | 'week' };

/** The chunks of `rows` rows under a plan; `time` (epoch ms, in time order) is needed for periods. */
export function planChunks(rows: number, plan: ChunkPlan, time: ArrayLike<number> | null): Chunk[] {
	if (typeof plan === 'object' && 'period' in plan) {
		if (!time) throw new Error(`chunks by ${plan.period} need a time column`);
		return periodChunks(time, plan.period);
	}
	return splitChunks(rows, plan);
}

const DAY_MS = 86_400_000;

/**
 * `PeriodBasedChunker` on `time` (epoch ms, in time order): a chunk per day or week with rows.
 * Throws naming the first row without a time or out of order.
 */
export function periodChunks(time: ArrayLike<number>, period: 'day' | 'week'): Chunk[] {
	for (let i = 0; i < time.length; i++) {
		if (!Number.isFinite(time[i])) throw new Error(`row ${i + 1} has no time: chunks by ${period} need a time on every row`);
		if (i > 0 && time[i] < time[i - 1]) throw new Error(`row ${i + 1} is earlier than row ${i}: chunks by ${period} need the rows in time order`);
	}
	const { windows } = assignWindows(time, { unit: period });
	let start = 0;
	return windows.map((w, index) => {
		const end = start + w.rows - 1;
		const last = new Date(w.end! - DAY_MS).toISOString().slice(0, 10);
		const c: Chunk = { key: period === 'day' ? w.label : `${w.label}/${last}`, chunk_index: index, start_index: start, end_index: end };
		start = end + 1;
		return c;
	});
}
