import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { hashToken } from '#server/tokens/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../server/targets';
import { join } from 'node:path';
import { runCli } from '../../support/cli';
import { serveEnv, startServe, type Served } from '../server/serve-process';

warnIfPostgresSkipped('cli/token.test.ts');

for (const factory of targets) {
	describe.runIf(factory.enabled)(`driftbook token (CLI) on ${factory.kind}`, () => {
		let target: StoreTarget;
		let env: NodeJS.ProcessEnv;

		beforeAll(async () => {
			target = await factory.create();
			env = { ...process.env, DATABASE_URL: '', DRIFTBOOK_DATA_DIR: target.options.dataDir ?? target.dir };
			if (target.options.databaseUrl) {
				// The server's store: this database, its tables in the test's schema (made here first).
				const store = await openStore(target.options);
				await store.close();
				const url = new URL(target.options.databaseUrl);
				url.searchParams.set('options', `-c search_path=${target.options.schema}`);
				env.DATABASE_URL = url.toString();
			}
		});

		afterAll(async () => {
			await target?.dispose();
		});

		/** `driftbook token …`; a non-zero exit rejects with the run (its code and stderr). */
		const cli = async (...args: string[]) => {
			const result = await runCli('token', args, false, env);
			if (result.code !== 0) throw result;
			return result;
		};

		it('creates a token the server accepts, lists and revokes it', async () => {
			const { stdout } = await cli('create', '--role', 'write', '--name', 'ci');
			const token = stdout.trim();
			expect(token).toMatch(/^dbk_[A-Za-z0-9_-]{43}$/);

			let store: Store = await openStore(target.options);
			try {
				const rows = await store.query<{ id: string; name: string; role: string; token_hash: string }>(`SELECT id, name, role, token_hash FROM api_tokens`);
				expect(rows).toEqual([{ id: expect.stringMatching(/^tok_/), name: 'ci', role: 'write', token_hash: hashToken(token) }]);
				const app = createApp({ store, version: 'test', auth: true });
				const res = await app.request('/api/notebooks', { headers: { authorization: `Bearer ${token}` } });
				expect(res.status).toBe(200);
			} finally {
				await store.close();
			}

			const list = await cli('list', '--json');
			const listed = JSON.parse(list.stdout) as { id: string; name: string; role: string; revoked_at: string | null }[];
			expect(listed).toHaveLength(1);
			expect(listed[0]).toMatchObject({ name: 'ci', role: 'write', revoked_at: null });
			expect(list.stdout).not.toContain(token);

			expect((await cli('revoke', listed[0].id)).stdout).toContain(`revoked ${listed[0].id}`);
			store = await openStore(target.options);
			try {
				const app = createApp({ store, version: 'test', auth: true });
				expect((await app.request('/api/notebooks', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
			} finally {
				await store.close();
			}
		}, 120_000);

		it('refuses an unknown role with exit code 2', async () => {
			await expect(cli('create', '--role', 'root')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown role') });
		}, 60_000);
	});
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`driftbook token while driftbook serve runs on ${factory.kind}`, () => {
		let target: StoreTarget;
		let env: NodeJS.ProcessEnv;
		let server: Served | undefined;

		beforeAll(async () => {
			target = await factory.create();
			env = { ...(await serveEnv(target.options, target.options.dataDir ?? join(target.dir, 'data'))), DRIFTBOOK_AUTH: 'on' };
		});

		afterAll(async () => {
			await server?.stop();
			await target?.dispose();
		});

		const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
			const result = await runCli('token', args, false, { ...env, ...extraEnv });
			if (result.code !== 0) throw result;
			return result;
		};
		const createExperiment = async (token: string, name: string) =>
			(
				await fetch(`${server!.base}/api/2.0/mlflow/experiments/create`, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ name })
				})
			).status;

		it('revokes through the running server at once, and the revocation outlives a restart', async () => {
			// The first admin token is made offline, with the server stopped.
			const admin = (await cli(['create', '--role', 'admin', '--name', 'root'])).stdout.trim();
			server = await startServe(env);
			const viaServer = ['--server', server.base];

			if (factory.kind === 'pglite') {
				// A second opener of the PGlite directory is refused, naming the server's process.
				await expect(cli(['list'])).rejects.toMatchObject({
					code: 1,
					stderr: expect.stringMatching(new RegExp(`in use by process ${server.process.pid}.*--server`))
				});
			}
			await expect(cli(['list', ...viaServer])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('DRIFTBOOK_TOKEN') });

			const asAdmin = { DRIFTBOOK_TOKEN: admin };
			const writer = (await cli(['create', '--role', 'write', '--name', 'writer', ...viaServer], asAdmin)).stdout.trim();
			expect(await createExperiment(writer, 'before')).toBe(200);
			const listed = JSON.parse((await cli(['list', '--json', ...viaServer], asAdmin)).stdout) as { id: string; name: string }[];
			const id = listed.find((t) => t.name === 'writer')!.id;

			// PGlite: through the server; PostgreSQL: also straight from the store, in another process.
			const revokeArgs = factory.kind === 'pglite' ? ['revoke', id, ...viaServer] : ['revoke', id];
			expect((await cli(revokeArgs, asAdmin)).stdout).toContain(`revoked ${id}`);
			expect(await createExperiment(writer, 'after')).toBe(401);

			await server.stop();
			server = await startServe(env);
			expect(await createExperiment(writer, 'after restart')).toBe(401);
			expect(await createExperiment(admin, 'admin after restart')).toBe(200);
		}, 240_000);
	});
}
