// `driftbook token create|list|revoke`: API tokens for team mode (DRIFTBOOK_AUTH=on).
// Opens the same store as the server (DATABASE_URL, or PGlite in DRIFTBOOK_DATA_DIR).
import { openStoreFromEnv } from '#server/context.ts';
import { createToken, listTokens, revokeToken } from '#server/tokens/service.ts';
import { UsageError, parseOptions, type Command } from './command';
import { ROLES, type Role } from '#lib/contracts/tokens.ts';

const USAGE = `usage: driftbook token create --role read|write|admin [--name NAME]
       driftbook token list [--json]
       driftbook token revoke ID

API tokens for team mode (DRIFTBOOK_AUTH=on), where every /api request needs
"Authorization: Bearer <token>" (MLflow clients: MLFLOW_TRACKING_TOKEN=<token>).

  create   prints a new token once (only its sha256 is stored); roles: read (GET),
           write (also changes), admin (also token management)
  list     every token: id, name, role, created, last used, revoked
  revoke   the token with this id stops working at once

Uses the server's store: DATABASE_URL, else the PGlite in DRIFTBOOK_DATA_DIR (default ./data).
With PGlite, stop the server first: one data directory must not be open in two processes.`;

async function withStore<T>(fn: (store: Awaited<ReturnType<typeof openStoreFromEnv>>['store']) => Promise<T>): Promise<T> {
	const { store } = await openStoreFromEnv();
	try {
		return await fn(store);
	} finally {
		await store.close();
	}
}

const date = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : '-');

export const tokenCommand: Command = {
	name: 'token',
	summary: 'create, list and revoke API tokens (team mode)',
	usage: USAGE,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub === 'create') {
			const { values } = parseOptions(rest, { values: ['role', 'name'] });
			const role = values.role as Role | undefined;
			if (!role) throw new UsageError('token create needs --role read|write|admin');
			if (!ROLES.includes(role)) throw new UsageError(`unknown role "${role}" (expected read, write or admin)`);
			const { token, info } = await withStore((store) => store.transaction((tx) => createToken(tx, { role, name: values.name })));
			console.log(token);
			console.error(`created ${info.id} (${info.name}, role ${info.role}); the token is shown only this once`);
			return 0;
		}
		if (sub === 'list') {
			const { flags } = parseOptions(rest, { flags: ['json'] });
			const tokens = await withStore((store) => listTokens(store));
			if (flags.has('json')) {
				console.log(JSON.stringify(tokens, null, 2));
				return 0;
			}
			const rows = [
				['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
				...tokens.map((t) => [t.id, t.name, t.role, date(t.created_at), date(t.last_used_at), date(t.revoked_at)])
			];
			const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
			for (const r of rows)
				console.log(
					r
						.map((cell, i) => cell.padEnd(widths[i]))
						.join('  ')
						.trimEnd()
				);
			return 0;
		}
		if (sub === 'revoke') {
			const [id, ...extra] = rest;
			if (!id || id.startsWith('--') || extra.length > 0) throw new UsageError('token revoke needs one token id (see token list)');
			const revoked = await withStore((store) => store.transaction((tx) => revokeToken(tx, id)));
			if (!revoked) {
				console.error(`driftbook: no active token ${id}`);
				return 1;
			}
			console.log(`revoked ${id}`);
			return 0;
		}
		throw new UsageError(sub ? `unknown token subcommand "${sub}" (create, list, revoke)` : 'token needs a subcommand: create, list or revoke');
	}
};
