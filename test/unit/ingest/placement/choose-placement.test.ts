import { describe, expect, it } from 'vitest';
import { MemoryLimitError, WORKING_BYTES, type MemoryStatus } from '#lib/ingest/placement/memory.ts';
import { diskCatalog, type DiskStatus } from '#lib/sql/storage.ts';
import { choosePlacement, parseStorageField } from '#lib/ingest/placement/choose-placement.ts';

const MB = 1e6;
const memory: MemoryStatus = { duckdbLimit: 200 * MB, duckdbUsed: 10 * MB };
const disk: DiskStatus = { available: true, quota: 10_000 * MB, usage: 100 * MB };
const noDisk: DiskStatus = { available: false, reason: 'this browser has no Origin Private File System' };

describe('where a load goes', () => {
	it('keeps what fits in memory there, unless the cell asks for disk', () => {
		expect(choosePlacement('small.csv', 50 * MB, memory, disk, 'auto')).toBe('memory');
		expect(choosePlacement('small.csv', 50 * MB, memory, noDisk, 'auto')).toBe('memory');
		expect(choosePlacement('small.csv', 50 * MB, memory, disk, 'memory')).toBe('memory');
		expect(choosePlacement('small.csv', 50 * MB, memory, disk, 'disk')).toBe('disk');
	});

	it('sends what does not fit in memory to disk when OPFS can hold it', () => {
		// 180 MB usable − 10 MB used leaves 170 MB; 110 MB + 67 MB of working memory does not fit.
		expect(choosePlacement('big.csv', 110 * MB, memory, disk, 'auto')).toBe('disk');
		expect(choosePlacement('huge.csv', 5_000 * MB, memory, disk, 'auto')).toBe('disk');
	});

	it('refuses without OPFS, saying why', () => {
		const attempt = () => choosePlacement('big.csv', 110 * MB, memory, noDisk, 'auto');
		expect(attempt).toThrow(MemoryLimitError);
		expect(attempt).toThrow('big.csv would need about 110 MB in memory');
		expect(attempt).toThrow('it cannot go to disk instead: this browser has no Origin Private File System. Nothing was loaded.');
		expect(() => choosePlacement('big.csv', 1 * MB, memory, noDisk, 'disk')).toThrow(
			'big.csv cannot be loaded to disk: this browser has no Origin Private File System'
		);
	});

	it('refuses when the cell forces memory, pointing at disk when there is one', () => {
		expect(() => choosePlacement('big.csv', 110 * MB, memory, disk, 'memory')).toThrow(
			'the cell says storage: memory (storage: auto or storage: disk would load it to disk'
		);
		expect(() => choosePlacement('big.csv', 110 * MB, memory, noDisk, 'memory')).toThrow(/the cell says storage: memory\. Nothing was loaded/);
	});

	it('refuses what the OPFS quota cannot take, naming the file and the numbers', () => {
		const tight: DiskStatus = { available: true, quota: 1_000 * MB, usage: 800 * MB };
		const attempt = () => choosePlacement('huge.parquet', 500 * MB, memory, tight, 'auto');
		expect(attempt).toThrow(MemoryLimitError);
		expect(attempt).toThrow(
			'huge.parquet would need about 500 MB on disk, but this browser lets this site store only 100 MB more (OPFS quota 1.0 GB, 800 MB used)'
		);
		expect(attempt).toThrow('and it does not fit in memory either');
		expect(choosePlacement('ok.parquet', 90 * MB, { duckdbLimit: 100 * MB, duckdbUsed: 0 }, tight, 'auto')).toBe('disk');
	});

	it('refuses a disk load when DuckDB lacks the memory to read it', () => {
		const full: MemoryStatus = { duckdbLimit: 100 * MB, duckdbUsed: 40 * MB };
		const attempt = () => choosePlacement('big.csv', 200 * MB, full, disk, 'auto');
		expect(attempt).toThrow('big.csv would need about 200 MB in memory');
		expect(attempt).toThrow(
			`it could go to disk, but reading it needs about ${(WORKING_BYTES / MB).toFixed(1)} MB of DuckDB memory and only 50.0 MB is free. Nothing was loaded.`
		);
	});

	it('reads the storage field', () => {
		expect(parseStorageField(undefined)).toBe('auto');
		expect(parseStorageField(' Disk ')).toBe('disk');
		expect(parseStorageField('memory')).toBe('memory');
		expect(() => parseStorageField('ssd')).toThrow('field "storage": "ssd" is not one of auto, memory, disk');
		expect(diskCatalog('sales', 'ab12cd34')).toBe('__disk_sales_ab12cd34');
	});
});
