/**
 * Reading a download by HTTP Range requests (Parquet from a URL): the response checks (206 with
 * the asked Content-Range, one version of the file throughout), the planning of coalesced
 * requests, and a Blob-like view of the remote file that parquet-wasm's async reader can read
 * from (it only calls `size`, `slice(start, end)` and `arrayBuffer()`), serving its reads from
 * prefetched spans so a row group costs one request, not one per column chunk.
 */

/** Bytes `[start, end)`. */
export interface ByteSpan {
	start: number;
	end: number;
}

/** What pins one version of a remote file: its size and validators, from the first response. */
export interface RemoteVersion {
	size: number;
	/** The ETag as sent (strong or weak). */
	etag?: string;
	lastModified?: string;
}

/** The host does not serve byte ranges (or not usably): read the body as it comes instead. */
export class RangesUnsupportedError extends Error {
	constructor(
		message: string,
		/** The full body the host answered with, when it did (a 200 to the probe): read on from it rather than asking again. */
		readonly response?: Response
	) {
		super(message);
		this.name = 'RangesUnsupportedError';
	}
}

/** `bytes 0-99/1234` → `{ start: 0, end: 100, size: 1234 }`; `size` null for `*`; null when malformed. */
export function parseContentRange(header: string | null): (ByteSpan & { size: number | null }) | null {
	const m = header ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
	if (!m) return null;
	const start = Number(m[1]);
	const last = Number(m[2]);
	if (last < start) return null;
	return { start, end: last + 1, size: m[3] === '*' ? null : Number(m[3]) };
}

/** The Range header for `[start, end)`. */
export function rangeHeader(span: ByteSpan): string {
	return `bytes=${span.start}-${span.end - 1}`;
}

/**
 * If-Range needs a strong validator (RFC 9110 §13.1.5): a strong ETag makes the server answer the
 * whole new file (200) instead of a range of a changed one. Weak ETags and dates are still
 * compared on every response (see checkRangeResponse).
 */
export function ifRangeHeader(version: RemoteVersion): string | undefined {
	return version.etag && !version.etag.startsWith('W/') ? version.etag : undefined;
}

/** Who answered what, for messages: `GET /x.parquet bytes=0-3`. */
function describe(url: string, span: ByteSpan): string {
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		// a relative URL: as it is
	}
	return `${path} (${rangeHeader(span)})`;
}

/**
 * Checks the answer to the first Range request and returns the version it pins. A 200 (ranges
 * ignored), a compressed 206 or one without a usable Content-Range is RangesUnsupportedError;
 * 416 is an empty file.
 */
export function versionFromProbe(url: string, span: ByteSpan, status: number, headers: Headers): RemoteVersion {
	if (status === 416) {
		const size = /\/(\d+)$/.exec(headers.get('content-range') ?? '')?.[1];
		if (size !== undefined) return { size: Number(size), etag: headers.get('etag') ?? undefined, lastModified: headers.get('last-modified') ?? undefined };
	}
	if (status === 200) throw new RangesUnsupportedError(`the host answered the whole file (HTTP 200) to a Range request for ${describe(url, span)}`);
	if (status !== 206) throw new Error(`${describe(url, span)}: HTTP ${status}`);
	const encoding = headers.get('content-encoding') ?? 'identity';
	if (encoding !== 'identity') throw new RangesUnsupportedError(`the host compresses byte ranges (Content-Encoding: ${encoding})`);
	const range = parseContentRange(headers.get('content-range'));
	if (!range || range.size === null)
		throw new RangesUnsupportedError(`the host's answer to a Range request has no usable Content-Range ("${headers.get('content-range') ?? ''}")`);
	if (range.start !== span.start)
		throw new RangesUnsupportedError(`the host answered bytes ${range.start}–${range.end - 1} to a request for ${rangeHeader(span)}`);
	return { size: range.size, etag: headers.get('etag') ?? undefined, lastModified: headers.get('last-modified') ?? undefined };
}

/**
 * Checks a later Range answer against the pinned version: the same file (ETag, Last-Modified,
 * size) and exactly the bytes asked. A changed file is an error, never a mix of two versions.
 */
export function checkRangeResponse(url: string, span: ByteSpan, version: RemoteVersion, status: number, headers: Headers): void {
	const changed = (what: string) =>
		new Error(`${describe(url, span)}: the file changed on the server while it was being read (${what}); run the cell again to read the new version`);
	if (status === 200) {
		// With If-Range, a 200 is the server saying the file is no longer the pinned version.
		throw ifRangeHeader(version)
			? changed(`its ETag is no longer ${version.etag}`)
			: new Error(`${describe(url, span)}: the host stopped serving byte ranges (HTTP 200)`);
	}
	if (status === 412 || status === 416) throw changed(`HTTP ${status}`);
	if (status !== 206) throw new Error(`${describe(url, span)}: HTTP ${status}`);
	const etag = headers.get('etag');
	if (version.etag && etag && etag !== version.etag) throw changed(`ETag ${version.etag} → ${etag}`);
	const lastModified = headers.get('last-modified');
	if (version.lastModified && lastModified && lastModified !== version.lastModified) throw changed(`Last-Modified ${version.lastModified} → ${lastModified}`);
	const range = parseContentRange(headers.get('content-range'));
	if (!range) throw new Error(`${describe(url, span)}: the answer has no usable Content-Range`);
	if (range.size !== null && range.size !== version.size) throw changed(`its size ${version.size} → ${range.size} bytes`);
	if (range.start !== span.start || range.end !== span.end) throw new Error(`${describe(url, span)}: the host answered bytes ${range.start}–${range.end - 1}`);
}

/**
 * Merges spans into few requests: sorted, overlapping or closer than `maxGap` bytes joined,
 * each request at most `maxBytes` (a single span larger than that stays whole).
 */
export function coalesceSpans(spans: readonly ByteSpan[], maxGap: number, maxBytes: number): ByteSpan[] {
	const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
	const out: ByteSpan[] = [];
	for (const span of sorted) {
		const last = out[out.length - 1];
		if (last && span.start - last.end <= maxGap && Math.max(last.end, span.end) - last.start <= maxBytes) last.end = Math.max(last.end, span.end);
		else out.push({ ...span });
	}
	return out;
}

/**
 * Where a Parquet file's row groups most likely lie: one after another from byte 4 (after the
 * "PAR1" magic), each `compressedSize` long, as writers lay them out. Only a prefetch hint: a read
 * outside the prefetched bytes is fetched on its own, so a file laid out otherwise is read right,
 * just in more requests.
 */
export function rowGroupSpans(compressedSizes: readonly number[], fileSize: number, firstOffset = 4): ByteSpan[] {
	const spans: ByteSpan[] = [];
	let offset = firstOffset;
	for (const size of compressedSizes) {
		spans.push({ start: Math.min(offset, fileSize), end: Math.min(offset + size, fileSize) });
		offset += size;
	}
	return spans;
}

/**
 * The row groups to prefetch together from `first`: as many following groups as fit in
 * `windowBytes` (at least one), so a file of small row groups takes few big requests and memory
 * holds about one window.
 */
export function prefetchGroups(spans: readonly ByteSpan[], first: number, windowBytes: number): { last: number; span: ByteSpan } {
	let last = first;
	while (last + 1 < spans.length && spans[last + 1].end - spans[first].start <= windowBytes) last++;
	return { last, span: { start: spans[first].start, end: spans[last].end } };
}

/**
 * Prefetches a Parquet download's row groups window by window (prefetchGroups), one window
 * ahead: the window after the one being read downloads while this one is decoded and inserted,
 * so the reader never waits for the network between windows. Memory holds about two windows.
 */
export class RowGroupReadAhead {
	#windows: Array<{ last: number; ready: Promise<void> }> = [];
	#requestedTo = -1;

	constructor(
		private readonly file: RemoteFile,
		private readonly spans: readonly ByteSpan[],
		private readonly windowBytes: number
	) {}

	/** Resolves when row group `group`'s bytes are in memory, after asking for the window that follows it. */
	ready(group: number): Promise<void> {
		if (group >= this.spans.length) return Promise.resolve();
		// Windows before this group are read.
		this.file.release(this.spans[group].start);
		this.#windows = this.#windows.filter((w) => w.last >= group);
		while (this.#requestedTo < group) this.#request();
		if (this.#requestedTo === this.#windows[0].last && this.#requestedTo + 1 < this.spans.length) this.#request();
		return this.#windows[0].ready;
	}

	#request() {
		const { last, span } = prefetchGroups(this.spans, this.#requestedTo + 1, this.windowBytes);
		const ready = this.file.prefetch(span);
		// A failed download surfaces when its window is awaited.
		ready.catch(() => {});
		this.#windows.push({ last, ready });
		this.#requestedTo = last;
	}
}

export interface RangeFetchOptions {
	headers?: Record<string, string>;
	signal?: AbortSignal;
	fetch?: typeof globalThis.fetch;
	/** Called after each range arrives, with its length. */
	onBytes?: (bytes: number) => void;
}

/** Counts of what a RemoteFile did, for progress and tests. */
export interface RangeStats {
	requests: number;
	bytes: number;
	/** Reads not covered by a prefetch (each one a request of its own). */
	misses: number;
}

/**
 * A remote file read by Range requests, pinned to the version its first answer names. It is
 * Blob-like (`size`, `slice().arrayBuffer()`) for parquet-wasm's `ParquetFile.fromFile`; reads
 * inside a prefetched span come from memory.
 */
export class RemoteFile {
	readonly stats: RangeStats = { requests: 0, bytes: 0, misses: 0 };
	#cache: Array<ByteSpan & { bytes: Uint8Array }> = [];

	private constructor(
		readonly url: string,
		readonly version: RemoteVersion,
		private readonly options: RangeFetchOptions
	) {}

	get size(): number {
		return this.version.size;
	}

	/**
	 * Opens `url` with a first Range request for `probe` (the bytes wanted first, such as the
	 * magic number). Throws RangesUnsupportedError, carrying the 200 response to read on from,
	 * when the host does not serve ranges.
	 */
	static async open(url: string, probe: ByteSpan, options: RangeFetchOptions = {}): Promise<{ file: RemoteFile; head: Uint8Array }> {
		const fetch = options.fetch ?? globalThis.fetch;
		const response = await fetch(url, { headers: { ...options.headers, range: rangeHeader(probe) }, signal: options.signal });
		let version: RemoteVersion;
		try {
			version = versionFromProbe(url, probe, response.status, response.headers);
		} catch (error) {
			if (error instanceof RangesUnsupportedError && response.status === 200) throw new RangesUnsupportedError(error.message, response);
			void response.body?.cancel().catch(() => {});
			throw error;
		}
		const file = new RemoteFile(url, version, options);
		if (response.status === 416) return { file, head: new Uint8Array(0) };
		const head = new Uint8Array(await response.arrayBuffer());
		file.stats.requests++;
		file.stats.bytes += head.byteLength;
		options.onBytes?.(head.byteLength);
		return { file, head };
	}

	/** Fetches `[start, end)` (one request), checked against the pinned version. */
	async fetchRange(span: ByteSpan): Promise<Uint8Array> {
		const fetch = this.options.fetch ?? globalThis.fetch;
		const ifRange = ifRangeHeader(this.version);
		const headers: Record<string, string> = { ...this.options.headers, range: rangeHeader(span) };
		if (ifRange) headers['if-range'] = ifRange;
		const response = await fetch(this.url, { headers, signal: this.options.signal });
		try {
			checkRangeResponse(this.url, span, this.version, response.status, response.headers);
		} catch (error) {
			void response.body?.cancel().catch(() => {});
			throw error;
		}
		const bytes = new Uint8Array(await response.arrayBuffer());
		if (bytes.byteLength !== span.end - span.start) {
			throw new Error(`${describe(this.url, span)}: the answer was cut short (${bytes.byteLength} of ${span.end - span.start} bytes)`);
		}
		this.stats.requests++;
		this.stats.bytes += bytes.byteLength;
		this.options.onBytes?.(bytes.byteLength);
		return bytes;
	}

	/** Fetches `span` into memory (clipped to the file) so that reads inside it need no request. */
	async prefetch(span: ByteSpan): Promise<void> {
		const clipped = { start: Math.max(0, span.start), end: Math.min(this.size, span.end) };
		if (clipped.end <= clipped.start || this.#covering(clipped)) return;
		const bytes = await this.fetchRange(clipped);
		// After the await: release() may have replaced the cache while this span downloaded.
		this.#cache.push({ ...clipped, bytes });
	}

	/** Drops prefetched spans that end at or before `offset` (already read). */
	release(offset: number): void {
		this.#cache = this.#cache.filter((c) => c.end > offset);
	}

	/** Bytes held in prefetched spans now. */
	get cachedBytes(): number {
		return this.#cache.reduce((n, c) => n + c.bytes.byteLength, 0);
	}

	#covering(span: ByteSpan) {
		return this.#cache.find((c) => c.start <= span.start && c.end >= span.end);
	}

	/** `[start, end)`, from a prefetched span or by a request of its own. */
	async read(start: number, end: number): Promise<Uint8Array> {
		const span = { start: Math.max(0, start), end: Math.min(this.size, end) };
		if (span.end <= span.start) return new Uint8Array(0);
		const hit = this.#covering(span);
		if (hit) return hit.bytes.subarray(span.start - hit.start, span.end - hit.start);
		this.stats.misses++;
		return this.fetchRange(span);
	}

	/** Blob's `slice` as parquet-wasm calls it (negative offsets count from the end, as in Blob). */
	slice(start = 0, end = this.size): { arrayBuffer(): Promise<ArrayBuffer> } {
		const from = start < 0 ? Math.max(0, this.size + start) : start;
		const to = end < 0 ? Math.max(0, this.size + end) : end;
		return {
			arrayBuffer: async () => {
				const bytes = await this.read(from, to);
				return bytes.slice().buffer as ArrayBuffer;
			}
		};
	}
}
