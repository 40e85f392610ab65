import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cspDirectives, parseConnectSources, scriptHash, withConnectSources } from '#server/http/csp.js';
import { SANDBOX_FRAME_SCRIPT, SANDBOX_SRCDOC } from '#lib/sandbox/frame.ts';

describe('Content-Security-Policy', () => {
	it('allows exactly the app, the sandbox frame script by hash, WASM and blob workers', () => {
		const frameHash = `sha256-${createHash('sha256').update(SANDBOX_FRAME_SCRIPT).digest('base64')}`;
		expect(cspDirectives()).toEqual({
			'default-src': ['self'],
			'script-src': ['self', 'wasm-unsafe-eval', frameHash],
			'worker-src': ['self', 'blob:'],
			'style-src': ['self', 'unsafe-inline'],
			'img-src': ['self', 'data:', 'blob:'],
			'font-src': ['self'],
			'connect-src': ['self'],
			'object-src': ['none'],
			'base-uri': ['none'],
			'frame-ancestors': ['self'],
			'form-action': ['self']
		});
		const scriptSources = cspDirectives()['script-src'];
		expect(scriptSources).not.toContain('unsafe-inline');
		expect(scriptSources).not.toContain('unsafe-eval');
	});

	it('hashes the very text the sandbox iframe runs', () => {
		const inline = /<script>([\s\S]*)<\/script>/.exec(SANDBOX_SRCDOC)![1];
		expect(scriptHash(inline)).toBe(cspDirectives()['script-src'][2]);
		// A change of one character is a different hash: the policy follows the constant.
		expect(scriptHash(`${inline} `)).not.toBe(scriptHash(inline));
	});

	it('adds configured CORS data hosts to connect-src only', () => {
		const policy = "default-src 'self'; connect-src 'self'; object-src 'none'";
		const sources = parseConnectSources('https://data.example.com, https://*.s3.amazonaws.com/  http://localhost:9000');
		expect(sources).toEqual(['https://data.example.com', 'https://*.s3.amazonaws.com', 'http://localhost:9000']);
		expect(withConnectSources(policy, sources)).toBe(
			"default-src 'self'; connect-src 'self' https://data.example.com https://*.s3.amazonaws.com http://localhost:9000; object-src 'none'"
		);
		expect(withConnectSources(policy, [])).toBe(policy);
		expect(parseConnectSources(undefined)).toEqual([]);
		expect(parseConnectSources('  ')).toEqual([]);
	});

	it('refuses a connect source that is not an origin, naming the variable and the value', () => {
		expect(() => parseConnectSources("https://ok.example.com; script-src 'unsafe-inline'")).toThrow(
			'DRIFTBOOK_CONNECT_SRC: "https://ok.example.com;" is not an http(s) origin'
		);
		expect(() => parseConnectSources('*')).toThrow('"*" is not an http(s) origin');
		expect(() => parseConnectSources('ftp://files.example.com')).toThrow('"ftp://files.example.com"');
		expect(() => parseConnectSources('https://example.com/data/')).toThrow('"https://example.com/data/"');
	});
});
