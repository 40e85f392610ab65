import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { allowedHosts, misdirectedRefusal } from '#server/http/host-check.ts';
import { handle } from '../../../../src/hooks.server';
import { serveEnv, startServe, type Served } from '../serve-process';
import { targets } from '../targets';

const withHost = (host: string | undefined, path = '/api/notebooks', method = 'GET') =>
	new Request(`http://127.0.0.1:3000${path}`, { method, headers: host === undefined ? {} : { host } });

describe('misdirectedRefusal (DNS rebinding)', () => {
	const local = allowedHosts({ HOST: '127.0.0.1' });

	it.each([
		['localhost:3000', true],
		['LOCALHOST', true],
		['127.0.0.1:5000', true],
		['[::1]:3000', true],
		[undefined, true],
		['rebind.evil.example:3000', false],
		['127.0.0.1.evil.example', false],
		['localhost.evil.example:3000', false],
		['10.0.0.5:3000', false]
	])('Host %s → allowed %s', (host, allowed) => {
		expect(misdirectedRefusal(withHost(host), local) === undefined).toBe(allowed);
	});

	it('allows the bound address and the configured names', () => {
		const team = allowedHosts({ HOST: '10.0.0.5', DRIFTBOOK_ALLOWED_HOSTS: 'driftbook.team.example, Other.Example:8080' });
		for (const host of ['10.0.0.5:3000', 'driftbook.team.example', 'driftbook.team.example:443', 'other.example']) {
			expect(misdirectedRefusal(withHost(host), team)).toBeUndefined();
		}
		expect(misdirectedRefusal(withHost('evil.example'), team)).toMatch(/DRIFTBOOK_ALLOWED_HOSTS/);
		expect(misdirectedRefusal(withHost('evil.example'), allowedHosts({ DRIFTBOOK_ALLOWED_HOSTS: '*' }))).toBeUndefined();
		// 0.0.0.0 binds every interface but is no name a request uses: the LAN name must be configured.
		expect(misdirectedRefusal(withHost('10.0.0.5'), allowedHosts({ HOST: '0.0.0.0' }))).toBeDefined();
	});

	it('answers 421 JSON for pages and API in the SvelteKit app, before anything resolves', async () => {
		for (const path of ['/', '/notebooks/abc', '/api/notebooks']) {
			let resolved = false;
			const res = await handle({
				event: { request: withHost('rebind.evil.example:3000', path, 'GET') } as never,
				resolve: async () => {
					resolved = true;
					return new Response('page');
				}
			});
			expect(res.status).toBe(421);
			expect((await res.json()).error.code).toBe('misdirected_request');
			expect(resolved).toBe(false);
		}
		const ok = await handle({ event: { request: withHost('127.0.0.1:3000', '/') } as never, resolve: async () => new Response('page') });
		expect(ok.status).toBe(200);
	});
});

describe('driftbook serve: Host check and /ajax-api', () => {
	let server: Served | undefined;
	let dir: Awaited<ReturnType<(typeof targets)[0]['create']>>;

	beforeAll(async () => {
		dir = await targets[0].create();
		server = await startServe(await serveEnv(dir.options, dir.options.dataDir ?? join(dir.dir, 'data')));
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await dir?.dispose();
	});

	/** A request over real HTTP with a chosen Host header (fetch does not let one set it). */
	const send = (host: string, method: string, path: string, body?: string) =>
		new Promise<{ status: number; body: string }>((resolve, reject) => {
			const url = new URL(path, server!.base);
			const req = httpRequest(
				{ host: url.hostname, port: url.port, path: url.pathname, method, headers: { host, origin: `http://${host}`, 'content-type': 'application/json' } },
				(res) => {
					let text = '';
					res.on('data', (d) => (text += d));
					res.on('end', () => resolve({ status: res.statusCode!, body: text }));
				}
			);
			req.on('error', reject);
			req.end(body);
		});

	it('answers 421 to Host: rebind.evil.example (with a matching Origin) and serves 127.0.0.1', async () => {
		const port = new URL(server!.base).port;
		const evil = `rebind.evil.example:${port}`;
		const write = await send(evil, 'POST', '/api/2.0/mlflow/experiments/create', JSON.stringify({ name: 'rebound' }));
		expect(write.status).toBe(421);
		expect(JSON.parse(write.body).error.code).toBe('misdirected_request');
		expect((await send(evil, 'GET', '/api/notebooks')).status).toBe(421);
		expect((await send(`127.0.0.1:${port}`, 'GET', '/api/notebooks')).status).toBe(200);
		expect((await send(`localhost:${port}`, 'GET', '/api/notebooks')).status).toBe(200);
	});

	it('serves /ajax-api/2.0/mlflow/… (MLflow UI path) as /api/2.0/mlflow/…', async () => {
		const created = await fetch(`${server!.base}/ajax-api/2.0/mlflow/experiments/create`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'via-ajax-api' })
		});
		expect(created.status).toBe(200);
		const { experiment_id } = await created.json();
		const viaApi = await fetch(`${server!.base}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
		const viaAjax = await fetch(`${server!.base}/ajax-api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
		expect(viaAjax.status).toBe(200);
		expect(await viaAjax.json()).toEqual(await viaApi.json());
	});
});
