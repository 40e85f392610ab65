// DuckDB-WASM's own worker (the `eh` bundle, whose URL comes in the `duckdb` query parameter),
// started so that the browser can keep DuckDB's compiled WebAssembly between visits.
//
// duckdb-wasm 1.32 hands `WebAssembly.instantiateStreaming` a Response it rebuilt around a
// TransformStream, to count the bytes for a progress callback. A rebuilt Response has no HTTP
// cache entry behind it, so Chromium never caches the compiled module: every visit compiled the
// 34 MB again, and tiered it up again. Without TransformStream, duckdb-wasm passes fetch()'s own
// Response, which Chromium's WebAssembly code cache keeps with the cached file. driftbook asks for
// no download progress, so nothing is lost. A classic worker, so that importScripts runs the
// bundle as duckdb-wasm builds it.

//
// The WASM (its URL in the `wasm` query parameter) is fetched here, before the 772 KB bundle is
// read and run and DuckDB's instantiate message arrives: duckdb-wasm's own fetch() of that URL is
// answered with this early fetch's Response, still fetch()'s own, so the code cache keeps working.

/** @typedef {{ TransformStream?: unknown; fetch: typeof fetch; importScripts(...urls: string[]): void; location: { href: string; origin: string } }} WorkerScope */
const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (self));
delete scope.TransformStream;
const params = new URL(scope.location.href).searchParams;
/** @param {string} name */
const sameSite = (name) => {
	const url = new URL(params.get(name) ?? '', scope.location.href);
	if (url.origin !== scope.location.origin) throw new Error(`DuckDB's worker must come from this site, not ${url.origin}`);
	return url;
};
const bundle = sameSite('duckdb');
if (params.has('wasm')) {
	const wasm = sameSite('wasm').href;
	const browserFetch = scope.fetch.bind(scope);
	/** @type {Promise<Response> | undefined} */
	let early = browserFetch(wasm, { credentials: 'same-origin' });
	// A failed early fetch is duckdb-wasm's to see, when it asks for the file.
	early.catch(() => {});
	scope.fetch = (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		if (early && new URL(url, scope.location.href).href === wasm) {
			const response = early;
			early = undefined;
			return response;
		}
		return browserFetch(input, init);
	};
}
scope.importScripts(bundle.href);
