import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { hashToken } from '#server/tokens/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../server/targets';
import { runCli } from '../../support/cli';

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
