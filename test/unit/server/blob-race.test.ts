import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from './targets';

warnIfPostgresSkipped('blob-race.test.ts');

const BYTES = 'a,b\n1,2\n';

/** The store, with its next transaction held at a gate until the test opens it. */
function gated(store: Store) {
	let reached!: () => void;
	let open!: () => void;
	const atGate = new Promise<void>((r) => (reached = r));
	const gate = new Promise<void>((r) => (open = r));
	let armed = true;
	const wrapped: Store = {
		...store,
		transaction: async (fn) => {
			if (armed) {
				armed = false;
				reached();
				await gate;
			}
			return store.transaction(fn);
		}
	};
	return { store: wrapped, atGate, open };
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`an artifact upload racing a dataset delete of the same bytes on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let artifactRoot: string;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			artifactRoot = join(target.dir, 'artifacts');
			await mkdir(artifactRoot, { recursive: true });
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('never acknowledges an artifact whose bytes the delete removed', async () => {
			const app = createApp({ store, version: 'test', artifactRoot });
			const upload = await app.request('/api/datasets?name=shared&format=csv', { method: 'POST', body: BYTES });
			const { dataset } = await upload.json();

			// The upload's file is written (it is the dataset's file already) and its row not yet
			// made when the delete, the bytes' last row as far as it can see, runs to the end.
			const gate = gated(store);
			const uploading = createApp({ store: gate.store, version: 'test', artifactRoot });
			const path = '/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/data.csv';
			const put = uploading.request(path, { method: 'PUT', body: BYTES });
			await gate.atGate;
			expect((await app.request(`/api/datasets/${dataset.id}`, { method: 'DELETE' })).status).toBe(200);
			gate.open();
			const answer = await put;

			if (answer.status === 200) {
				// Acknowledged: the bytes must be there, for good.
				const get = await app.request(path);
				expect(get.status).toBe(200);
				expect(await get.text()).toBe(BYTES);
			} else {
				// Refused: a retryable answer, and nothing indexed without its bytes.
				expect(answer.status).toBe(503);
				expect((await answer.json()).error_code).toBe('TEMPORARILY_UNAVAILABLE');
				expect((await app.request(path)).status).toBe(404);
				expect((await uploading.request(path, { method: 'PUT', body: BYTES })).status).toBe(200);
				expect(await (await app.request(path)).text()).toBe(BYTES);
			}
		});
	});
}
