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

/** @typedef {{ TransformStream?: unknown; importScripts(...urls: string[]): void; location: { href: string; origin: string } }} WorkerScope */
const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (self));
delete scope.TransformStream;
const bundle = new URL(new URL(scope.location.href).searchParams.get('duckdb') ?? '', scope.location.href);
if (bundle.origin !== scope.location.origin) throw new Error(`DuckDB's worker must come from this site, not ${bundle.origin}`);
scope.importScripts(bundle.href);
