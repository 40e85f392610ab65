import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '#server/store/index.ts';
import type { Principal } from '#server/auth/principal.ts';
import { TOKEN_PREFIX, type Role, type TokenInfo } from '#lib/contracts/tokens.ts';

interface TokenRow {
	id: string;
	name: string;
	role: Role;
	token_hash: string;
	created_at: Date;
	last_used_at: Date | null;
	revoked_at: Date | null;
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const info = (r: TokenRow): TokenInfo => ({
	id: r.id,
	name: r.name,
	role: r.role,
	created_at: r.created_at.toISOString(),
	last_used_at: iso(r.last_used_at),
	revoked_at: iso(r.revoked_at)
});

/** A new token: the secret is returned here once and only its sha256 is stored. */
export async function createToken(db: Queryable, input: { role: Role; name?: string }): Promise<{ token: string; info: TokenInfo }> {
	const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
	const id = `tok_${randomBytes(6).toString('hex')}`;
	const name = input.name?.trim() || id;
	const [row] = await db.query<TokenRow>(
		`INSERT INTO api_tokens (id, name, role, token_hash) VALUES ($1, $2, $3, $4)
		 RETURNING id, name, role, token_hash, created_at, last_used_at, revoked_at`,
		[id, name, input.role, hashToken(token)]
	);
	return { token, info: info(row) };
}

export async function listTokens(db: Queryable): Promise<TokenInfo[]> {
	const rows = await db.query<TokenRow>(`SELECT id, name, role, token_hash, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY created_at, id`);
	return rows.map(info);
}

/** Revokes a token; false when there is no such (unrevoked) token. */
export async function revokeToken(db: Queryable, id: string): Promise<boolean> {
	const rows = await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id]);
	return rows.length > 0;
}

/** The principal a presented token stands for, or undefined (unknown, revoked, malformed). */
export async function authenticate(db: Queryable, token: string): Promise<Principal | undefined> {
	if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
	const presented = hashToken(token);
	const [row] = await db.query<TokenRow>(
		`SELECT id, name, role, token_hash, created_at, last_used_at, revoked_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
		[presented]
	);
	if (!row) return undefined;
	// The lookup found it by hash; compare again in constant time before trusting the match.
	const a = Buffer.from(row.token_hash, 'hex');
	const b = Buffer.from(presented, 'hex');
	if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
	await db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.id]).catch(() => {});
	return { name: row.name, role: row.role, tokenId: row.id };
}
