import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { createToken, hashToken } from '#server/tokens/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('reviews.test.ts');

type Answer = { status: number; body: any };
const NOTEBOOK = (title: string, extra = '') => `---\ntitle: ${title}\n---\nIntro.\n\n\`\`\`sql name=scores\nSELECT 1${extra}\n\`\`\`\n`;

/** A concrete path for every route pattern of the app: params filled with plausible values. */
function concrete(path: string, ids: { notebook: string; dataset: string }): string {
	return path
		.replace(':idOrSlug', ids.notebook)
		.replace(
			/:id\b/,
			path.startsWith('/api/datasets') ? ids.dataset : path.startsWith('/api/comments') ? '00000000-0000-4000-8000-000000000000' : 'rvl_000000000000'
		)
		.replace(':version', '1')
		.replace(':name', 'churn')
		.replace(':alias', 'champion')
		.replace('*', 'x/y');
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`review links and comments on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let team: Hono;
		let local: Hono;
		let writer: string;
		let reader: string;
		let notebook: { id: string; slug: string };
		let other: { id: string; slug: string };
		let dataset: { id: string };
		let hidden: { id: string };

		async function call(app: Hono, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
			const headers: Record<string, string> = {};
			if (token) headers.authorization = `Bearer ${token}`;
			if (body !== undefined) headers['content-type'] = 'application/json';
			const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
			const text = await res.text();
			return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
		}
		const link = async (role: 'read' | 'comment', extra: Record<string, unknown> = {}) =>
			(await call(team, 'POST', `/api/notebooks/${notebook.id}/review-links`, writer, { role, label: `${role} for Ana`, ...extra })).body.review_link;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			const deps = { store, version: 'test', artifactRoot: join(target.dir, 'artifacts'), rateLimit: { maxFailures: 1000, windowMs: 60_000 } };
			team = createApp({ ...deps, auth: true });
			local = createApp({ ...deps, auth: false });
			writer = (await store.transaction((tx) => createToken(tx, { role: 'write', name: 'writer' }))).token;
			reader = (await store.transaction((tx) => createToken(tx, { role: 'read', name: 'reader' }))).token;
			const up = async (name: string) =>
				(await (await local.request(`/api/datasets?name=${name}&format=csv`, { method: 'POST', body: `a\n${name}\n` })).json()).dataset;
			dataset = await up('shared');
			hidden = await up('hidden');
			notebook = (await call(team, 'POST', '/api/notebooks', writer, { source: NOTEBOOK('Reviewed', ` -- /api/datasets/${dataset.id}/content`) })).body
				.notebook;
			other = (await call(team, 'POST', '/api/notebooks', writer, { source: NOTEBOOK('Private') })).body.notebook;
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('creates a link with a one-time token (stored hashed), lists and revokes it', async () => {
			const created = await call(team, 'POST', `/api/notebooks/${notebook.slug}/review-links`, writer, { role: 'read', expires_in_days: 7, label: 'for Ana' });
			expect(created.status).toBe(201);
			const rl = created.body.review_link;
			expect(rl).toMatchObject({
				id: expect.stringMatching(/^rvl_[0-9a-f]{12}$/),
				role: 'read',
				notebook_id: notebook.id,
				label: 'for Ana',
				created_by: 'writer'
			});
			expect(rl.token).toMatch(/^dbr_[A-Za-z0-9_-]{43}$/);
			expect(rl.url).toBe(`/notebooks/${notebook.slug}?review=${rl.token}`);
			const days = (Date.parse(rl.expires_at) - Date.now()) / 86_400_000;
			expect(days).toBeGreaterThan(6.9);
			expect(days).toBeLessThan(7.1);
			const stored = await store.query<{ token_hash: string }>(`SELECT token_hash FROM review_links WHERE id = $1`, [rl.id]);
			expect(stored[0].token_hash).toBe(hashToken(rl.token));
			const list = await call(team, 'GET', `/api/notebooks/${notebook.id}/review-links`, reader);
			expect(list.body.review_links.map((l: { id: string }) => l.id)).toContain(rl.id);
			expect(list.body.review_links.every((l: { token?: string }) => l.token === undefined)).toBe(true);
			// Readers may not make links; bad bodies name the field.
			expect((await call(team, 'POST', `/api/notebooks/${notebook.id}/review-links`, reader, { role: 'read' })).status).toBe(403);
			const bad = await call(team, 'POST', `/api/notebooks/${notebook.id}/review-links`, writer, { role: 'edit' });
			expect([bad.status, bad.body.error.message]).toEqual([400, expect.stringMatching(/role/)]);
			expect((await call(team, 'POST', `/api/notebooks/${notebook.id}/review-links`, writer, { role: 'read', expires_in_days: 1000 })).status).toBe(400);

			expect((await call(team, 'GET', `/api/notebooks/${notebook.id}`, rl.token)).status).toBe(200);
			expect((await call(team, 'DELETE', `/api/review-links/${rl.id}`, writer)).status).toBe(200);
			expect((await call(team, 'GET', `/api/notebooks/${notebook.id}`, rl.token)).status).toBe(401);
			expect((await call(team, 'DELETE', `/api/review-links/${rl.id}`, writer)).status).toBe(404);
		});

		it('a read link opens its notebook, versions, comments and referenced datasets, in team and local mode', async () => {
			const { token } = await link('read');
			for (const app of [team, local]) {
				expect((await call(app, 'GET', `/api/notebooks/${notebook.id}`, token)).body.notebook.id).toBe(notebook.id);
				expect((await call(app, 'GET', `/api/notebooks/${notebook.slug}`, token)).status).toBe(200);
				expect((await call(app, 'GET', `/api/notebooks/${notebook.id}/versions`, token)).status).toBe(200);
				expect((await call(app, 'GET', `/api/notebooks/${notebook.id}/versions/1`, token)).status).toBe(200);
				expect((await call(app, 'GET', `/api/notebooks/${notebook.id}/comments`, token)).status).toBe(200);
				expect((await call(app, 'GET', `/api/notebooks/${notebook.id}?review=${token}`)).status).toBe(200);
				expect((await call(app, 'GET', '/api/review-links/current', token)).body.review_link).toMatchObject({ notebook_id: notebook.id, role: 'read' });
				expect((await call(app, 'GET', `/api/datasets/${dataset.id}/content`, token)).body).toBe('a\nshared\n');
				// Everything else is outside the link.
				expect((await call(app, 'GET', `/api/notebooks/${other.id}`, token)).status).toBe(403);
				expect((await call(app, 'GET', `/api/notebooks/${other.id}?review=${token}`)).status).toBe(403);
				expect((await call(app, 'GET', '/api/notebooks', token)).status).toBe(403);
				expect((await call(app, 'GET', `/api/datasets/${hidden.id}/content`, token)).status).toBe(403);
				expect((await call(app, 'GET', '/api/datasets', token)).status).toBe(403);
				expect((await call(app, 'GET', '/api/2.0/mlflow/experiments/search', token)).status).toBe(403);
				expect((await call(app, 'GET', '/api/tokens', token)).status).toBe(403);
				expect((await call(app, 'POST', `/api/notebooks/${notebook.id}/comments`, token, { cell: 'scores', body: 'hi' })).status).toBe(403);
			}
		});

		it('a read link cannot write anywhere: every write route of the app answers 403', async () => {
			const { token } = await link('read');
			const writes = team.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
			expect(writes.length).toBeGreaterThan(40);
			const before = await store.query(
				`SELECT (SELECT count(*) FROM notebooks) AS n, (SELECT count(*) FROM notebook_comments) AS c, (SELECT max(version) FROM notebooks) AS v`
			);
			for (const app of [team, local]) {
				for (const route of writes) {
					const path = concrete(route.path, { notebook: notebook.id, dataset: dataset.id });
					const res = await call(app, route.method, path, token, {
						source: NOTEBOOK('Hacked'),
						version: 1,
						cell: 'scores',
						body: 'x',
						role: 'comment',
						name: 'x'
					});
					expect(res.status, `${route.method} ${path}`).toBe(403);
				}
			}
			const after = await store.query(
				`SELECT (SELECT count(*) FROM notebooks) AS n, (SELECT count(*) FROM notebook_comments) AS c, (SELECT max(version) FROM notebooks) AS v`
			);
			expect(after).toEqual(before);
		});

		it('a comment link may comment on its notebook (and only that); writers resolve, edit and delete', async () => {
			const { token } = await link('comment');
			const posted = await call(local, 'POST', `/api/notebooks/${notebook.id}/comments`, token, { cell: 'scores', body: 'Why SELECT 1?' });
			expect(posted.status).toBe(201);
			const comment = posted.body.comment;
			expect(comment).toMatchObject({ notebook_id: notebook.id, cell: 'scores', body: 'Why SELECT 1?', author: 'review:comment for Ana', resolved: false });
			expect((await call(team, 'POST', `/api/notebooks/${other.id}/comments`, token, { cell: 'scores', body: 'x' })).status).toBe(403);
			expect((await call(team, 'PATCH', `/api/comments/${comment.id}`, token, { resolved: true })).status).toBe(403);
			expect((await call(team, 'DELETE', `/api/comments/${comment.id}`, token)).status).toBe(403);
			expect((await call(team, 'PUT', `/api/notebooks/${notebook.id}`, token, { source: NOTEBOOK('x'), version: 1 })).status).toBe(403);
			const noCell = await call(team, 'POST', `/api/notebooks/${notebook.id}/comments`, token, { cell: 'nope', body: 'x' });
			expect([noCell.status, noCell.body.error.message]).toEqual([400, expect.stringMatching(/no cell "nope" \(it has md1, scores\)/)]);

			const resolved = await call(team, 'PATCH', `/api/comments/${comment.id}`, writer, { resolved: true });
			expect(resolved.body.comment).toMatchObject({ resolved: true, resolved_by: 'writer', body: 'Why SELECT 1?' });
			const edited = await call(team, 'PATCH', `/api/comments/${comment.id}`, writer, { body: 'Edited' });
			expect(edited.body.comment).toMatchObject({ resolved: true, body: 'Edited' });
			const reopened = await call(team, 'PATCH', `/api/comments/${comment.id}`, writer, { resolved: false });
			expect(reopened.body.comment).toMatchObject({ resolved: false, resolved_by: null, resolved_at: null });
			expect((await call(team, 'PATCH', `/api/comments/${comment.id}`, writer, {})).status).toBe(400);
			expect((await call(team, 'PATCH', `/api/comments/${comment.id}`, reader, { resolved: true })).status).toBe(403);
			const list = await call(team, 'GET', `/api/notebooks/${notebook.slug}/comments?cell=scores`, reader);
			expect(list.body.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
			expect((await call(team, 'DELETE', `/api/comments/${comment.id}`, writer)).body.deleted.id).toBe(comment.id);
			expect((await call(team, 'GET', `/api/notebooks/${notebook.id}/comments`, reader)).body.comments).toEqual([]);
		});

		it('an expired link opens nothing', async () => {
			const { id, token } = await link('read');
			await store.query(`UPDATE review_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
			const res = await call(local, 'GET', `/api/notebooks/${notebook.id}`, token);
			expect(res.status).toBe(401);
			expect(res.body.error.message).toMatch(/invalid or expired review link/);
		});
	});
}
