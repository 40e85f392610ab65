/**
 * Decides where a load goes: DuckDB's memory, or a disk table in OPFS (src/lib/sql/storage.ts)
 * when it would not fit, as the data cell's `storage` field allows.
 */
import type { DiskStatus, Placement } from '#lib/sql/storage.ts';
import { formatBytes } from '#lib/format/number.ts';
import { MemoryLimitError, usableBytes, WORKING_BYTES, type MemoryStatus } from './memory';

/** The data cell's `storage` field: `auto` loads to disk only what would not fit in memory. */
export type StorageMode = 'auto' | 'memory' | 'disk';
export const STORAGE_MODES: readonly StorageMode[] = ['auto', 'memory', 'disk'];

export function parseStorageField(value: string | undefined): StorageMode {
	const v = value?.trim().toLowerCase();
	if (!v) return 'auto';
	if (!STORAGE_MODES.includes(v as StorageMode)) throw new Error(`field "storage": "${value}" is not one of ${STORAGE_MODES.join(', ')}`);
	return v as StorageMode;
}

/** A tenth of the quota stays free: the browser counts other sites' data and DuckDB's WAL against it. */
export function diskFree(disk: Extract<DiskStatus, { available: true }>): number {
	return disk.quota * 0.9 - disk.usage;
}

function memoryFree(memory: MemoryStatus): number {
	return usableBytes(memory) * 0.9 - memory.duckdbUsed;
}

/**
 * Decides where a load of about `estimate` bytes goes, or throws a MemoryLimitError that names
 * the file and says why (numbers, and why disk is not an option when it is not). A disk load
 * still needs DuckDB's working memory for reading, and is limited by the OPFS quota.
 */
export function choosePlacement(name: string, estimate: number, memory: MemoryStatus, disk: DiskStatus, mode: StorageMode): Placement {
	const fitsMemory = estimate + WORKING_BYTES <= memoryFree(memory);
	if (mode !== 'disk' && fitsMemory) return 'memory';
	const need = `${name} would need about ${formatBytes(estimate)} in memory (and ${formatBytes(WORKING_BYTES)} more while it is read)`;
	const limit =
		`DuckDB-WASM in this browser tab can hold at most ${formatBytes(usableBytes(memory))} (WebAssembly memory is capped at 4 GiB per tab) ` +
		`and ${formatBytes(memory.duckdbUsed)} is already in use`;
	const advice = 'Nothing was loaded. Drop tables you no longer need (Datasets panel), load a smaller file, or filter it first.';
	if (mode === 'memory') {
		const alternative = disk.available ? " (storage: auto or storage: disk would load it to disk, in this browser's OPFS)" : '';
		throw new MemoryLimitError(`${need}, but ${limit}; the cell says storage: memory${alternative}. ${advice}`);
	}
	if (!disk.available) {
		const why = mode === 'disk' ? `${name} cannot be loaded to disk` : `${need}, but ${limit}; it cannot go to disk instead`;
		throw new MemoryLimitError(`${why}: ${disk.reason}. ${advice}`);
	}
	if (WORKING_BYTES > memoryFree(memory)) {
		throw new MemoryLimitError(
			`${need}, but ${limit}; it could go to disk, but reading it needs about ${formatBytes(WORKING_BYTES)} of DuckDB memory and only ${formatBytes(Math.max(0, memoryFree(memory)))} is free. ${advice}`
		);
	}
	if (estimate > diskFree(disk)) {
		throw new MemoryLimitError(
			`${name} would need about ${formatBytes(estimate)} on disk, but this browser lets this site store only ${formatBytes(Math.max(0, diskFree(disk)))} more ` +
				`(OPFS quota ${formatBytes(disk.quota)}, ${formatBytes(disk.usage)} used)${mode === 'auto' ? `, and it does not fit in memory either (${limit})` : ''}. ` +
				`Nothing was loaded. Free space in the browser's site data, drop disk tables (Datasets panel), or load a smaller file.`
		);
	}
	return 'disk';
}
