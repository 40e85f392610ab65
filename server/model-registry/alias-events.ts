/**
 * Alias moves in this process, announced after their transaction commits (the registry's routes
 * call `aliasesChanged`), so that a cache of alias → version (serving's) drops a model's entries
 * at once instead of reading the registry on every request.
 */
type Listener = (model: string) => void;

const listeners = new Set<Listener>();

/** Calls `listener` with the model's name after any of its aliases may have moved; returns the unsubscribe. */
export function onAliasesChanged(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Announces that the model's aliases may have moved (call after the transaction committed). */
export function aliasesChanged(model: string): void {
	for (const listener of listeners) listener(model);
}
