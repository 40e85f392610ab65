/**
 * Files from this computer that a notebook names by content, `file:<name>#sha256=<hex>`: the
 * text that is saved and shared carries the name and hash, the bytes stay in the browser that
 * picked them (dropped models, picked data files).
 */

export interface FileReference {
	name: string;
	sha256: string;
}

const PREFIX = 'file:';
const REFERENCE = /^file:(.+)#sha256=([0-9a-f]{64})$/;

/** The file reference in a field's value, undefined for URLs and other values. */
export function parseFileReference(value: string): FileReference | undefined {
	if (!value.startsWith(PREFIX)) return undefined;
	const match = REFERENCE.exec(value);
	if (!match) throw new Error(`"${value}" is not a file reference: write file:<name>#sha256=<64 hex digits>, or drop the file on the cell`);
	return { name: match[1], sha256: match[2] };
}

export function fileReference(file: FileReference): string {
	return `${PREFIX}${file.name}#sha256=${file.sha256}`;
}

/** The cell source with its `key:` line set to `value` (added first when it has none). */
export function withField(source: string, key: string, value: string): string {
	const lines = source.split('\n');
	const line = new RegExp(`^\\s*${key}\\s*:`);
	const index = lines.findIndex((l) => line.test(l));
	if (index === -1) return [`${key}: ${value}`, ...lines].join('\n');
	lines[index] = `${key}: ${value}`;
	return lines.join('\n');
}

/** The hex SHA-256 of the parts, in order. */
export async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
	let whole = parts[0] ?? new Uint8Array();
	if (parts.length > 1) {
		whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
		let offset = 0;
		for (const part of parts) {
			whole.set(part, offset);
			offset += part.byteLength;
		}
	}
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', whole as Uint8Array<ArrayBuffer>));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
