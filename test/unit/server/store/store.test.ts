import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '#server/store/index.ts';
import { migrations } from '#server/store/migrations/index.ts';
import { seedBundledNotebooks } from '#server/seed.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('store.test.ts');

const notebookText = (title: string, sql = 'SELECT 1') => `---\ntitle: ${title}\n---\nSome prose.\n\n\`\`\`sql name=q\n${sql}\n\`\`\`\n`;

for (const factory of targets) {
	describe.runIf(factory.enabled)(`store on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;

		beforeAll(async () => {
			target = await factory.create();
			const started = performance.now();
			store = await openStore(target.options);
			console.info(`[store.test] ${factory.kind}: first open + migrate ${Math.round(performance.now() - started)} ms`);
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		// Closes the shared store and opens the same database again.
		async function reopen(): Promise<void> {
			await store.close();
			const started = performance.now();
			store = await openStore(target.options);
			console.info(`[store.test] ${factory.kind}: reopen ${Math.round(performance.now() - started)} ms`);
		}

		it('reports its kind', () => {
			expect(store.kind).toBe(factory.kind);
		});

		it('applies every migration once and records it', async () => {
			const recorded = () =>
				store.query<{ version: number; name: string; applied_at: Date }>(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`);
			const before = await recorded();
			expect(before.map((r) => [r.version, r.name])).toEqual(migrations.map((m) => [m.version, m.name]));
			expect(before.every((r) => r.applied_at instanceof Date)).toBe(true);

			await reopen();
			const after = await recorded();
			// Same rows, same timestamps: nothing re-applied.
			expect(after).toEqual(before);
		});

		it(
			'migrates once when two processes open a fresh database together',
			async () => {
				// Separate pools stand in for separate processes; the advisory lock makes them take turns.
				const fresh = await factory.create();
				try {
					const both = await Promise.all([openStore(fresh.options), openStore(fresh.options)]);
					const rows = await both[0].query<{ version: number }>(`SELECT version FROM schema_migrations`);
					expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
					await Promise.all(both.map((s) => s.close()));
				} finally {
					await fresh.dispose();
				}
			},
			factory.kind === 'pglite' ? 60_000 : 10_000
		);

		it('shares one open database per directory, closing it with the last store', async () => {
			const second = await openStore(target.options);
			await second.close();
			// The first store is still open after the second one closed.
			expect(await store.query<{ one: number }>(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
			await second.close(); // closing twice is harmless
			expect(await store.query<{ one: number }>(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
		});

		it('keeps committed data across close and reopen', async () => {
			await store.transaction((tx) => tx.query(`INSERT INTO notebooks (slug, title, source) VALUES ('kept', 'Kept', 'text')`));
			await reopen();
			const rows = await store.query<{ title: string; version: number; bundled: boolean }>(`SELECT title, version, bundled FROM notebooks WHERE slug = 'kept'`);
			expect(rows).toEqual([{ title: 'Kept', version: 1, bundled: false }]);
		});

		it('rolls a failed transaction back without losing committed data', async () => {
			await store.transaction((tx) => tx.query(`INSERT INTO notebooks (slug, title, source) VALUES ('committed', 'C', 'text')`));
			await expect(
				store.transaction(async (tx) => {
					await tx.query(`INSERT INTO notebooks (slug, title, source) VALUES ('rolled-back', 'R', 'text')`);
					await tx.query(`UPDATE notebooks SET title = 'changed' WHERE slug = 'committed'`);
					throw new Error('boom');
				})
			).rejects.toThrow('boom');
			// A failing statement (duplicate slug) rolls back the same way.
			await expect(
				store.transaction(async (tx) => {
					await tx.query(`INSERT INTO notebooks (slug, title, source) VALUES ('also-rolled-back', 'A', 'text')`);
					await tx.query(`INSERT INTO notebooks (slug, title, source) VALUES ('committed', 'dup', 'text')`);
				})
			).rejects.toThrow();
			const rows = await store.query<{ slug: string; title: string }>(
				`SELECT slug, title FROM notebooks WHERE slug IN ('committed', 'rolled-back', 'also-rolled-back')`
			);
			expect(rows).toEqual([{ slug: 'committed', title: 'C' }]);
			// The store is still usable afterwards.
			const [{ n }] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM notebooks WHERE slug = 'committed'`);
			expect(n).toBe(1);
		});

		it('seeds bundled notebooks, idempotently, updating only what changed', async () => {
			const dir = join(target.dir, 'notebooks');
			await mkdir(dir, { recursive: true });
			await writeFile(join(dir, 'alpha.driftbook.md'), notebookText('Alpha'));
			await writeFile(join(dir, 'beta.driftbook.md'), notebookText('Beta'));
			await writeFile(join(dir, 'README.md'), '# not a notebook\n');

			expect(await seedBundledNotebooks(store, dir)).toEqual({ inserted: ['alpha', 'beta'], updated: [], unchanged: [] });
			const read = () =>
				store.query<{ slug: string; title: string; source: string; version: number; bundled: boolean; updated_at: Date }>(
					`SELECT slug, title, source, version, bundled, updated_at FROM notebooks WHERE slug IN ('alpha', 'beta') ORDER BY slug`
				);
			const first = await read();
			expect(first.map(({ slug, title, version, bundled }) => ({ slug, title, version, bundled }))).toEqual([
				{ slug: 'alpha', title: 'Alpha', version: 1, bundled: true },
				{ slug: 'beta', title: 'Beta', version: 1, bundled: true }
			]);
			expect(first[0].source).toBe(notebookText('Alpha'));

			expect(await seedBundledNotebooks(store, dir)).toEqual({ inserted: [], updated: [], unchanged: ['alpha', 'beta'] });
			expect(await read()).toEqual(first);

			await writeFile(join(dir, 'beta.driftbook.md'), notebookText('Beta two', 'SELECT 2'));
			expect(await seedBundledNotebooks(store, dir)).toEqual({ inserted: [], updated: ['beta'], unchanged: ['alpha'] });
			const [alpha, beta] = await read();
			expect(alpha).toEqual(first[0]);
			expect(beta).toMatchObject({ title: 'Beta two', version: 2, source: notebookText('Beta two', 'SELECT 2') });
			expect(beta.updated_at.getTime()).toBeGreaterThanOrEqual(first[1].updated_at.getTime());
		});

		it('seeds nothing from a missing folder', async () => {
			const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
			const result = await seedBundledNotebooks(store, join(target.dir, 'no-such-folder'));
			warned.mockRestore();
			expect(result).toEqual({ inserted: [], updated: [], unchanged: [] });
		});

		it('refuses a broken bundled notebook before writing anything', async () => {
			const dir = join(target.dir, 'broken');
			await mkdir(dir, { recursive: true });
			await writeFile(join(dir, 'fine.driftbook.md'), notebookText('Fine'));
			await writeFile(join(dir, 'bad.driftbook.md'), '---\ntitle: never closed\n');
			await expect(seedBundledNotebooks(store, dir)).rejects.toThrow(/bad\.driftbook\.md/);
			expect(await store.query(`SELECT 1 FROM notebooks WHERE slug = 'fine'`)).toEqual([]);
		});
	});
}
