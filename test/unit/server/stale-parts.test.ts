import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '#server/app.ts';
import { unreachableStore } from '../../support/unreachable-store';

describe('temporary files of killed uploads', () => {
	let root: string;
	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'driftbook-parts-'));
		await mkdir(join(root, 'tmp'));
	});
	afterAll(async () => {
		await rm(root, { recursive: true, force: true });
	});

	it('are removed when the app starts; fresh ones (an upload of another process) stay', async () => {
		const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
		await writeFile(join(root, 'tmp', 'killed.part'), 'x'.repeat(1000));
		await utimes(join(root, 'tmp', 'killed.part'), hourAgo, hourAgo);
		await writeFile(join(root, 'tmp', 'writing.part'), 'y');
		createApp({ store: unreachableStore(), version: 'test', artifactRoot: root });
		const deadline = Date.now() + 10_000;
		while ((await readdir(join(root, 'tmp'))).includes('killed.part') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
		expect(await readdir(join(root, 'tmp'))).toEqual(['writing.part']);
	});
});
