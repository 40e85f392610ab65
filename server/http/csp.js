// The Content-Security-Policy of every HTML page. SvelteKit writes the header (`kit.csp` in
// svelte.config.js, which adds the hash of its own inline bootstrap script per page); this module
// says what goes in it, so the build, the hooks and the tests share one definition.
import { createHash } from 'node:crypto';
import { SANDBOX_FRAME_SCRIPT } from '#lib/sandbox/frame-script.js';

/**
 * `sha256-…` of an inline script's text, as CSP hash sources spell it (without quotes).
 * @param {string} text
 */
export function scriptHash(text) {
	return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/**
 * The directives, in SvelteKit's `kit.csp.directives` form (keywords and hashes unquoted).
 * - script-src: the app's own modules, the sandbox iframe's one inline script by hash (the iframe
 *   is srcdoc, so it inherits this policy), and `wasm-unsafe-eval` for DuckDB and ONNX Runtime.
 *   Never `unsafe-eval`, never `unsafe-inline`: an injected `<script>` or `eval` does not run.
 * - worker-src blob: the JS cell sandbox starts its workers from blob: URLs.
 * - style-src 'unsafe-inline': Observable Plot writes a `<style>` element and style attributes
 *   into every chart, and Svelte transitions inject `<style>`; styles cannot run code.
 * - connect-src: the app's own API and files, plus CORS data hosts the operator allows
 *   (DRIFTBOOK_CONNECT_SRC, added per response in hooks.server.ts so it is read at run time).
 * @returns {Record<string, string[]>}
 */
export function cspDirectives() {
	return {
		'default-src': ['self'],
		'script-src': ['self', 'wasm-unsafe-eval', scriptHash(SANDBOX_FRAME_SCRIPT)],
		'worker-src': ['self', 'blob:'],
		'style-src': ['self', 'unsafe-inline'],
		'img-src': ['self', 'data:', 'blob:'],
		'font-src': ['self'],
		'connect-src': ['self'],
		'object-src': ['none'],
		'base-uri': ['none'],
		'frame-ancestors': ['self'],
		'form-action': ['self']
	};
}

/**
 * The CORS data hosts from DRIFTBOOK_CONNECT_SRC: origins separated by spaces or commas,
 * e.g. `https://data.example.com https://*.s3.amazonaws.com`. Anything that is not an http(s)
 * origin (a path, a keyword, a `;` that would start a new directive) is refused by name.
 * @param {string | undefined} value
 * @returns {string[]}
 */
export function parseConnectSources(value) {
	const sources = (value ?? '').split(/[\s,]+/).filter(Boolean);
	for (const source of sources) {
		if (!/^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.test(source)) {
			throw new Error(`DRIFTBOOK_CONNECT_SRC: "${source}" is not an http(s) origin such as https://data.example.com`);
		}
	}
	return sources.map((s) => s.replace(/\/$/, ''));
}

/**
 * `policy` (a header SvelteKit wrote) with `sources` appended to its connect-src directive.
 * @param {string} policy
 * @param {readonly string[]} sources
 */
export function withConnectSources(policy, sources) {
	if (sources.length === 0) return policy;
	const directives = policy
		.split(';')
		.map((d) => d.trim())
		.filter(Boolean);
	const index = directives.findIndex((d) => d.split(/\s+/)[0] === 'connect-src');
	if (index < 0) directives.push(`connect-src 'self' ${sources.join(' ')}`);
	else directives[index] = `${directives[index]} ${sources.join(' ')}`;
	return directives.join('; ');
}
