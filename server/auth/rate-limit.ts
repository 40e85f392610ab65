/**
 * Failed credential checks per key (a client address) in a sliding window: after `maxFailures`
 * within `windowMs` further failures from the key are answered 429 until the oldest of those
 * failures leaves the window. Successful checks neither count nor reset anything.
 * In memory, per process: a restart forgets, which is fine for slowing down guessing.
 */
export interface RateLimitOptions {
	maxFailures: number;
	windowMs: number;
}

/** DRIFTBOOK_AUTH_MAX_FAILURES (default 10) per DRIFTBOOK_AUTH_FAILURE_WINDOW_S (default 60). */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
	const int = (raw: string | undefined, fallback: number) => {
		const n = Number(raw);
		return raw !== undefined && raw.trim() !== '' && Number.isSafeInteger(n) && n > 0 ? n : fallback;
	};
	return { maxFailures: int(env.DRIFTBOOK_AUTH_MAX_FAILURES, 10), windowMs: int(env.DRIFTBOOK_AUTH_FAILURE_WINDOW_S, 60) * 1000 };
}

const MAX_KEYS = 50_000;

export class FailureLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(private readonly options: RateLimitOptions) {}

	private recent(key: string, now: number): number[] {
		const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
		if (times.length === 0) this.failures.delete(key);
		else this.failures.set(key, times);
		return times;
	}

	/** Seconds until the first of `keys` that is blocked may try again; undefined when none is. */
	retryAfter(keys: readonly string[]): number | undefined {
		const now = Date.now();
		let wait: number | undefined;
		for (const key of keys) {
			const times = this.recent(key, now);
			if (times.length >= this.options.maxFailures) {
				const seconds = Math.max(1, Math.ceil((times[times.length - this.options.maxFailures] + this.options.windowMs - now) / 1000));
				wait = Math.max(wait ?? 0, seconds);
			}
		}
		return wait;
	}

	fail(keys: readonly string[]): void {
		const now = Date.now();
		if (this.failures.size > MAX_KEYS) for (const key of [...this.failures.keys()]) this.recent(key, now);
		for (const key of keys) {
			const times = this.recent(key, now);
			times.push(now);
			// Only the last maxFailures matter.
			this.failures.set(key, times.slice(-this.options.maxFailures));
		}
	}
}
