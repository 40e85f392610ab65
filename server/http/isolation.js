// Cross-origin isolation (threads, SharedArrayBuffer) needs these on every response,
// worker scripts and wasm included. One definition for vite dev, hooks and server.js.
export const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};
