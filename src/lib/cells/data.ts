import type { CellKind } from './types';
import { Fields } from './fields';
import { literal } from '$lib/sql/identifiers';
import { createTableAs, describeTable } from '$lib/sql/tables';

const READERS = { csv: 'read_csv', tsv: 'read_csv', json: 'read_json_auto', ndjson: 'read_json_auto' } as const;
type Format = keyof typeof READERS;

/** Fetches bytes, reporting progress as bytes arrive; aborting the signal stops the download. */
async function download(url: string, signal: AbortSignal, progress: (done: number, total: number) => void): Promise<Uint8Array> {
	const response = await fetch(url, { signal });
	if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
	const total = Number(response.headers.get('content-length') ?? 0);
	const chunks: Uint8Array[] = [];
	let received = 0;
	const reader = response.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		received += value.byteLength;
		progress(received, total || received);
	}
	const bytes = new Uint8Array(received);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/** A data cell loads a file into a DuckDB table named after the cell. */
export const dataCell: CellKind = {
	kind: 'data',
	inputs: () => [],
	async run(cell, _inputs, services, { signal, progress }) {
		const fields = new Fields(cell);
		const url = fields.required('url');
		const extension = url.split('?')[0].split('.').pop()?.toLowerCase() ?? '';
		const format = fields.oneOf<Format>('format', Object.keys(READERS) as Format[], (extension in READERS ? extension : 'csv') as Format);
		const [bytes, db] = await Promise.all([download(services.resolveUrl(url), signal, progress), services.db()]);
		const file = `${cell.name}.${format}`;
		await db.registerFile(file, bytes);
		const options = format === 'tsv' ? `, delim = '\\t'` : format === 'csv' ? ', header = true' : '';
		await db.query(createTableAs(cell.name, `SELECT * FROM ${READERS[format]}(${literal(file)}${options})`), signal);
		return describeTable(db, cell.name, signal);
	}
};
