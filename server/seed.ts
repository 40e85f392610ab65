import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNotebook } from '#lib/notebook/format.ts';
import { recordVersion } from '#server/notebooks/service.ts';
import type { Store } from '#server/store/index.ts';

const SUFFIX = '.driftbook.md';

export interface SeedResult {
	inserted: string[];
	updated: string[];
	unchanged: string[];
}

interface BundledFile {
	slug: string;
	title: string;
	source: string;
}

async function readBundled(dir: string): Promise<BundledFile[]> {
	let entries: string[];
	try {
		entries = await readdir(dir);
	} catch (error) {
		// No notebooks folder (a bare deployment) means nothing to seed, not a failed start.
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		console.warn(`[seed] no bundled notebooks: ${dir} does not exist`);
		return [];
	}
	const names = entries.filter((n) => n.endsWith(SUFFIX)).sort();
	return Promise.all(
		names.map(async (name) => {
			const source = await readFile(join(dir, name), 'utf8');
			let title: string;
			try {
				title = parseNotebook(source).title;
			} catch (error) {
				// Bundled notebooks ship with the app: a broken one should stop start-up, by name.
				throw new Error(`bundled notebook ${join(dir, name)}: ${(error as Error).message}`, { cause: error });
			}
			return { slug: name.slice(0, -SUFFIX.length), title, source };
		})
	);
}

/**
 * Upserts every `*.driftbook.md` in `dir` by slug (the file name without the suffix). A notebook
 * whose text is unchanged is left alone, so its version only moves when the file does; one a user
 * has saved through the API (or a user's own notebook with that slug) is never overwritten.
 */
export async function seedBundledNotebooks(store: Store, dir: string = join(process.cwd(), 'notebooks')): Promise<SeedResult> {
	// Read and parse everything first: a bad file fails before the database is touched.
	const files = await readBundled(dir);
	const result: SeedResult = { inserted: [], updated: [], unchanged: [] };
	if (files.length === 0) return result;
	return store.transaction(async (tx) => {
		// Two processes seeding at once would both insert the same slug; let them take turns.
		await tx.query(`SELECT pg_advisory_xact_lock(hashtext('driftbook.seed'))`);
		const existing = new Map(
			(
				await tx.query<{ id: string; slug: string; source: string; bundled: boolean; edited: boolean }>(
					`SELECT id, slug, source, bundled, edited FROM notebooks WHERE slug = ANY($1::text[])`,
					[files.map((f) => f.slug)]
				)
			).map((r) => [r.slug, r])
		);
		for (const f of files) {
			const current = existing.get(f.slug);
			if (current === undefined) {
				const [row] = await tx.query<{ id: string; version: number }>(
					`INSERT INTO notebooks (slug, title, source, bundled) VALUES ($1, $2, $3, true) RETURNING id, version`,
					[f.slug, f.title, f.source]
				);
				await recordVersion(tx, { ...row, title: f.title, source: f.source }, 'seed');
				result.inserted.push(f.slug);
			} else if (current.source !== f.source && current.bundled && !current.edited) {
				// Only a bundled notebook nobody has saved follows its file: users' work is never overwritten.
				const [row] = await tx.query<{ id: string; version: number }>(
					`UPDATE notebooks SET title = $2, source = $3, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, version`,
					[current.id, f.title, f.source]
				);
				await recordVersion(tx, { ...row, title: f.title, source: f.source }, 'seed');
				result.updated.push(f.slug);
			} else {
				// Same text, or edited by a user (or a user's own notebook under this slug): left alone.
				result.unchanged.push(f.slug);
			}
		}
		return result;
	});
}
