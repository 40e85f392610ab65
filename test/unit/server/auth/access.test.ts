import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { createToken } from '#server/tokens/service.ts';
import { corsFromEnv } from '#server/http/cors.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('access.test.ts');

const TEAM_UI = 'https://team.example.com';
const OTHER = 'https://evil.example.net';

for (const factory of targets) {
	describe.runIf(factory.enabled)(`CORS and token-check rate limits on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let team: Hono;
		let token: string;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			const cors = corsFromEnv(`${TEAM_UI}, *`);
			app = createApp({ store, version: 'test', auth: false, cors });
			team = createApp({ store, version: 'test', auth: true, cors, rateLimit: { maxFailures: 3, windowMs: 60_000 } });
			token = (await store.transaction((tx) => createToken(tx, { role: 'write', name: 'ci' }))).token;
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		const preflight = (on: Hono, origin: string, method: string) =>
			on.request('/api/notebooks', {
				method: 'OPTIONS',
				headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, idempotency-key' }
			});

		it('answers preflights for a listed origin with every method and the headers the API reads', async () => {
			const res = await preflight(team, TEAM_UI, 'PUT');
			expect(res.status).toBe(204);
			expect(res.headers.get('access-control-allow-origin')).toBe(TEAM_UI);
			expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
			expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization, Content-Type, Idempotency-Key/);
			expect(res.headers.get('vary')).toBe('Origin');
			const read = await team.request('/api/notebooks', { headers: { origin: TEAM_UI, authorization: `Bearer ${token}` } });
			expect(read.status).toBe(200);
			expect(read.headers.get('access-control-allow-origin')).toBe(TEAM_UI);
			expect(read.headers.get('vary')).toContain('Origin');
			expect(read.headers.get('access-control-expose-headers')).toMatch(/ETag/);
			// Errors carry CORS too, so the page can read why.
			const denied = await team.request('/api/notebooks', { headers: { origin: TEAM_UI } });
			expect([denied.status, denied.headers.get('access-control-allow-origin')]).toEqual([401, TEAM_UI]);
		});

		it('lets any origin read with "*", but never write', async () => {
			const read = await preflight(app, OTHER, 'GET');
			expect(read.headers.get('access-control-allow-origin')).toBe('*');
			expect(read.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
			const get = await app.request('/api/notebooks', { headers: { origin: OTHER } });
			expect(get.headers.get('access-control-allow-origin')).toBe('*');
			const write = await preflight(app, OTHER, 'POST');
			expect(write.status).toBe(204);
			expect(write.headers.get('access-control-allow-origin')).toBeNull();
			expect(write.headers.get('access-control-allow-methods')).toBeNull();
			expect(write.headers.get('vary')).toBe('Origin');
			const post = await app.request('/api/notebooks', { method: 'POST', headers: { origin: OTHER, 'content-type': 'application/json' }, body: '{}' });
			expect(post.headers.get('access-control-allow-origin')).toBeNull();
		});

		it('gives unlisted origins no CORS headers when "*" is not configured', async () => {
			const strict = createApp({ store, version: 'test', auth: false, cors: corsFromEnv(TEAM_UI) });
			for (const method of ['GET', 'DELETE']) {
				const res = await preflight(strict, OTHER, method);
				expect(res.headers.get('access-control-allow-origin')).toBeNull();
			}
			const get = await strict.request('/api/health', { headers: { origin: OTHER } });
			expect(get.headers.get('access-control-allow-origin')).toBeNull();
			expect(get.headers.get('vary')).toContain('Origin');
			expect((await strict.request('/api/health')).headers.get('vary')).toBeNull();
		});

		it('answers 429 with Retry-After after repeated failed token checks from one client, without counting successes', async () => {
			const from = (ip: string, bearer: string) => team.request('/api/notebooks', { headers: { authorization: `Bearer ${bearer}` } }, { clientIp: ip });
			const wrong = (n: number) => `dbk_wrong${n}${'x'.repeat(30)}`;
			expect((await from('10.0.0.1', wrong(1))).status).toBe(401);
			expect((await from('10.0.0.1', token)).status).toBe(200);
			expect((await from('10.0.0.1', wrong(2))).status).toBe(401);
			expect((await from('10.0.0.1', token)).status).toBe(200);
			expect((await from('10.0.0.1', wrong(3))).status).toBe(401);
			const limited = await from('10.0.0.1', wrong(4));
			expect(limited.status).toBe(429);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
			expect((await limited.json()).error.code).toBe('rate_limited');
			// A valid token from that client is still checked and accepted (behind a proxy the whole
			// team shares one address); only further wrong tokens are refused.
			expect((await from('10.0.0.1', token)).status).toBe(200);
			expect((await from('10.0.0.1', wrong(6))).status).toBe(429);
			// Another client with a valid token is unaffected.
			expect((await from('10.0.0.2', token)).status).toBe(200);
			// MLflow routes answer in MLflow's shape (its client retries 429 with backoff).
			const mlflow = await team.request('/api/2.0/mlflow/experiments/search', { headers: { authorization: `Bearer ${wrong(5)}` } }, { clientIp: '10.0.0.1' });
			expect([mlflow.status, (await mlflow.json()).error_code]).toEqual([429, 'REQUEST_LIMIT_EXCEEDED']);
		});

		it('never locks a token out through guesses at its prefix from many clients', async () => {
			const victimPrefix = token.slice(0, 12);
			for (let i = 0; i < 10; i++) {
				const res = await team.request(
					'/api/notebooks',
					{ headers: { authorization: `Bearer ${victimPrefix}${i}${'y'.repeat(30)}` } },
					{ clientIp: `10.1.0.${i}` }
				);
				expect(res.status).toBe(401);
			}
			const victim = await team.request('/api/notebooks', { headers: { authorization: `Bearer ${token}` } }, { clientIp: '10.1.0.99' });
			expect(victim.status).toBe(200);
		});

		it('rate limits review-link guesses in local mode too', async () => {
			const local = createApp({ store, version: 'test', auth: false, rateLimit: { maxFailures: 2, windowMs: 60_000 } });
			const guess = (n: number) => local.request(`/api/notebooks/x?review=dbr_guess${n}${'z'.repeat(30)}`, {}, { clientIp: '10.2.0.1' });
			expect((await guess(1)).status).toBe(401);
			expect((await guess(2)).status).toBe(401);
			expect((await guess(3)).status).toBe(429);
			// Without any token local mode is unaffected.
			expect((await local.request('/api/notebooks', {}, { clientIp: '10.2.0.1' })).status).toBe(200);
		});
	});
}
