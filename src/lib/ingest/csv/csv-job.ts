/**
 * A CSV or TSV read in whole-record chunks for DuckDB's read_csv (header = false), so progress,
 * cancellation and line numbers work on files of any size: each chunk says the physical line its
 * first record starts on and which records span several lines.
 */
import type { LoadChunk } from '#lib/ingest/load-plan.ts';
import { concat, type ByteSource } from '#lib/ingest/sources/byte-source.ts';
import { csvChunkBytes, rewriteNewlines, scanCsv, type ByteQuoting } from './chunks';

export class CsvJob {
	#pending: Uint8Array[] = [];
	#pendingBytes = 0;
	#ended = false;
	#bytesDone = 0;
	#nextLine = 1;
	#chunkBytes: number;

	constructor(
		readonly source: ByteSource,
		readonly quoting: ByteQuoting,
		sample: Uint8Array,
		ended: boolean,
		headerBytes: number,
		headerLines: number,
		columns: number
	) {
		const body = sample.subarray(headerBytes);
		if (body.byteLength) this.#pending.push(body);
		this.#pendingBytes = body.byteLength;
		this.#ended = ended;
		this.#bytesDone = headerBytes;
		this.#nextLine = 1 + headerLines;
		this.#chunkBytes = csvChunkBytes(source.size, columns);
	}

	async next(): Promise<LoadChunk | null> {
		while (!this.#ended && this.#pendingBytes < this.#chunkBytes) {
			const part = await this.source.read(this.#chunkBytes - this.#pendingBytes);
			if (!part) this.#ended = true;
			else {
				// No copy: parts are only read, and the chunk sent on is a copy (`records`).
				this.#pending.push(part);
				this.#pendingBytes += part.byteLength;
			}
		}
		if (this.#pendingBytes === 0) return null;
		let buf = concat(this.#pending, this.#pendingBytes);
		let scan = scanCsv(buf, this.quoting, this.#ended);
		while (scan.boundary === 0 && !this.#ended) {
			// One record longer than a chunk: read on until it ends.
			const part = await this.source.read(this.#chunkBytes);
			if (!part) this.#ended = true;
			else buf = concat([buf, part], buf.byteLength + part.byteLength);
			scan = scanCsv(buf, this.quoting, this.#ended);
		}
		const records = buf.slice(0, scan.boundary);
		const rest = buf.subarray(scan.boundary);
		this.#pending = rest.byteLength ? [rest] : [];
		this.#pendingBytes = rest.byteLength;
		this.#bytesDone += scan.boundary;
		const firstLine = this.#nextLine;
		this.#nextLine += scan.physical;
		const bytes = scan.newlines ? rewriteNewlines(records, this.quoting, scan.newlines) : records;
		const chunk: LoadChunk = {
			kind: 'csv',
			bytes,
			firstLine,
			records: scan.lines,
			multiline: scan.multiline,
			bytesDone: this.#bytesDone,
			bytesTotal: this.source.size
		};
		return chunk;
	}
}
