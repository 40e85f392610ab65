// Every page is rendered in the browser: cells run on workers, DuckDB-WASM and WebGPU; the API
// token (team mode) and a shared notebook's fragment exist only there. Set once here so error
// pages (an unknown path) render the same way.
export const ssr = false;
