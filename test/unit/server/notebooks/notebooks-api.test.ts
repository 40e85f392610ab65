import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { seedBundledNotebooks } from '#server/seed.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('notebooks-api.test.ts');

type Answer = { status: number; body: any };

const text = (title: string, sql = 'SELECT 1') => `---\ntitle: ${title}\n---\nProse.\n\n\`\`\`sql name=q\n${sql}\n\`\`\`\n`;

for (const factory of targets) {
	describe.runIf(factory.enabled)(`notebooks API (write, history) on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let dir: string;

		async function call(method: string, path: string, body?: unknown): Promise<Answer> {
			const res = await app.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			dir = join(target.dir, 'notebooks');
			await mkdir(dir, { recursive: true });
			await writeFile(join(dir, 'bundled.driftbook.md'), text('Bundled'));
			await writeFile(join(dir, 'other.driftbook.md'), text('Other'));
			await seedBundledNotebooks(store, dir);
			app = createApp({ store, version: 'test', auth: false });
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('creates a notebook from its text, with a unique slug and version 1 in its history', async () => {
			const created = await call('POST', '/api/notebooks', { source: text('My Review') });
			expect(created.status).toBe(201);
			expect(created.body.notebook).toMatchObject({ slug: 'my-review', title: 'My Review', version: 1, bundled: false, source: text('My Review') });
			const again = await call('POST', '/api/notebooks', { source: text('My Review'), title: 'My Review' });
			expect(again.body.notebook.slug).toBe('my-review-2');
			const titled = await call('POST', '/api/notebooks', { source: text('Ignored'), title: 'Own title' });
			expect(titled.body.notebook).toMatchObject({ slug: 'own-title', title: 'Own title' });

			const versions = await call('GET', `/api/notebooks/${created.body.notebook.id}/versions`);
			expect(versions.status).toBe(200);
			expect(versions.body.versions).toEqual([{ version: 1, title: 'My Review', author: 'local', created_at: expect.any(String) }]);
			const list = await call('GET', '/api/notebooks');
			expect(list.body.notebooks.map((n: { slug: string }) => n.slug)).toContain('my-review-2');
		});

		it('refuses bad notebook text with a 400 naming the line, and saves nothing', async () => {
			const before = (await call('GET', '/api/notebooks')).body.notebooks.length;
			const bad = await call('POST', '/api/notebooks', { source: '---\ntitle: X\n---\n\n```sql name=q\nSELECT 1\n' });
			expect(bad.status).toBe(400);
			expect(bad.body.error.code).toBe('invalid_notebook');
			expect(bad.body.error.message).toMatch(/line \d+/);
			expect((await call('GET', '/api/notebooks')).body.notebooks.length).toBe(before);

			expect((await call('POST', '/api/notebooks', {})).status).toBe(400);
			expect((await call('POST', '/api/notebooks', 'not json')).status).toBe(400);
		});

		it('saves with optimistic concurrency: a stale version is a 409 with the current state', async () => {
			const { notebook } = (await call('POST', '/api/notebooks', { source: text('Concurrent') })).body;
			const saved = await call('PUT', `/api/notebooks/${notebook.id}`, { source: text('Concurrent', 'SELECT 2'), version: 1 });
			expect(saved.status).toBe(200);
			expect(saved.body.notebook).toMatchObject({ id: notebook.id, version: 2, source: text('Concurrent', 'SELECT 2') });

			const stale = await call('PUT', `/api/notebooks/${notebook.id}`, { source: text('Concurrent', 'SELECT 3'), version: 1 });
			expect(stale.status).toBe(409);
			expect(stale.body.error).toEqual({
				code: 'conflict',
				message: expect.stringContaining('version 2'),
				current: { version: 2, source: text('Concurrent', 'SELECT 2'), updated_at: saved.body.notebook.updated_at }
			});
			// nothing lost, nothing overwritten
			const now = await call('GET', `/api/notebooks/${notebook.id}`);
			expect(now.body.notebook).toMatchObject({ version: 2, source: text('Concurrent', 'SELECT 2') });

			// bad text on save: 400, the saved text stays
			const bad = await call('PUT', `/api/notebooks/${notebook.id}`, { source: '---\ntitle: X\nbroken front matter\n---\n', version: 2 });
			expect(bad.status).toBe(400);
			expect(bad.body.error.message).toMatch(/line 3/);
			expect((await call('GET', `/api/notebooks/${notebook.id}`)).body.notebook.version).toBe(2);

			expect((await call('PUT', `/api/notebooks/${notebook.id}`, { source: text('x') })).status).toBe(400);
			expect((await call('PUT', '/api/notebooks/no-such-notebook', { source: text('x'), version: 1 })).status).toBe(404);
		});

		it('of two concurrent saves on one version exactly one wins', async () => {
			const { notebook } = (await call('POST', '/api/notebooks', { source: text('Race') })).body;
			const results = await Promise.all(
				[1, 2, 3].map((n) => call('PUT', `/api/notebooks/${notebook.id}`, { source: text('Race', `SELECT ${n}`), version: 1 }))
			);
			expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
			const versions = (await call('GET', `/api/notebooks/${notebook.id}/versions`)).body.versions;
			expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
		});

		it('keeps every version, reads one, and restores it as a new version', async () => {
			const { notebook } = (await call('POST', '/api/notebooks', { source: text('History') })).body;
			await call('PUT', `/api/notebooks/${notebook.id}`, { source: text('History', 'SELECT 2'), version: 1 });
			await call('PUT', `/api/notebooks/${notebook.slug}`, { source: text('History renamed', 'SELECT 3'), version: 2 });

			const list = await call('GET', `/api/notebooks/${notebook.id}/versions`);
			expect(list.body.versions.map((v: { version: number; title: string }) => [v.version, v.title])).toEqual([
				[3, 'History renamed'],
				[2, 'History'],
				[1, 'History']
			]);
			const v1 = await call('GET', `/api/notebooks/${notebook.id}/versions/1`);
			expect(v1.status).toBe(200);
			expect(v1.body.version).toMatchObject({ notebook_id: notebook.id, version: 1, source: text('History'), author: 'local' });
			expect((await call('GET', `/api/notebooks/${notebook.id}/versions/9`)).status).toBe(404);
			expect((await call('GET', `/api/notebooks/${notebook.id}/versions/zero`)).status).toBe(400);

			const restored = await call('POST', `/api/notebooks/${notebook.id}/versions/1/restore`);
			expect(restored.status).toBe(200);
			expect(restored.body.notebook).toMatchObject({ version: 4, source: text('History'), title: 'History' });
			expect((await call('GET', `/api/notebooks/${notebook.id}/versions`)).body.versions).toHaveLength(4);
			expect((await call('POST', `/api/notebooks/${notebook.id}/versions/42/restore`)).status).toBe(404);
		});

		it('deletes a notebook with its history', async () => {
			const { notebook } = (await call('POST', '/api/notebooks', { source: text('Doomed') })).body;
			const deleted = await call('DELETE', `/api/notebooks/${notebook.id}`);
			expect(deleted.status).toBe(200);
			expect(deleted.body.deleted).toEqual({ id: notebook.id, slug: notebook.slug });
			expect((await call('GET', `/api/notebooks/${notebook.id}`)).status).toBe(404);
			expect((await call('DELETE', `/api/notebooks/${notebook.id}`)).status).toBe(404);
			const [{ n }] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM notebook_versions WHERE notebook_id = $1`, [notebook.id]);
			expect(n).toBe(0);
		});

		it('seeding records bundled versions and never overwrites a notebook a user saved', async () => {
			const bundled = (await call('GET', '/api/notebooks/bundled')).body.notebook;
			expect((await call('GET', `/api/notebooks/${bundled.id}/versions`)).body.versions).toEqual([
				{ version: 1, title: 'Bundled', author: 'seed', created_at: expect.any(String) }
			]);
			const edited = await call('PUT', '/api/notebooks/bundled', { source: text('Bundled', 'SELECT 42'), version: 1 });
			expect(edited.status).toBe(200);

			// A new release changes both files: the unedited one follows, the edited one is kept.
			await writeFile(join(dir, 'bundled.driftbook.md'), text('Bundled', 'SELECT 99'));
			await writeFile(join(dir, 'other.driftbook.md'), text('Other', 'SELECT 99'));
			// A user's own notebook whose slug a bundled file later takes is left alone too.
			const mine = (await call('POST', '/api/notebooks', { source: text('Mine') })).body.notebook;
			await writeFile(join(dir, `${mine.slug}.driftbook.md`), text('Mine bundled'));
			expect(await seedBundledNotebooks(store, dir)).toEqual({ inserted: [], updated: ['other'], unchanged: ['bundled', 'mine'] });

			expect((await call('GET', '/api/notebooks/bundled')).body.notebook).toMatchObject({ version: 2, source: text('Bundled', 'SELECT 42') });
			const other = (await call('GET', '/api/notebooks/other')).body.notebook;
			expect(other).toMatchObject({ version: 2, source: text('Other', 'SELECT 99') });
			expect((await call('GET', `/api/notebooks/${other.id}/versions`)).body.versions.map((v: { author: string }) => v.author)).toEqual(['seed', 'seed']);
			expect((await call('GET', `/api/notebooks/${mine.id}`)).body.notebook).toMatchObject({ source: text('Mine'), bundled: false });
		});
	});
}
