/**
 * Encodes a dataset (Arrow IPC from DuckDB) as a file to download: CSV text, or Parquet written
 * by parquet-wasm.
 */
import { Int64, makeData, makeVector, Table as ArrowTable, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import * as parquet from 'parquet-wasm/esm';
import { loadParquet } from '#lib/ingest/formats/parquet.ts';
import { csvToText } from './csv-text';

/** Text columns of 64-bit integers become Int64 columns again. */
function withInt64(ipc: Uint8Array, names: string[]): Uint8Array {
	const table = tableFromIPC(ipc);
	const columns: Record<string, Vector> = {};
	for (const field of table.schema.fields) {
		const vector = table.getChild(field.name)!;
		if (!names.includes(field.name)) {
			columns[field.name] = vector;
			continue;
		}
		const n = vector.length;
		const values = new BigInt64Array(n);
		const validity = new Uint8Array((n + 7) >> 3);
		let nulls = 0;
		for (let i = 0; i < n; i++) {
			const v = vector.get(i) as string | null;
			if (v === null) nulls++;
			else {
				values[i] = BigInt(v);
				validity[i >> 3] |= 1 << (i & 7);
			}
		}
		columns[field.name] = makeVector(makeData({ type: new Int64(), length: n, nullCount: nulls, nullBitmap: validity, data: values }));
	}
	return tableToIPC(new ArrowTable(columns), 'stream');
}

/**
 * Encodes Arrow IPC as a file to download. CSV expects text columns (NULL → empty field);
 * for Parquet, `int64` names text columns holding 64-bit integers, written as INT64.
 */
export async function encodeDownload(ipc: Uint8Array, format: 'csv' | 'parquet', options: { int64?: string[] } = {}): Promise<Uint8Array> {
	if (format === 'csv') return csvToText(ipc);
	await loadParquet();
	const table = parquet.Table.fromIPCStream(options.int64?.length ? withInt64(ipc, options.int64) : ipc);
	const props = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
	return parquet.writeParquet(table, props);
}
