import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleParts, STALE_PART_MS } from '#server/blobs/content-addressed.ts';

describe('temporary files of killed uploads', () => {
	let root: string;
	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'driftbook-parts-'));
		await mkdir(join(root, 'tmp'));
	});
	afterAll(async () => {
		await rm(root, { recursive: true, force: true });
	});

	it('are removed at start (stale ones); fresh ones (an upload of another process) stay', async () => {
		const now = Date.now();
		const stale = new Date(now - STALE_PART_MS - 60_000);
		await writeFile(join(root, 'tmp', 'killed.part'), 'x'.repeat(1000));
		await utimes(join(root, 'tmp', 'killed.part'), stale, stale);
		await writeFile(join(root, 'tmp', 'writing.part'), 'y');
		// createApp runs this at start (server/app.ts); awaited here rather than polled for.
		expect(await removeStaleParts(root, now)).toBe(1);
		expect(await readdir(join(root, 'tmp'))).toEqual(['writing.part']);
	});
});
