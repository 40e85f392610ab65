import { ApiError } from '#server/http/errors.ts';
import { rollbackAlias } from '#server/model-registry/alias-history.ts';
import type { Store } from '#server/store/index.ts';
import type { RollbackOutcome } from '#server/webhooks/events.ts';

/** Serving's routing rules, as a rollback needs them (server/serving/routing.ts). */
export interface CanaryRouting {
	/** Sends the canary's share back to the primary when `alias` is the model's canary; whether it did. */
	clearCanaryOf(model: string, alias: string): Promise<boolean>;
}

/**
 * Automatic rollback, the one place it happens: moves `alias` of `model` back to the version it
 * pointed at before, with `reason` in the alias history (the move is announced, so serving's
 * alias cache drops the model's entries at once), and when that alias is the canary of the
 * model's routing rule, removes the canary so every request goes to the primary again. Never
 * throws for a rollback that cannot happen (no previous version, an alias moved outside its
 * history): it says why instead, so an alert is still recorded and sent.
 */
export async function rollbackOnAlert(
	store: Store,
	request: { model: string; alias: string; reason: string },
	routing?: CanaryRouting
): Promise<RollbackOutcome> {
	try {
		const { event, version } = await rollbackAlias(store, request.model, request.alias, request.reason);
		const canaryCleared = (await routing?.clearCanaryOf(request.model, request.alias)) ?? false;
		return {
			rolled_back: true,
			alias: request.alias,
			from_version: event.from_version,
			to_version: version,
			reason: request.reason,
			canary_cleared: canaryCleared
		};
	} catch (error) {
		if (error instanceof ApiError && error.status < 500) return { rolled_back: false, alias: request.alias, error: error.message };
		throw error;
	}
}
