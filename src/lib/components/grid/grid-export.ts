/** What leaves the grid: rows on the clipboard as tab-separated text, and the view as a CSV or Parquet download. */
import * as Comlink from 'comlink';
import { tableToIPC } from 'apache-arrow';
import type { SqlConnector } from '#lib/sql/connector.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { parquetSelect, tsvLine, windowQuery, type GridColumn } from '#lib/sql/grid.ts';
import type { Spawned } from '#lib/workers/spawn.ts';
import type { LoaderApi } from '#lib/workers/protocol.ts';

/** Where the grid's rows come from: the quoted table or view, whether windows go by rowid, and a wide view's rowid order. */
export interface GridRows {
	source: string;
	byRowid: boolean;
	order?: string;
}

/** Rows as tab-separated text with a header line (NULL → empty). */
export function tsvText(columns: readonly GridColumn[], rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
	return [tsvLine(columns.map((c) => c.name)), ...rows.map((r) => tsvLine(r.map((v) => v ?? '')))].join('\n');
}

export async function writeClipboard(text: string): Promise<void> {
	try {
		await navigator.clipboard.writeText(text);
	} catch {
		const area = Object.assign(document.createElement('textarea'), { value: text });
		document.body.append(area);
		area.select();
		document.execCommand('copy');
		area.remove();
	}
}

/**
 * Every row of the view as a file, encoded in the loader worker: CSV with every value as text, or
 * Parquet (BIGINT crosses as text and becomes INT64 again).
 */
export async function encodeRows(
	conn: SqlConnector,
	loader: () => Promise<Spawned<LoaderApi>>,
	rows: GridRows,
	columns: readonly GridColumn[],
	format: 'csv' | 'parquet'
): Promise<Blob> {
	let ipc: Uint8Array;
	let int64: string[] = [];
	if (format === 'csv') {
		const select = columns.map((c) => `${quoteIdentifier(c.name)}::VARCHAR AS ${quoteIdentifier(c.name)}`).join(', ');
		ipc = tableToIPC(await conn.query(windowQuery(rows.source, 0, undefined, rows.byRowid, select || '*', rows.order)), 'stream');
	} else {
		const p = parquetSelect(columns);
		int64 = p.int64;
		ipc = tableToIPC(await conn.query(windowQuery(rows.source, 0, undefined, rows.byRowid, p.select, rows.order)), 'stream');
	}
	const { api, crashed } = await loader();
	const bytes = await Promise.race([api.encode(Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]), format, { int64 }), crashed]);
	return new Blob([bytes as BlobPart], { type: format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet' });
}

/** Saves `blob` as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = Object.assign(document.createElement('a'), { href: url, download: name });
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
