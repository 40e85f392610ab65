/** Arrow IPC framing. */
const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * The stream inside an Arrow IPC file, without copying: DuckDB-WASM answers a query as a file
 * ("ARROW1", padding, the stream with its end marker, the footer, its length, "ARROW1"), and
 * appends from a stream. Anything else is returned as it is.
 */
export function arrowFileToStream(file: Uint8Array): Uint8Array {
	const n = file.byteLength;
	if (n < 18 || MAGIC.some((b, i) => file[i] !== b || file[n - 6 + i] !== b)) return file;
	const footer = new DataView(file.buffer, file.byteOffset + n - 10, 4).getInt32(0, true);
	const end = n - 10 - footer;
	return end > 8 ? file.subarray(8, end) : file;
}
