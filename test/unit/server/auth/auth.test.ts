import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredRole } from '#server/auth/middleware.ts';
import { createToken, hashToken } from '#server/tokens/service.ts';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('auth.test.ts');

type Answer = { status: number; body: any; headers: Headers };

const NOTEBOOK = '---\ntitle: Team\n---\nHello.\n';

describe('requiredRole', () => {
	it('maps methods and paths to roles', () => {
		expect(requiredRole('GET', '/api/notebooks')).toBe('read');
		expect(requiredRole('PUT', '/api/notebooks/x')).toBe('write');
		expect(requiredRole('POST', '/api/2.0/mlflow/runs/search')).toBe('read');
		expect(requiredRole('POST', '/api/2.0/mlflow/runs/create')).toBe('write');
		expect(requiredRole('GET', '/api/tokens')).toBe('admin');
		expect(requiredRole('DELETE', '/api/tokens/tok_1')).toBe('admin');
	});
});

for (const factory of targets) {
	describe.runIf(factory.enabled)(`team mode (DRIFTBOOK_AUTH=on) on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let team: Hono;
		let local: Hono;
		const tokens: Record<'read' | 'write' | 'admin', string> = { read: '', write: '', admin: '' };

		async function call(app: Hono, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
			const headers: Record<string, string> = {};
			if (token !== undefined) headers.authorization = `Bearer ${token}`;
			if (body !== undefined) headers['content-type'] = 'application/json';
			const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
			return { status: res.status, body: await res.json(), headers: res.headers };
		}

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			team = createApp({ store, version: 'test', auth: true });
			local = createApp({ store, version: 'test', auth: false });
			for (const role of ['read', 'write', 'admin'] as const) {
				tokens[role] = (await store.transaction((tx) => createToken(tx, { role, name: `${role}-bot` }))).token;
			}
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('stores tokens only as sha256 hashes', async () => {
			expect(tokens.write).toMatch(/^dbk_[A-Za-z0-9_-]{43}$/);
			const rows = await store.query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens`);
			expect(rows.map((r) => r.token_hash).sort()).toEqual(Object.values(tokens).map(hashToken).sort());
		});

		it('keeps /api/health public', async () => {
			expect((await call(team, 'GET', '/api/health')).status).toBe(200);
		});

		it('refuses requests without a valid token: 401 in driftbook shape', async () => {
			const none = await call(team, 'GET', '/api/notebooks');
			expect(none.status).toBe(401);
			expect(none.body.error.code).toBe('unauthenticated');
			expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
			const wrong = await call(team, 'GET', '/api/notebooks', 'dbk_not-a-real-token');
			expect(wrong.status).toBe(401);
			expect((await call(team, 'GET', '/api/notebooks', tokens.read.slice(0, -1) + (tokens.read.endsWith('A') ? 'B' : 'A'))).status).toBe(401);
		});

		it('answers MLflow clients in MLflow error shape', async () => {
			const none = await call(team, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0');
			expect(none.status).toBe(401);
			expect(none.body).toEqual({ error_code: 'UNAUTHENTICATED', message: expect.any(String) });
			const denied = await call(team, 'POST', '/api/2.0/mlflow/experiments/create', tokens.read, { name: 'x' });
			expect(denied.status).toBe(403);
			expect(denied.body).toEqual({ error_code: 'PERMISSION_DENIED', message: expect.any(String) });
			expect((await call(team, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', tokens.read)).status).toBe(200);
			expect((await call(team, 'POST', '/api/2.0/mlflow/experiments/search', tokens.read, { max_results: 10 })).status).toBe(200);
			expect((await call(team, 'POST', '/api/2.0/mlflow/experiments/create', tokens.write, { name: 'team-exp' })).status).toBe(200);
		});

		it('read tokens read, write tokens write, and writes are attributed to the token', async () => {
			expect((await call(team, 'GET', '/api/notebooks', tokens.read)).status).toBe(200);
			const denied = await call(team, 'POST', '/api/notebooks', tokens.read, { source: NOTEBOOK });
			expect(denied.status).toBe(403);
			expect(denied.body.error.code).toBe('permission_denied');
			const created = await call(team, 'POST', '/api/notebooks', tokens.write, { source: NOTEBOOK });
			expect(created.status).toBe(201);
			const versions = await call(team, 'GET', `/api/notebooks/${created.body.notebook.id}/versions`, tokens.admin);
			expect(versions.body.versions[0].author).toBe('write-bot');

			// alias moves through the MLflow API record the token too
			await call(team, 'POST', '/api/2.0/mlflow/registered-models/create', tokens.write, { name: 'm' });
			await call(team, 'POST', '/api/2.0/mlflow/model-versions/create', tokens.write, { name: 'm', source: 's3://m/1' });
			await call(team, 'POST', '/api/2.0/mlflow/registered-models/alias', tokens.write, { name: 'm', alias: 'champion', version: '1' });
			const history = await call(team, 'GET', '/api/registry/models/m/aliases/champion/history', tokens.read);
			expect(history.body.history[0].actor).toBe('write-bot');
			expect((await call(team, 'POST', '/api/registry/models/m/aliases/champion/rollback', tokens.read, {})).status).toBe(403);
		});

		it('token routes need admin; revoked tokens stop working', async () => {
			expect((await call(team, 'GET', '/api/tokens', tokens.write)).status).toBe(403);
			const list = await call(team, 'GET', '/api/tokens', tokens.admin);
			expect(list.status).toBe(200);
			expect(list.body.tokens.map((t: { name: string }) => t.name).sort()).toEqual(['admin-bot', 'read-bot', 'write-bot']);
			expect(JSON.stringify(list.body)).not.toMatch(/dbk_|token_hash/);

			const created = await call(team, 'POST', '/api/tokens', tokens.admin, { role: 'read', name: 'temp' });
			expect(created.status).toBe(201);
			expect((await call(team, 'GET', '/api/notebooks', created.body.token)).status).toBe(200);
			expect((await call(team, 'DELETE', `/api/tokens/${created.body.info.id}`, tokens.admin)).status).toBe(200);
			expect((await call(team, 'GET', '/api/notebooks', created.body.token)).status).toBe(401);
			expect((await call(team, 'DELETE', `/api/tokens/${created.body.info.id}`, tokens.admin)).status).toBe(404);
			expect((await call(team, 'POST', '/api/tokens', tokens.admin, { role: 'root' })).status).toBe(400);
		});

		it('local mode needs no token and records "local"', async () => {
			const created = await call(local, 'POST', '/api/notebooks', undefined, { source: NOTEBOOK });
			expect(created.status).toBe(201);
			const versions = await call(local, 'GET', `/api/notebooks/${created.body.notebook.id}/versions`);
			expect(versions.body.versions[0].author).toBe('local');
		});
	});
}
