import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '#server/app.ts';
import { seedBundledNotebooks } from '#server/seed.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from './targets';
import { unreachableStore } from '../../support/unreachable-store';

warnIfPostgresSkipped('app.test.ts');

const VERSION = '9.9.9-test';

async function json(app: Hono, path: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: any }> {
	const res = await app.request(path, init);
	return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`API routes on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			const dir = join(target.dir, 'notebooks');
			await mkdir(dir, { recursive: true });
			await writeFile(join(dir, 'drift-review.driftbook.md'), '---\ntitle: Drift review\n---\nHello.\n');
			await writeFile(join(dir, 'ab-test.driftbook.md'), '---\ntitle: A/B test\n---\n```sql name=q\nSELECT 1\n```\n');
			await seedBundledNotebooks(store, dir);
			app = createApp({ store, version: VERSION });
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('GET /api/health reports version and store kind', async () => {
			const res = await json(app, '/api/health');
			expect(res.status).toBe(200);
			expect(res.type).toMatch(/^application\/json/);
			expect(res.body).toEqual({ status: 'ok', version: VERSION, store: factory.kind });
		});

		it('GET /api/notebooks lists summaries without sources', async () => {
			const res = await json(app, '/api/notebooks');
			expect(res.status).toBe(200);
			const list = res.body.notebooks as Record<string, unknown>[];
			expect(list.map((n) => n.slug).sort()).toEqual(['ab-test', 'drift-review']);
			for (const n of list) {
				expect(Object.keys(n).sort()).toEqual(['bundled', 'id', 'slug', 'title', 'updated_at', 'version']);
				expect(n).toMatchObject({ version: 1, bundled: true });
				expect(Number.isNaN(Date.parse(n.updated_at as string))).toBe(false);
			}
		});

		it('GET /api/notebooks/:idOrSlug finds by slug and by id', async () => {
			const bySlug = await json(app, '/api/notebooks/drift-review');
			expect(bySlug.status).toBe(200);
			const nb = bySlug.body.notebook;
			expect(Object.keys(nb).sort()).toEqual(['bundled', 'created_at', 'id', 'slug', 'source', 'title', 'updated_at', 'version']);
			expect(nb).toMatchObject({ slug: 'drift-review', title: 'Drift review', source: '---\ntitle: Drift review\n---\nHello.\n', version: 1, bundled: true });
			expect(nb.id).toMatch(/^[0-9a-f-]{36}$/);

			const byId = await json(app, `/api/notebooks/${nb.id}`);
			expect(byId.status).toBe(200);
			expect(byId.body.notebook).toEqual(nb);
		});

		it('GET /api/notebooks/:idOrSlug answers 404 JSON for an unknown notebook', async () => {
			const res = await json(app, '/api/notebooks/nope');
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ error: { code: 'not_found', message: 'notebook nope not found' } });
			const unknownId = await json(app, '/api/notebooks/00000000-0000-4000-8000-000000000000');
			expect(unknownId.status).toBe(404);
		});

		it('rejects a malformed id or slug with 400 JSON', async () => {
			const res = await json(app, `/api/notebooks/${encodeURIComponent("x' OR 1=1 --")}`);
			expect(res.status).toBe(400);
			expect(res.body.error.code).toBe('invalid_request');
		});

		it('answers unknown API routes with 404 JSON', async () => {
			for (const [method, path] of [
				['GET', '/api/nothing-here'],
				['GET', '/api'],
				['POST', '/api/health'],
				['GET', '/api/notebooks/a/b']
			]) {
				const res = await json(app, path, { method });
				expect(res.status, `${method} ${path}`).toBe(404);
				expect(res.type).toMatch(/^application\/json/);
				expect(res.body.error.code).toBe('not_found');
			}
		});
	});
}

describe('API errors (no database)', () => {
	const broken = unreachableStore();
	const app = createApp({ store: broken, version: VERSION });

	it('health answers 503 JSON when the store does not', async () => {
		const res = await json(app, '/api/health');
		expect(res.status).toBe(503);
		expect(res.body).toMatchObject({ status: 'error', version: VERSION, store: 'postgres' });
		expect(res.body.message).toContain('connection refused');
	});

	it('a thrown error becomes 500 JSON, without the internals', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await json(app, '/api/notebooks');
		const calls = logged.mock.calls.length;
		logged.mockRestore();
		expect(res.status).toBe(500);
		expect(res.type).toMatch(/^application\/json/);
		expect(res.body).toEqual({ error: { code: 'internal', message: 'internal server error' } });
		expect(calls).toBe(1);
	});
});
