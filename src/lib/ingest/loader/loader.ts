/**
 * The dataset loader: opens a source, detects its format (and a CSV's dialect and types), returns
 * the plan, then hands out chunks for DuckDB one at a time: CSV as whole-record chunks for
 * read_csv, Parquet, Arrow IPC and JSON/NDJSON as Arrow IPC batches. Runs in the loader worker
 * (src/lib/workers/loader.worker.ts), several loads at once, each by its job id.
 */
import { formatFromBytes, formatFromName, type DataFormat, type LoadRequest } from '#lib/ingest/read-options.ts';
import type { LoadChunk, LoadJob, LoadPlan, LoadSource } from '#lib/ingest/load-plan.ts';
import { planOf, SAMPLE_BYTES } from '#lib/ingest/load-plan.ts';
import { bomBytes, byteQuoting, firstInvalidUtf8, headerExtent } from '#lib/ingest/csv/chunks.ts';
import { CsvJob } from '#lib/ingest/csv/csv-job.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { arrowJob } from '#lib/ingest/formats/arrow-ipc.ts';
import { jsonJob, ndjsonStreamJob } from '#lib/ingest/formats/json.ts';
import { openParquetDownload, parquetJob } from '#lib/ingest/formats/parquet.ts';
import { estimateTableBytes } from '#lib/ingest/placement/memory.ts';
import { blobSource, concat, readAll, readSample, urlSource, type ByteSource } from '#lib/ingest/sources/byte-source.ts';
import { encodeDownload } from '#lib/ingest/export/encode.ts';

export interface LoaderApi {
	/**
	 * Opens a source, reads what detection needs (the first megabyte of a CSV, NDJSON or Arrow
	 * stream; a Parquet footer, by Range requests for a download; the whole file only for a JSON
	 * array, an Arrow file of a picked file, or a Parquet download from a host without ranges) and
	 * returns the plan. `onProgress` reports bytes downloaded.
	 */
	open(jobId: string, source: LoadSource, request: LoadRequest, onProgress?: (done: number, total: number) => void): Promise<LoadPlan>;
	/** The next piece to insert, or null at the end. */
	next(jobId: string): Promise<LoadChunk | null>;
	/** Stops a job and frees what it holds. */
	close(jobId: string): void;
	/**
	 * Encodes Arrow IPC as a file to download. CSV expects text columns (NULL → empty field);
	 * for Parquet, `int64` names text columns holding 64-bit integers, written as INT64.
	 */
	encode(ipc: Uint8Array, format: 'csv' | 'parquet', options?: { int64?: string[] }): Promise<Uint8Array>;
}

async function openSource(source: LoadSource, signal: AbortSignal): Promise<ByteSource> {
	switch (source.kind) {
		case 'blob':
			return blobSource(source.blob);
		case 'url':
			return urlSource(source.url, source.headers, signal);
	}
}

/** A loader with no load open yet. */
export function createLoader(): LoaderApi {
	const jobs = new Map<string, LoadJob>();
	const job = (jobId: string) => {
		const found = jobs.get(jobId);
		if (!found) throw new Error('the load was cancelled');
		return found;
	};
	const loader: LoaderApi = {
		async open(jobId, source, request, onProgress) {
			const controller = new AbortController();
			const entry: LoadJob = { controller };
			jobs.set(jobId, entry);
			const named = request.format ?? formatFromName(source.name);
			if (source.kind === 'url' && named === 'parquet') return openParquetDownload(entry, source, onProgress);
			const bytes = await openSource(source, controller.signal);
			entry.source = bytes;
			const { sample, ended } = await readSample(bytes, SAMPLE_BYTES);
			onProgress?.(sample.byteLength, bytes.size ?? sample.byteLength);
			const sniffed = formatFromBytes(sample);
			const format: DataFormat = named ?? sniffed ?? 'csv';
			if (format === 'parquet' && source.kind === 'url') {
				// Found by its bytes: start again by ranges (only the first megabyte was read).
				bytes.cancel();
				entry.source = undefined;
				return openParquetDownload(entry, source, onProgress);
			}
			if ((format === 'csv' || format === 'tsv') && (sniffed === 'parquet' || sniffed === 'arrow')) {
				throw new Error(
					`the file is ${sniffed === 'parquet' ? 'Parquet' : 'Arrow IPC'}, not ${format.toUpperCase()}: set format: ${sniffed} (or leave format out)`
				);
			}
			if ((format === 'csv' || format === 'tsv') && sample.subarray(0, 8192).includes(0)) {
				throw new Error(`the file holds NUL bytes: it is binary, or UTF-16 text; ${format.toUpperCase()} files must be UTF-8`);
			}
			if (format === 'csv' || format === 'tsv' || format === 'json' || format === 'ndjson') {
				const bad = firstInvalidUtf8(sample, ended);
				if (bad) {
					throw new Error(
						`line ${bad.line}: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} (offset ${bad.offset}) is not UTF-8; ${format.toUpperCase()} files must be UTF-8 ` +
							`(this looks like Latin-1 or Windows-1252 text: save it again as UTF-8)`
					);
				}
			}
			const base = { format, name: source.name, size: bytes.size, notes: [] as string[] };

			if (format === 'csv' || format === 'tsv') {
				const text = new TextDecoder().decode(sample);
				const csv = sniffCsv(text, { ...request, format }, ended);
				const quoting = byteQuoting(csv.dialect);
				const header = csv.dialect.header ? headerExtent(sample, quoting) : { bytes: bomBytes(sample), lines: 0 };
				const csvJob = new CsvJob(bytes, quoting, sample, ended, header.bytes, header.lines, csv.dialect.columns.length);
				entry.next = () => csvJob.next();
				const plan: LoadPlan = {
					...base,
					csv,
					columns: csv.dialect.columns,
					rows: null,
					preview: csv.rows,
					notes: csv.notes,
					estimatedBytes: estimateTableBytes(format, bytes.size ?? sample.byteLength)
				};
				return plan;
			}

			// Parquet (a picked file; downloads went by ranges above) is read in place, Arrow IPC and a
			// download's NDJSON batch by batch as they arrive; a JSON array or object, and a picked
			// file's NDJSON (types over every record), need the whole text.
			const whole = async () => {
				const rest = ended ? new Uint8Array(0) : await readAll(bytes, (done, total) => onProgress?.(sample.byteLength + done, bytes.size ?? total));
				return concat(rest.byteLength ? [sample, rest] : [sample], sample.byteLength + rest.byteLength);
			};
			const made =
				format === 'parquet' && source.kind === 'blob'
					? await parquetJob({ kind: 'blob', blob: source.blob })
					: format === 'arrow'
						? await arrowJob(bytes, sample, ended, whole)
						: format === 'ndjson' && source.kind === 'url'
							? await ndjsonStreamJob(bytes, sample, ended, request)
							: await jsonJob(await whole(), format as 'json' | 'ndjson', request);
			entry.next = () => made.job.next();
			return planOf(made, { ...base, transfer: source.kind === 'url' ? 'stream' : undefined });
		},

		async next(jobId) {
			const entry = job(jobId);
			if (!entry.next) throw new Error('the load was not opened');
			try {
				const started = performance.now();
				const chunk = await entry.next();
				if (chunk) chunk.workMs = performance.now() - started;
				return chunk;
			} catch (error) {
				loader.close(jobId);
				throw error;
			}
		},

		close(jobId) {
			const entry = jobs.get(jobId);
			if (!entry) return;
			entry.controller.abort();
			entry.source?.cancel();
			jobs.delete(jobId);
		},

		encode: encodeDownload
	};
	return loader;
}
