import { currentActor } from '#server/auth/principal.ts';
import type { Queryable } from '#server/store/index.ts';

// Kept apart from aliases.ts (which uses the MLflow registry) so that the registry can import
// these without an import cycle.

/**
 * Records an alias move; called by the MLflow registry's setAlias/deleteAlias in their
 * transaction, so moves through the MLflow API are recorded too. A no-op move is not recorded.
 */
export async function recordAliasMove(
	tx: Queryable,
	move: { name: string; alias: string; from: number | null; to: number | null; reason?: string | null; actor?: string }
): Promise<void> {
	if (move.from === move.to) return;
	await tx.query(
		`INSERT INTO registry_alias_events (name, alias, from_version, to_version, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
		[move.name, move.alias, move.from, move.to, move.actor ?? currentActor(), move.reason ?? null]
	);
}

/** The version an alias points at now (locked until the transaction ends), or null. */
export async function currentAliasVersion(tx: Queryable, name: string, alias: string, lock = false): Promise<number | null> {
	const [row] = await tx.query<{ version: number }>(
		`SELECT version FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2${lock ? ' FOR UPDATE' : ''}`,
		[name, alias]
	);
	return row ? Number(row.version) : null;
}
