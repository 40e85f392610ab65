import { ApiError } from '#server/http/errors.ts';
import { rollbackAlias } from '#server/model-registry/alias-history.ts';
import type { Store } from '#server/store/index.ts';
import type { RollbackOutcome } from '#server/webhooks/events.ts';

/**
 * Automatic rollback: moves `alias` of `model` back to the version it pointed at before, with
 * `reason` in the alias history. Used by monitors whose rule opts in, and meant for serving's
 * canary routing (when the canary's monitor alerts, the canary alias moves back and routing
 * follows the aliases). Never throws for a rollback that cannot happen (no previous version, an
 * alias moved outside its history): it says why instead, so an alert is still recorded and sent.
 */
export async function rollbackOnAlert(store: Store, request: { model: string; alias: string; reason: string }): Promise<RollbackOutcome> {
	try {
		const { event, version } = await rollbackAlias(store, request.model, request.alias, request.reason);
		return { rolled_back: true, alias: request.alias, from_version: event.from_version, to_version: version, reason: request.reason };
	} catch (error) {
		if (error instanceof ApiError && error.status < 500) return { rolled_back: false, alias: request.alias, error: error.message };
		throw error;
	}
}
