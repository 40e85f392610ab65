/** CSV as driftbook writes it: RFC 4180 quoting, for downloads and tests. */
import { RecordBatchReader } from 'apache-arrow';
import { textOf } from '#lib/ingest/formats/arrow-text.ts';
import { concat } from '#lib/ingest/sources/byte-source.ts';

/** Formats a value for a CSV field (RFC 4180 quoting). */
export function csvField(value: string): string {
	return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Arrow IPC as CSV text with a header line. */
export function csvToText(ipc: Uint8Array): Uint8Array {
	const encoder = new TextEncoder();
	const parts: Uint8Array[] = [];
	let total = 0;
	let header = false;
	for (const batch of RecordBatchReader.from(ipc)) {
		const fields = batch.schema.fields;
		const lines: string[] = [];
		if (!header) {
			lines.push(fields.map((f) => csvField(f.name)).join(','));
			header = true;
		}
		const columns = fields.map((f) => batch.getChild(f.name)!);
		for (let i = 0; i < batch.numRows; i++) {
			lines.push(columns.map((c, k) => csvField(textOf(c.get(i), fields[k].type))).join(','));
		}
		const bytes = encoder.encode(lines.join('\n') + '\n');
		parts.push(bytes);
		total += bytes.byteLength;
	}
	return concat(parts, total);
}
