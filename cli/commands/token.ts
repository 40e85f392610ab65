// `driftbook token create|list|revoke`: API tokens for team mode (DRIFTBOOK_AUTH=on).
// Opens the same store as the server (DATABASE_URL, or PGlite in DRIFTBOOK_DATA_DIR), or with
// --server URL calls a running server's /api/tokens.
import { openStoreFromEnv } from '#server/store/from-env.ts';
import type { Store } from '#server/store/index.ts';
import { createToken, listTokens, revokeToken } from '#server/tokens/service.ts';
import { UsageError, parseOptions } from './command';
import { ROLES, type Role, type TokenInfo } from '#lib/contracts/tokens.ts';

export const usage = `usage: driftbook token create --role read|write|admin [--name NAME] [--server URL]
       driftbook token list [--json] [--server URL]
       driftbook token revoke ID [--server URL]

API tokens for team mode (DRIFTBOOK_AUTH=on), where every /api request needs
"Authorization: Bearer <token>" (MLflow clients: MLFLOW_TRACKING_TOKEN=<token>).

  create   prints a new token once (only its sha256 is stored); roles: read (GET),
           write (also changes), admin (also token management)
  list     every token: id, name, role, created, last used, revoked
  revoke   the token with this id stops working at once

  --server URL   manage the tokens of the running server at URL (e.g. http://127.0.0.1:5000)
                 through its /api/tokens, with the admin token in DRIFTBOOK_TOKEN

Without --server it opens the server's store itself: DATABASE_URL, else the PGlite in
DRIFTBOOK_DATA_DIR (default ./data). A PGlite directory has one opener at a time, so while a
server runs on it use --server; the first admin token is made this way with the server stopped.`;

/** Where tokens are managed: the store itself, or a running server's /api/tokens. */
interface TokenAdmin {
	create(input: { role: Role; name?: string }): Promise<{ token: string; info: TokenInfo }>;
	list(): Promise<TokenInfo[]>;
	/** False when there is no such active token. */
	revoke(id: string): Promise<boolean>;
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
	const { store } = await openStoreFromEnv();
	try {
		return await fn(store);
	} finally {
		await store.close();
	}
}

const storeAdmin: TokenAdmin = {
	create: (input) => withStore((store) => store.transaction((tx) => createToken(tx, input))),
	list: () => withStore((store) => listTokens(store)),
	revoke: (id) => withStore((store) => store.transaction((tx) => revokeToken(tx, id)))
};

/** What /api/tokens answers (each call reads its own part). */
interface ServerAnswer {
	token: string;
	info: TokenInfo;
	tokens: TokenInfo[];
	error?: { message?: string };
}

/** The server refused a token call (the message has its status and reason). */
class ServerRefusal extends Error {
	name = 'ServerRefusal';
}

function serverAdmin(server: string, env: NodeJS.ProcessEnv = process.env): TokenAdmin {
	if (!URL.canParse(server)) throw new UsageError(`--server must be a URL such as http://127.0.0.1:5000, not "${server}"`);
	const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: ServerAnswer }> => {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (env.DRIFTBOOK_TOKEN) headers.authorization = `Bearer ${env.DRIFTBOOK_TOKEN}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(new URL(`/api/tokens${path}`, server), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const json = (await res.json().catch(() => ({}))) as ServerAnswer;
		if (!res.ok && res.status !== 404) {
			const message = json.error?.message ?? `HTTP ${res.status}`;
			const hint = res.status === 401 || res.status === 403 ? ' (set DRIFTBOOK_TOKEN to an admin token)' : '';
			throw new ServerRefusal(`${server} answered ${res.status}: ${message}${hint}`);
		}
		return { status: res.status, json };
	};
	return {
		create: async (input) => (await call('POST', '', input)).json,
		list: async () => (await call('GET', '')).json.tokens,
		revoke: async (id) => (await call('DELETE', `/${encodeURIComponent(id)}`)).status === 200
	};
}

const date = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : '-');

export async function run(args: string[]): Promise<number> {
	const [sub, ...afterSub] = args;
	const serverAt = afterSub.findIndex((a) => a === '--server' || a.startsWith('--server='));
	let rest = afterSub;
	let admin = storeAdmin;
	if (serverAt >= 0) {
		const arg = afterSub[serverAt];
		const url = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : afterSub[serverAt + 1];
		if (!url || url.startsWith('--')) throw new UsageError('--server needs a URL');
		rest = afterSub.filter((_, i) => i !== serverAt && (arg.includes('=') || i !== serverAt + 1));
		admin = serverAdmin(url);
	}
	if (sub === 'create') {
		const { values } = parseOptions(rest, { values: ['role', 'name'] });
		const role = values.role as Role | undefined;
		if (!role) throw new UsageError('token create needs --role read|write|admin');
		if (!ROLES.includes(role)) throw new UsageError(`unknown role "${role}" (expected read, write or admin)`);
		const { token, info } = await admin.create({ role, name: values.name });
		console.log(token);
		console.error(`created ${info.id} (${info.name}, role ${info.role}); the token is shown only this once`);
		return 0;
	}
	if (sub === 'list') {
		const { flags } = parseOptions(rest, { flags: ['json'] });
		const tokens = await admin.list();
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
		const revoked = await admin.revoke(id);
		if (!revoked) {
			console.error(`driftbook: no active token ${id}`);
			return 1;
		}
		console.log(`revoked ${id}`);
		return 0;
	}
	throw new UsageError(sub ? `unknown token subcommand "${sub}" (create, list, revoke)` : 'token needs a subcommand: create, list or revoke');
}
