/**
 * A dataset's bytes read in pieces, whatever holds them: a File/Blob read in slices, or a
 * download's body as it arrives.
 */

export interface ByteSource {
	size: number | null;
	/** Up to `max` more bytes (at least one byte unless at the end); null at the end. */
	read(max: number): Promise<Uint8Array | null>;
	cancel(): void;
}

export function blobSource(blob: Blob): ByteSource {
	let offset = 0;
	return {
		size: blob.size,
		async read(max) {
			if (offset >= blob.size) return null;
			const part = new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + max)).arrayBuffer());
			offset += part.byteLength;
			return part;
		},
		cancel() {}
	};
}

/** A download's body as it arrives; `answered` reads on from a response already received (a 200 to a Range probe). */
export async function urlSource(url: string, headers: Record<string, string> | undefined, signal: AbortSignal, answered?: Response): Promise<ByteSource> {
	const response = answered ?? (await fetch(url, { headers, signal }));
	if (!response.ok || !response.body) {
		const hint = response.status === 401 ? ' (the server wants a token: sign in on this page first)' : '';
		throw new Error(`${url}: HTTP ${response.status} ${response.statusText}${hint}`);
	}
	const length = response.headers.get('content-length');
	// A compressed response's Content-Length counts compressed bytes: the total is then unknown.
	const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
	const reader = response.body.getReader();
	let pending: Uint8Array | undefined;
	return {
		size: length && !encoded ? Number(length) : null,
		async read(max) {
			if (!pending) {
				const { done, value } = await reader.read();
				if (done) return null;
				pending = value;
			}
			const part = pending.subarray(0, max);
			pending = part.byteLength < pending.byteLength ? pending.subarray(part.byteLength) : undefined;
			return part;
		},
		cancel() {
			void reader.cancel().catch(() => {});
		}
	};
}

export function concat(parts: Uint8Array[], total: number): Uint8Array {
	if (parts.length === 1 && parts[0].byteLength === total) return parts[0];
	const out = new Uint8Array(total);
	let offset = 0;
	for (const p of parts) {
		out.set(p, offset);
		offset += p.byteLength;
	}
	return out;
}

export async function readAll(source: ByteSource, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const part = await source.read(8 << 20);
		if (!part) break;
		parts.push(part);
		total += part.byteLength;
		onProgress?.(total, source.size ?? total);
	}
	return concat(parts, total);
}

/** Reads at least `want` bytes (or to the end) for detection. */
export async function readSample(source: ByteSource, want: number): Promise<{ sample: Uint8Array; ended: boolean }> {
	const parts: Uint8Array[] = [];
	let total = 0;
	while (total < want) {
		const part = await source.read(want - total);
		if (!part) return { sample: concat(parts, total), ended: source.size === null || total >= source.size };
		parts.push(part.slice());
		total += part.byteLength;
	}
	const ended = source.size !== null && total >= source.size;
	return { sample: concat(parts, total), ended };
}

/** The bytes of a source from its start: the sample already read, then the rest as it arrives; `counted` adds up what went by. */
export async function* sourceBytes(source: ByteSource, sample: Uint8Array, ended: boolean, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
	counted.bytes = sample.byteLength;
	if (sample.byteLength) yield sample;
	if (ended) return;
	for (;;) {
		const part = await source.read(8 << 20);
		if (!part) return;
		counted.bytes += part.byteLength;
		// A download's chunk is its own buffer; a Blob slice too: no copy needed.
		yield part;
	}
}
