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
delete self.TransformStream;
const bundle = new URL(new URL(self.location.href).searchParams.get('duckdb') ?? '', self.location.href);
if (bundle.origin !== self.location.origin) throw new Error(`DuckDB's worker must come from this site, not ${bundle.origin}`);
self.importScripts(bundle.href);
