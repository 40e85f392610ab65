import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('registry-aliases.test.ts');

type Answer = { status: number; body: any };

for (const factory of targets) {
	describe.runIf(factory.enabled)(`registry alias history and rollback on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;

		async function call(method: string, path: string, body?: unknown): Promise<Answer> {
			const res = await app.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}
		const mlflow = (method: string, endpoint: string, body: unknown) => call(method, `/api/2.0/mlflow/${endpoint}`, body);
		const history = async (name: string, alias: string) => (await call('GET', `/api/registry/models/${name}/aliases/${alias}/history`)).body.history;
		const aliasVersion = async (name: string, alias: string) => {
			const res = await app.request(`/api/2.0/mlflow/registered-models/alias?name=${name}&alias=${alias}`);
			return res.status === 200 ? ((await res.json()) as any).model_version.version : null;
		};

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false });
			for (const name of ['churn', 'fraud']) {
				expect((await mlflow('POST', 'registered-models/create', { name })).status).toBe(200);
				for (let i = 0; i < 3; i++) expect((await mlflow('POST', 'model-versions/create', { name, source: `s3://bucket/${name}/${i}` })).status).toBe(200);
			}
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('records every alias move made through the MLflow API, newest first', async () => {
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' }); // no move: not recorded
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '2' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'challenger', version: '3' });
			await mlflow('DELETE', 'registered-models/alias', { name: 'churn', alias: 'challenger' });

			const champion = await history('churn', 'champion');
			expect(champion.map((e: any) => [e.from_version, e.to_version, e.actor])).toEqual([
				['1', '2', 'local'],
				[null, '1', 'local']
			]);
			expect(champion[0]).toMatchObject({ name: 'churn', alias: 'champion', reason: null });
			expect(Number.isNaN(Date.parse(champion[0].created_at))).toBe(false);
			expect((await history('churn', 'challenger')).map((e: any) => [e.from_version, e.to_version])).toEqual([
				['3', null],
				[null, '3']
			]);
			expect(await history('churn', 'never-set')).toEqual([]);
			const missing = await call('GET', '/api/registry/models/nope/aliases/champion/history');
			expect(missing.status).toBe(404);
			expect(missing.body.error.code).toBe('not_found');
			expect((await call('GET', '/api/registry/models/churn/aliases/bad%20alias/history')).status).toBe(400);
		});

		it('rolls an alias back to its previous version in one step, recording why', async () => {
			const rolled = await call('POST', '/api/registry/models/churn/aliases/champion/rollback', { reason: 'v2 drifts' });
			expect(rolled.status).toBe(200);
			expect(rolled.body).toMatchObject({
				name: 'churn',
				alias: 'champion',
				version: '1',
				event: { from_version: '2', to_version: '1', reason: 'v2 drifts', actor: 'local' }
			});
			expect(await aliasVersion('churn', 'champion')).toBe('1');
			// a second rollback undoes the first; no body is fine
			const again = await call('POST', '/api/registry/models/churn/aliases/champion/rollback');
			expect(again.status).toBe(200);
			expect(again.body.version).toBe('2');
			expect(again.body.event.reason).toMatch(/rollback/);
			expect((await history('churn', 'champion')).length).toBe(4);
		});

		it('answers 409 when there is no previous version', async () => {
			await mlflow('POST', 'registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
			const first = await call('POST', '/api/registry/models/fraud/aliases/champion/rollback', {});
			expect(first.status).toBe(409);
			expect(first.body.error.code).toBe('conflict');
			expect((await call('POST', '/api/registry/models/fraud/aliases/unknown/rollback', {})).status).toBe(409);
			expect(await aliasVersion('fraud', 'champion')).toBe('1');

			// the previous version was deleted: 409, the alias stays where it is
			await mlflow('POST', 'registered-models/alias', { name: 'fraud', alias: 'champion', version: '2' });
			await mlflow('DELETE', 'model-versions/delete', { name: 'fraud', version: '1' });
			expect((await call('POST', '/api/registry/models/fraud/aliases/champion/rollback', {})).status).toBe(409);
			expect(await aliasVersion('fraud', 'champion')).toBe('2');
			expect((await call('POST', '/api/registry/models/nope/aliases/champion/rollback', {})).status).toBe(404);
		});

		it('a deleted alias rolls back to where it pointed', async () => {
			await mlflow('POST', 'registered-models/alias', { name: 'fraud', alias: 'shadow', version: '3' });
			await mlflow('DELETE', 'registered-models/alias', { name: 'fraud', alias: 'shadow' });
			expect(await aliasVersion('fraud', 'shadow')).toBe(null);
			const res = await call('POST', '/api/registry/models/fraud/aliases/shadow/rollback', { reason: 'deleted by mistake' });
			expect(res.status).toBe(200);
			expect(await aliasVersion('fraud', 'shadow')).toBe('3');

			// deleting the version takes the alias with it: recorded, and not undoable
			await mlflow('DELETE', 'model-versions/delete', { name: 'fraud', version: '3' });
			expect((await history('fraud', 'shadow'))[0]).toMatchObject({ from_version: '3', to_version: null, reason: 'version 3 deleted' });
			expect((await call('POST', '/api/registry/models/fraud/aliases/shadow/rollback', {})).status).toBe(409);
		});

		it('history follows a renamed model', async () => {
			await mlflow('POST', 'registered-models/rename', { name: 'churn', new_name: 'churn-v2' });
			expect((await history('churn-v2', 'champion')).length).toBe(4);
		});
	});
}
