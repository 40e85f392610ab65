/** API tokens (/api/tokens, `driftbook token`): roles, the token prefix and a token's description. */
import { z } from 'zod';

/** What a token may do: read < write < admin. */
export type Role = 'read' | 'write' | 'admin';
export const ROLES: readonly Role[] = ['read', 'write', 'admin'];

export const TOKEN_PREFIX = 'dbk_';

export interface TokenInfo {
	id: string;
	name: string;
	role: Role;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
}

/** The body of POST /api/tokens. */
export const createTokenSchema = z.object({ role: z.enum(ROLES as [Role, ...Role[]]), name: z.string().max(200).optional() });
