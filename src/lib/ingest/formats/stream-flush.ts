/**
 * A streamed download hands its rows to DuckDB in big groups, but never holds rows that have
 * arrived for longer than STREAM_FLUSH_MS: when the host stalls, what came so far is shown.
 */

/** What `beforeFlush` answers when the flush time came first. */
export const FLUSH = Symbol('flush');

/**
 * `waiting`'s value, or FLUSH once `deadline` (a Date.now() time) has passed without it. `waiting`
 * goes on: the caller keeps it and awaits it again for the next group.
 */
export async function beforeFlush<T>(waiting: Promise<T>, deadline: number): Promise<T | typeof FLUSH> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const flush = new Promise<typeof FLUSH>((resolve) => {
		timer = setTimeout(() => resolve(FLUSH), Math.max(0, deadline - Date.now()));
	});
	try {
		return await Promise.race([waiting, flush]);
	} finally {
		clearTimeout(timer);
	}
}
