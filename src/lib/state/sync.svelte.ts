/**
 * The browser's one sync queue, as reactive state for the UI: how many runs wait, why the last
 * attempt failed, when the next one is due. It drains on page load, when the browser comes
 * back online, every 30 seconds while something waits, and after each new entry; Web Locks
 * keep two tabs from sending the same entry at once.
 */
import { syncRun } from '#lib/api/sync.ts';
import { IndexedDbQueueStorage, SyncQueue, type QueueStatus } from '#lib/api/sync-queue.ts';

const PERIODIC_RETRY_MS = 30_000;
const CHANNEL = 'driftbook-sync';

/**
 * End-to-end tests set `window.__driftbookSyncBackoff` before the page loads to shorten the
 * retry backoff (so an outage test does not wait out 30 s); the backoff itself is unit-tested.
 */
interface BackoffOverride {
	baseDelayMs: number;
	maxDelayMs: number;
}
function backoffOverride(): BackoffOverride | undefined {
	const value = (globalThis as { __driftbookSyncBackoff?: BackoffOverride }).__driftbookSyncBackoff;
	return value && Number.isFinite(value.baseDelayMs) && Number.isFinite(value.maxDelayMs)
		? { baseDelayMs: value.baseDelayMs, maxDelayMs: value.maxDelayMs }
		: undefined;
}

export class SyncState {
	status = $state.raw<QueueStatus>({ pending: 0, failed: [], draining: false, unauthorized: false, sent: 0 });
	readonly queue: SyncQueue;
	#channel: BroadcastChannel | undefined;

	constructor() {
		this.#channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL);
		this.queue = new SyncQueue({
			storage: new IndexedDbQueueStorage(),
			send: (entry) => syncRun(fetch, entry.payload),
			onchange: (status) => {
				const before = this.status;
				this.status = status;
				if (before.pending !== status.pending || before.failed.length !== status.failed.length) this.#channel?.postMessage('changed');
			},
			exclusive: (drain) => (navigator.locks ? navigator.locks.request('driftbook-sync-drain', drain) : drain()),
			...backoffOverride()
		});
	}

	start(): void {
		addEventListener('online', () => void this.queue.retryNow());
		setInterval(() => {
			if (this.status.pending > 0 && !this.status.draining) void this.queue.drain();
		}, PERIODIC_RETRY_MS);
		if (this.#channel) this.#channel.onmessage = () => void this.queue.refresh();
		void this.queue.drain();
	}
}

let shared: SyncState | undefined;

/** The queue of this tab, started on first use. */
export function syncState(): SyncState {
	if (!shared) {
		shared = new SyncState();
		shared.start();
	}
	return shared;
}
