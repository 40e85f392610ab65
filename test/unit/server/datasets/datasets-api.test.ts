import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { blobPath } from '#server/blobs/content-addressed.ts';
import { createNodeServer, listen } from '#server/http/node-http.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('datasets-api.test.ts');

const CSV = 'id,score,segment\n1,0.5,a\n2,0.75,b\n3,0.125,a\n';
const sha = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const LIMIT = 64 * 1024;

for (const factory of targets) {
	describe.runIf(factory.enabled)(`datasets API on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let root: string;

		const upload = (name: string, format: string, body: BodyInit, headers: Record<string, string> = {}) =>
			app.request(`/api/datasets?name=${encodeURIComponent(name)}&format=${format}`, {
				method: 'POST',
				headers: { 'content-type': 'application/octet-stream', ...headers },
				body
			});

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			root = join(target.dir, 'artifacts');
			app = createApp({ store, version: 'test', auth: false, artifactRoot: root, maxDatasetBytes: LIMIT });
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('stores an upload content-addressed and describes it', async () => {
			const res = await upload('churn sample', 'csv', CSV);
			expect(res.status).toBe(201);
			const { dataset } = await res.json();
			expect(dataset).toEqual({
				id: expect.stringMatching(/^[0-9a-f-]{36}$/),
				name: 'churn sample',
				version: 1,
				format: 'csv',
				size_bytes: Buffer.byteLength(CSV),
				sha256: sha(CSV),
				created_at: expect.any(String),
				created_by: 'local'
			});
			expect(existsSync(blobPath(root, sha(CSV)))).toBe(true);
			const got = await app.request(`/api/datasets/${dataset.id}`);
			expect((await got.json()).dataset).toEqual(dataset);
		});

		it('makes a new version for the same name; the list shows the newest with a version count', async () => {
			const v2 = await (await upload('versions', 'csv', 'a\n1\n')).json();
			const v3 = await (await upload('versions', 'csv', 'a\n1\n2\n')).json();
			expect([v2.dataset.version, v3.dataset.version]).toEqual([1, 2]);
			const list = (await (await app.request('/api/datasets')).json()).datasets;
			const entry = list.find((d: { name: string }) => d.name === 'versions');
			expect(entry).toMatchObject({ id: v3.dataset.id, version: 2, versions: 2 });
			expect(list.filter((d: { name: string }) => d.name === 'versions')).toHaveLength(1);
			const all = (await (await app.request('/api/datasets?name=versions')).json()).datasets;
			expect(all.map((d: { version: number }) => d.version)).toEqual([2, 1]);
		});

		it('serves the bytes with type, length, file name and ETag, honours If-None-Match and ranges', async () => {
			const { dataset } = await (await upload('scores', 'tsv', 'a\tb\n1\t2\n')).json();
			const res = await app.request(`/api/datasets/${dataset.id}/content`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/tab-separated-values; charset=utf-8');
			expect(res.headers.get('content-length')).toBe('8');
			expect(res.headers.get('content-disposition')).toContain('filename="scores.tsv"');
			expect(res.headers.get('etag')).toBe(`"${dataset.sha256}"`);
			expect(res.headers.get('accept-ranges')).toBe('bytes');
			expect(await res.text()).toBe('a\tb\n1\t2\n');

			const head = await app.request(`/api/datasets/${dataset.id}/content`, { method: 'HEAD' });
			expect([head.status, head.headers.get('content-length'), head.headers.get('etag')]).toEqual([200, '8', `"${dataset.sha256}"`]);
			expect(await head.text()).toBe('');

			const cached = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { 'if-none-match': `"${dataset.sha256}"` } });
			expect(cached.status).toBe(304);

			const part = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=2-4' } });
			expect(part.status).toBe(206);
			expect(part.headers.get('content-range')).toBe('bytes 2-4/8');
			expect(part.headers.get('content-length')).toBe('3');
			expect(await part.text()).toBe('b\n1');
			const tail = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=-3' } });
			expect([tail.status, await tail.text()]).toEqual([206, '\t2\n']);
			const open = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=6-' } });
			expect([open.status, await open.text()]).toEqual([206, '2\n']);
			const outside = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=8-9' } });
			expect(outside.status).toBe(416);
			expect(outside.headers.get('content-range')).toBe('bytes */8');
			const stale = await app.request(`/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=0-0', 'if-range': '"other"' } });
			expect(stale.status).toBe(200);
		});

		it('keeps binary bytes exact (Parquet magic) and types them by format', async () => {
			const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0, 1, 2, 255, 0x50, 0x41, 0x52, 0x31]);
			const { dataset } = await (await upload('bin', 'parquet', bytes)).json();
			const res = await app.request(`/api/datasets/${dataset.id}/content`);
			expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
			expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
			expect(dataset.sha256).toBe(sha(bytes));
		});

		it('refuses uploads over the limit with 413 and leaves no partial file', async () => {
			const big = new Uint8Array(LIMIT + 1).fill(65);
			const declared = await upload('big', 'csv', big);
			expect(declared.status).toBe(413);
			expect((await declared.json()).error.message).toMatch(/larger than the limit of 65536 bytes \(DRIFTBOOK_MAX_DATASET_BYTES\)/);
			// Without Content-Length (streamed): counted while writing, refused mid-stream.
			const chunks = new ReadableStream<Uint8Array>({
				start(controller) {
					for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(8192).fill(66));
					controller.close();
				}
			});
			const streamed = await app.request('/api/datasets?name=big&format=csv', { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
			expect(streamed.status).toBe(413);
			expect(readdirSync(join(root, 'tmp'))).toEqual([]);
			expect(existsSync(blobPath(root, sha(new Uint8Array(LIMIT + 1).fill(65))))).toBe(false);
			const list = (await (await app.request('/api/datasets')).json()).datasets;
			expect(list.some((d: { name: string }) => d.name === 'big')).toBe(false);
		});

		it('answers bad input with 400 naming the field', async () => {
			const noFormat = await app.request('/api/datasets?name=x', { method: 'POST', body: 'a' });
			expect(noFormat.status).toBe(400);
			expect((await noFormat.json()).error.message).toMatch(/format/);
			const badFormat = await upload('x', 'xlsx', 'a');
			expect(badFormat.status).toBe(400);
			const badName = await upload('a/b', 'csv', 'a');
			expect(badName.status).toBe(400);
			expect((await badName.json()).error.message).toMatch(/name/);
			const empty = await upload('x', 'csv', '');
			expect(empty.status).toBe(400);
			expect((await app.request('/api/datasets/not-a-uuid')).status).toBe(400);
			expect((await app.request('/api/datasets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
		});

		it('deletes a version; the file goes only when no other upload holds the same bytes', async () => {
			const a = (await (await upload('dup-a', 'csv', 'x\n42\n')).json()).dataset;
			const b = (await (await upload('dup-b', 'csv', 'x\n42\n')).json()).dataset;
			expect(a.sha256).toBe(b.sha256);
			const del = await app.request(`/api/datasets/${a.id}`, { method: 'DELETE' });
			expect(del.status).toBe(200);
			expect((await del.json()).deleted.id).toBe(a.id);
			expect(existsSync(blobPath(root, a.sha256))).toBe(true);
			expect(await (await app.request(`/api/datasets/${b.id}/content`)).text()).toBe('x\n42\n');
			await app.request(`/api/datasets/${b.id}`, { method: 'DELETE' });
			expect(existsSync(blobPath(root, a.sha256))).toBe(false);
			expect((await app.request(`/api/datasets/${b.id}`)).status).toBe(404);
		});

		it('streams a multi-megabyte upload and download over real HTTP', async () => {
			const big = createApp({ store, version: 'test', auth: false, artifactRoot: root, maxDatasetBytes: 64 * 1024 * 1024 });
			const server = createNodeServer((request) => big.fetch(request));
			const port = await listen(server, 0, '127.0.0.1');
			try {
				const rows = ['id,value'];
				for (let i = 0; i < 200_000; i++) rows.push(`${i},${(i * 0.37) % 1}`);
				const text = rows.join('\n');
				const res = await fetch(`http://127.0.0.1:${port}/api/datasets?name=http&format=csv`, { method: 'POST', body: text });
				expect(res.status).toBe(201);
				const { dataset } = await res.json();
				expect(dataset.sha256).toBe(sha(text));
				const down = await fetch(`http://127.0.0.1:${port}/api/datasets/${dataset.id}/content`);
				expect(down.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
				expect(sha(new Uint8Array(await down.arrayBuffer()))).toBe(dataset.sha256);
				const range = await fetch(`http://127.0.0.1:${port}/api/datasets/${dataset.id}/content`, { headers: { range: 'bytes=0-7' } });
				expect([range.status, await range.text()]).toEqual([206, 'id,value']);
			} finally {
				server.close();
			}
		});
	});
}
