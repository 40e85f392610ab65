/**
 * Headers for bytes that users uploaded (artifacts, datasets): served on the app's origin, they
 * must never run as the app. `attachment` makes a browser that navigates to them save instead of
 * render; should one render anyway, the sandbox CSP gives the document an opaque origin with no
 * script, and nosniff stops a browser from reading `text/plain` as HTML. Scripts of the app that
 * fetch() the bytes are unaffected.
 */
export function userContentHeaders(fileName: string): Record<string, string> {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return {
		'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
		'Content-Security-Policy': "sandbox; default-src 'none'",
		'X-Content-Type-Options': 'nosniff'
	};
}
