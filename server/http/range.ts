/** One byte range of a `Range: bytes=…` header, resolved against the size; inclusive ends. */
export interface ByteRange {
	start: number;
	end: number;
}

/**
 * The range a request asks for: undefined when there is no usable Range header (answer 200
 * with everything: absent, another unit, several ranges, malformed — RFC 9110 lets a server
 * ignore those), 'unsatisfiable' when it starts past the end (answer 416).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
	if (!header) return undefined;
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return undefined;
	if (m[1] === '') {
		// suffix: the last N bytes
		const n = Number(m[2]);
		if (n === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - n), end: size - 1 };
	}
	const start = Number(m[1]);
	const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	if (m[2] !== '' && Number(m[2]) < start) return undefined;
	if (start >= size) return 'unsatisfiable';
	return { start, end };
}
