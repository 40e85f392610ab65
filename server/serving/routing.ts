/**
 * Routing rules: per registered model, which alias answers requests to `models/<name>@<primary>`
 * (the primary, or the canary for its share), and which alias scores them in the shadow. Kept in
 * the store and cached in the process; `setRule` / `clearCanary` are what monitors call to move
 * traffic back.
 */
import { createHash } from 'node:crypto';
import { currentActor } from '#server/auth/principal.ts';
import type { Store } from '#server/store/index.ts';
import type { RoutingRule } from '#lib/contracts/serving.ts';

export type Route = 'primary' | 'canary';

/**
 * Which side of the rule's split a request falls on. With a key the choice is a hash of the
 * model and key (the same caller always lands on the same side); without one, `random` decides.
 */
export function chooseRoute(model: string, rule: RoutingRule, key: string | undefined, random: () => number = Math.random): Route {
	const percent = rule.canary?.percent ?? 0;
	if (percent <= 0) return 'primary';
	const point = key === undefined ? random() : createHash('sha256').update(`${model}\0${key}`).digest().readUInt32BE(0) / 2 ** 32;
	return point * 100 < percent ? 'canary' : 'primary';
}

export class RoutingRules {
	readonly #cache = new Map<string, Promise<RoutingRule | undefined>>();

	constructor(private readonly store: Store) {}

	/** The model's rule, or undefined (every alias answers for itself). */
	get(model: string): Promise<RoutingRule | undefined> {
		let rule = this.#cache.get(model);
		if (!rule) {
			rule = this.store.query<{ rule: RoutingRule }>(`SELECT rule FROM serving_routes WHERE name = $1`, [model]).then(([row]) => row?.rule);
			this.#cache.set(model, rule);
			rule.catch(() => this.#cache.delete(model));
		}
		return rule;
	}

	async setRule(model: string, rule: RoutingRule): Promise<void> {
		await this.store.query(
			`INSERT INTO serving_routes (name, rule, updated_by) VALUES ($1, $2, $3)
			 ON CONFLICT (name) DO UPDATE SET rule = EXCLUDED.rule, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			[model, JSON.stringify(rule), currentActor()]
		);
		this.#cache.set(model, Promise.resolve(rule));
	}

	/** Removes the rule: each alias answers for itself again. Whether there was one. */
	async clearRule(model: string): Promise<boolean> {
		const removed = await this.store.query(`DELETE FROM serving_routes WHERE name = $1 RETURNING name`, [model]);
		this.#cache.set(model, Promise.resolve(undefined));
		return removed.length > 0;
	}

	/** Sends all traffic back to the primary (the canary's rollback); the shadow, if any, stays. The rule now. */
	async clearCanary(model: string): Promise<RoutingRule | undefined> {
		const rule = await this.get(model);
		if (!rule?.canary) return rule;
		const { canary: _dropped, ...rest } = rule;
		await this.setRule(model, rest);
		return rest;
	}

	/** Removes the canary when `alias` is its alias (a monitor rolled that alias back); whether it did. */
	async clearCanaryOf(model: string, alias: string): Promise<boolean> {
		if ((await this.get(model))?.canary?.alias !== alias) return false;
		await this.clearCanary(model);
		return true;
	}
}
