/**
 * How much a browser tab can hold (choose-placement.ts decides from it where a load goes, or
 * refuses it before it crashes the tab). DuckDB-WASM is a 32-bit WebAssembly module: its heap can
 * never exceed 4 GiB, whatever the machine has, and DuckDB's own memory_limit may be lower.
 */
import { formatBytes } from '#lib/format/number.ts';

export const WASM_MAX_BYTES = 4 * 1024 ** 3;

export interface MemoryStatus {
	/** DuckDB's memory_limit setting, in bytes. */
	duckdbLimit: number;
	/** What DuckDB holds now (all of duckdb_memory()). */
	duckdbUsed: number;
	/** Chrome's performance.memory.jsHeapSizeLimit, when it tells. */
	jsHeapLimit?: number;
	/** navigator.deviceMemory (GiB, rounded by the browser), when it tells. */
	deviceMemoryGiB?: number;
}

const UNITS: Record<string, number> = {
	b: 1,
	byte: 1,
	bytes: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	tb: 1e12,
	kib: 1024,
	mib: 1024 ** 2,
	gib: 1024 ** 3,
	tib: 1024 ** 4
};

/** `3.1 GiB`, `512.0 MB`, `1000 bytes` → bytes. */
export function parseSize(text: string): number {
	const m = /^\s*([\d.]+)\s*([A-Za-z]*)\s*$/.exec(text);
	if (!m) throw new Error(`cannot read the size "${text}"`);
	const unit = UNITS[(m[2] || 'b').toLowerCase()];
	if (unit === undefined) throw new Error(`unknown unit in "${text}"`);
	return Number(m[1]) * unit;
}

export const MEMORY_QUERY = `SELECT (SELECT value FROM duckdb_settings() WHERE name = 'memory_limit') AS memory_limit,
  (SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE FROM duckdb_memory()) AS used`;

/** The most DuckDB in this tab can hold: its memory_limit, never more than the 4 GiB of wasm32. */
export function usableBytes(status: MemoryStatus): number {
	return Math.min(status.duckdbLimit || WASM_MAX_BYTES, WASM_MAX_BYTES);
}

/** The limit in one sentence, for the dataset panel. */
export function describeLimit(status: MemoryStatus): string {
	const parts = [
		`DuckDB-WASM can hold at most ${formatBytes(usableBytes(status))} in this tab (WebAssembly memory is capped at 4 GiB; memory_limit ${formatBytes(status.duckdbLimit)})`,
		`${formatBytes(status.duckdbUsed)} in use`
	];
	if (status.jsHeapLimit) parts.push(`JavaScript heap limit ${formatBytes(status.jsHeapLimit)}`);
	if (status.deviceMemoryGiB) parts.push(`device memory ≈ ${status.deviceMemoryGiB} GiB`);
	return parts.join('; ');
}

export class MemoryLimitError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MemoryLimitError';
	}
}

/** What reading needs besides the table itself: DuckDB's CSV buffers, one chunk, query state. */
export const WORKING_BYTES = 64 * 1024 ** 2;

/** Rough in-memory size of a table read from `bytes` of a file in `format`. */
export function estimateTableBytes(format: string, bytes: number, uncompressed?: number): number {
	switch (format) {
		case 'parquet':
			return uncompressed ?? bytes * 4;
		case 'json':
		case 'ndjson':
			return bytes * 0.6;
		default:
			return bytes;
	}
}
