import { AsyncLocalStorage } from 'node:async_hooks';
import { ROLES, type Role } from '#lib/contracts/tokens.ts';

/** Who makes the request: a token (team mode), or 'local' (no auth). */
export interface Principal {
	/** Recorded as the author of notebook versions and alias moves. */
	name: string;
	role: Role;
	tokenId?: string;
	/** Set for a review link: the one notebook it may read (and comment on, with role 'comment'). */
	review?: { linkId: string; notebookId: string; role: 'read' | 'comment' };
}

export const LOCAL: Principal = { name: 'local', role: 'admin' };

const current = new AsyncLocalStorage<Principal>();

/**
 * Runs `fn` (the rest of a request) as `principal`. LOCAL where no principal is set needs no
 * storage (currentPrincipal() answers LOCAL there): entering one turns on Node's async hooks for
 * the whole process, a cost on every promise of every request after it.
 */
export function runAs<T>(principal: Principal, fn: () => T): T {
	if (principal === LOCAL && current.getStore() === undefined) return fn();
	return current.run(principal, fn);
}

/** The principal of the request being handled; 'local' outside one (CLI, seeding, tests). */
export function currentPrincipal(): Principal {
	return current.getStore() ?? LOCAL;
}

export function currentActor(): string {
	return currentPrincipal().name;
}

export function roleAllows(have: Role, need: Role): boolean {
	return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
