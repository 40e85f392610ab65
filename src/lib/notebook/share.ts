/**
 * Share links: the notebook text, deflated and base64url-encoded into the URL fragment. The
 * fragment never reaches a server, so a shared notebook stays between the people who have the link.
 */

/** Longer fragments are refused: some chat tools and browsers cut long URLs. */
export const MAX_FRAGMENT_CHARS = 60_000;
export const FRAGMENT_KEY = 'nb';

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
	const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the share link is damaged (unexpected characters)');
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function encodeShareFragment(notebookText: string): Promise<string> {
	const packed = toBase64Url(await pipe(new TextEncoder().encode(notebookText), new CompressionStream('deflate-raw')));
	const fragment = `${FRAGMENT_KEY}=${packed}`;
	if (fragment.length > MAX_FRAGMENT_CHARS) {
		throw new Error(
			`this notebook is too large for a link (${fragment.length.toLocaleString('en-US')} characters compressed; the limit is ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')}): share it through the server instead`
		);
	}
	return fragment;
}

export async function decodeShareFragment(fragment: string): Promise<string> {
	const params = new URLSearchParams(fragment.replace(/^#/, ''));
	const packed = params.get(FRAGMENT_KEY);
	if (!packed) throw new Error('this link holds no notebook (nothing after #nb=)');
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw')));
	} catch (error) {
		throw new Error(`the share link is damaged or incomplete: ${(error as Error).message}`, { cause: error });
	}
}
