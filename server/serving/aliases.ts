/**
 * Alias → version for serving, without a registry query per request: an entry is dropped the
 * moment the registry announces a move of the model's aliases in this process (alias-events.ts),
 * and kept at most `ttlMs` so that moves made by another process sharing the PostgreSQL store
 * are seen too. A read that raced with a move is not kept (the model's generation changed).
 */
import { onAliasesChanged } from '#server/model-registry/alias-events.ts';
import { currentAliasVersion } from '#server/model-registry/registered-models.ts';
import type { Queryable } from '#server/store/index.ts';

export class AliasVersions {
	readonly #entries = new Map<string, { version: string | undefined; at: number }>();
	readonly #generations = new Map<string, number>();
	readonly #unsubscribe: () => void;

	constructor(
		private readonly db: Queryable,
		private readonly ttlMs = 1_000
	) {
		this.#unsubscribe = onAliasesChanged((model) => {
			this.#generations.set(model, (this.#generations.get(model) ?? 0) + 1);
			for (const key of this.#entries.keys()) if (key.startsWith(`${model}\0`)) this.#entries.delete(key);
		});
	}

	/** The version the alias points at now, or undefined. */
	async version(model: string, alias: string): Promise<string | undefined> {
		const key = `${model}\0${alias}`;
		const hit = this.#entries.get(key);
		if (hit && performance.now() - hit.at < this.ttlMs) return hit.version;
		const generation = this.#generations.get(model) ?? 0;
		const found = await currentAliasVersion(this.db, model, alias);
		const version = found === null ? undefined : String(found);
		if ((this.#generations.get(model) ?? 0) === generation) this.#entries.set(key, { version, at: performance.now() });
		return version;
	}

	close(): void {
		this.#unsubscribe();
	}
}
