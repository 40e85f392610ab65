import { ApiError } from '#server/http/errors.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { aliasesChanged } from './alias-events';
import { currentAliasVersion, setAlias } from './registered-models';
import type { AliasEvent } from '#lib/contracts/mlflow.ts';

/**
 * An alias's history (every move, recorded by registered-models.ts in the move's transaction)
 * and its rollback to where it pointed before.
 */

interface EventRow {
	id: number;
	name: string;
	alias: string;
	from_version: number | null;
	to_version: number | null;
	actor: string;
	reason: string | null;
	created_at: Date;
}

const toEvent = (r: EventRow): AliasEvent => ({
	id: Number(r.id),
	name: r.name,
	alias: r.alias,
	from_version: r.from_version === null ? null : String(r.from_version),
	to_version: r.to_version === null ? null : String(r.to_version),
	actor: r.actor,
	reason: r.reason,
	created_at: r.created_at.toISOString()
});

async function mustHaveModel(db: Queryable, name: string, lock = false): Promise<void> {
	const rows = await db.query(`SELECT 1 FROM mlflow_registered_models WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
	if (rows.length === 0) throw new ApiError(404, 'not_found', `registered model ${name} not found`);
}

/** Newest first. */
export async function aliasHistory(db: Queryable, name: string, alias: string): Promise<AliasEvent[]> {
	await mustHaveModel(db, name);
	const rows = await db.query<EventRow>(
		`SELECT id, name, alias, from_version, to_version, actor, reason, created_at FROM registry_alias_events
		 WHERE name = $1 AND alias = $2 ORDER BY id DESC`,
		[name, alias]
	);
	return rows.map(toEvent);
}

/**
 * Undoes the alias's last move: points it back at the version it pointed at before (recorded
 * as a move of its own, so a second rollback undoes the first). 409 when there is no previous
 * version, or it has been deleted.
 */
export async function rollbackAlias(store: Store, name: string, alias: string, reason?: string): Promise<{ event: AliasEvent; version: string }> {
	const rolled = await store.transaction(async (tx) => {
		// The model row lock serialises alias moves on this model (setAlias and deleteAlias take it too).
		await mustHaveModel(tx, name, true);
		const [last] = await tx.query<EventRow>(
			`SELECT id, name, alias, from_version, to_version, actor, reason, created_at FROM registry_alias_events
			 WHERE name = $1 AND alias = $2 ORDER BY id DESC LIMIT 1`,
			[name, alias]
		);
		const current = await currentAliasVersion(tx, name, alias);
		if (!last || last.from_version === null) {
			throw new ApiError(409, 'conflict', `alias ${alias} of ${name} has no previous version to roll back to`);
		}
		if ((last.to_version === null ? null : Number(last.to_version)) !== current) {
			throw new ApiError(409, 'conflict', `alias ${alias} of ${name} was changed outside its recorded history; set it explicitly`);
		}
		const target = Number(last.from_version);
		const exists = await tx.query(`SELECT 1 FROM mlflow_model_versions WHERE name = $1 AND version = $2`, [name, target]);
		if (exists.length === 0) throw new ApiError(409, 'conflict', `version ${target} of ${name}, the alias's previous version, no longer exists`);
		await setAlias(tx, name, alias, String(target), reason?.trim() || `rollback from version ${current ?? 'none'}`);
		const [row] = await tx.query<EventRow>(
			`SELECT id, name, alias, from_version, to_version, actor, reason, created_at FROM registry_alias_events
			 WHERE name = $1 AND alias = $2 ORDER BY id DESC LIMIT 1`,
			[name, alias]
		);
		return { event: toEvent(row), version: String(target) };
	});
	aliasesChanged(name);
	return rolled;
}
