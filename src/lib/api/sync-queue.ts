/**
 * The outbox for runs logged from the browser. Each entry gets its idempotency key when it is
 * enqueued and is kept in IndexedDB until the server has answered it, so a closed tab, an
 * offline laptop or a stopped server loses nothing; entries are sent one at a time in the order
 * they were made, and the server's key check makes a resend after a lost answer harmless.
 *
 * What is retried: network failures and 5xx / 408 / 429 answers (with exponential backoff), and
 * 401 / 403 (kept until the user logs in). Any other 4xx means the server will never take the
 * entry as it is: it is kept as failed, shown with its error, and resent or discarded by hand.
 */
import { ApiRequestError, isNetworkError } from './http';
import type { SyncRunInput } from './sync';

export interface QueueEntry {
	/** Order of enqueueing (IndexedDB's key generator). */
	seq: number;
	/** The idempotency key, fixed at enqueue time so every resend carries the same one. */
	key: string;
	payload: SyncRunInput;
	/** What the UI calls it, e.g. `drift · churn-review`. */
	label: string;
	createdAt: number;
	attempts: number;
	lastError?: string;
	/** Refused by the server: not resent until the user asks. */
	failed?: boolean;
}

export type NewQueueEntry = Omit<QueueEntry, 'seq'>;

/** Where entries persist. */
export interface QueueStorage {
	add(entry: NewQueueEntry): Promise<QueueEntry>;
	/** Every entry, in enqueue order. */
	all(): Promise<QueueEntry[]>;
	put(entry: QueueEntry): Promise<void>;
	delete(seq: number): Promise<void>;
}

const STORE = 'outbox';

function promised<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

/** The outbox in an IndexedDB database of this origin (survives reloads and restarts). */
export class IndexedDbQueueStorage implements QueueStorage {
	#db: Promise<IDBDatabase> | undefined;

	constructor(
		readonly name = 'driftbook-sync',
		private readonly factory: IDBFactory = indexedDB
	) {}

	#open(): Promise<IDBDatabase> {
		return (this.#db ??= new Promise((resolve, reject) => {
			const request = this.factory.open(this.name, 1);
			request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error ?? new Error(`could not open IndexedDB ${this.name}`));
			request.onblocked = () => reject(new Error(`IndexedDB ${this.name} is blocked by another tab`));
		}));
	}

	async #store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
		return (await this.#open()).transaction(STORE, mode).objectStore(STORE);
	}

	async add(entry: NewQueueEntry): Promise<QueueEntry> {
		const seq = await promised((await this.#store('readwrite')).add(entry));
		return { ...entry, seq: Number(seq) };
	}

	async all(): Promise<QueueEntry[]> {
		return promised((await this.#store('readonly')).getAll() as IDBRequest<QueueEntry[]>);
	}

	async put(entry: QueueEntry): Promise<void> {
		await promised((await this.#store('readwrite')).put(entry));
	}

	async delete(seq: number): Promise<void> {
		await promised((await this.#store('readwrite')).delete(seq));
	}

	close(): void {
		void this.#db?.then((db) => db.close());
		this.#db = undefined;
	}
}

export type Outcome = 'sent' | 'retry' | 'unauthorized' | 'refused';

/** What an error means for the entry that caused it. */
export function classify(error: unknown): Exclude<Outcome, 'sent'> {
	if (error instanceof ApiRequestError) {
		if (error.status === 401 || error.status === 403) return 'unauthorized';
		// The same key is still being handled (another tab, or an answer lost mid-flight).
		if (error.code === 'idempotency_in_progress') return 'retry';
		if (error.status >= 500 || error.status === 408 || error.status === 429) return 'retry';
		return 'refused';
	}
	if (isNetworkError(error)) return 'retry';
	// Anything else (a body the browser could not read, an abort) is worth another try.
	return 'retry';
}

/** Delay before retry `attempt` (1, 2, …): doubling from `baseMs` up to `maxMs`, with jitter in [½, 1]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling * (0.5 + random() / 2));
}

export interface QueueStatus {
	/** Entries waiting to be sent (failed ones not counted). */
	pending: number;
	failed: QueueEntry[];
	draining: boolean;
	/** Why the last attempt did not go through. */
	lastError?: string;
	/** The server wants a (better) token. */
	unauthorized: boolean;
	/** When the next automatic attempt is due (epoch ms). */
	nextRetryAt?: number;
	lastSyncedAt?: number;
	/** Entries sent since the queue started. */
	sent: number;
}

export interface SyncQueueOptions {
	storage: QueueStorage;
	/** Sends one entry; throws ApiRequestError for answers, TypeError for network failures. */
	send(entry: QueueEntry): Promise<unknown>;
	onchange?(status: QueueStatus): void;
	/** Runs `drain` with other tabs excluded (Web Locks); default: directly. */
	exclusive?<T>(drain: () => Promise<T>): Promise<T>;
	baseDelayMs?: number;
	maxDelayMs?: number;
	random?: () => number;
	now?: () => number;
	newKey?: () => string;
}

export class SyncQueue {
	#options: SyncQueueOptions;
	#status: QueueStatus = { pending: 0, failed: [], draining: false, unauthorized: false, sent: 0 };
	#draining: Promise<QueueStatus> | undefined;
	#again = false;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#failures = 0;
	#stopped = false;

	constructor(options: SyncQueueOptions) {
		this.#options = options;
	}

	get status(): QueueStatus {
		return this.#status;
	}

	#now(): number {
		return (this.#options.now ?? Date.now)();
	}

	#update(change: Partial<QueueStatus>): void {
		this.#status = { ...this.#status, ...change };
		this.#options.onchange?.(this.#status);
	}

	/** Re-reads the counts from storage (another tab may have changed them). */
	async refresh(): Promise<QueueStatus> {
		const entries = await this.#options.storage.all();
		this.#update({ pending: entries.filter((e) => !e.failed).length, failed: entries.filter((e) => e.failed) });
		return this.#status;
	}

	/**
	 * Stores a run, then tries to send it. Its idempotency key is the payload's when it has one
	 * (a run that may also be sent directly), else a fresh one.
	 */
	async enqueue(payload: Omit<SyncRunInput, 'idempotency_key'> & { idempotency_key?: string }, label: string): Promise<QueueEntry> {
		const key = payload.idempotency_key ?? (this.#options.newKey ?? (() => crypto.randomUUID()))();
		const entry = await this.#options.storage.add({
			key,
			payload: { ...payload, idempotency_key: key },
			label,
			createdAt: this.#now(),
			attempts: 0
		});
		await this.refresh();
		void this.drain();
		return entry;
	}

	/**
	 * Sends what is pending, oldest first, until the queue is empty or the server cannot be
	 * reached. Concurrent calls share one pass (a call during a pass makes it look again).
	 */
	drain(): Promise<QueueStatus> {
		if (this.#stopped) return Promise.resolve(this.#status);
		if (this.#draining) {
			this.#again = true;
			return this.#draining;
		}
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const exclusive = this.#options.exclusive ?? ((fn) => fn());
		this.#draining = (async () => {
			this.#update({ draining: true, nextRetryAt: undefined });
			try {
				do {
					this.#again = false;
					await exclusive(() => this.#pass());
				} while (this.#again && !this.#timer && !this.#stopped);
			} finally {
				this.#draining = undefined;
				await this.refresh().catch(() => this.#status);
				this.#update({ draining: false });
			}
			return this.#status;
		})();
		return this.#draining;
	}

	async #pass(): Promise<void> {
		const { storage, send } = this.#options;
		for (;;) {
			if (this.#stopped) return;
			const entries = await storage.all();
			const entry = entries.find((e) => !e.failed);
			this.#update({ pending: entries.filter((e) => !e.failed).length, failed: entries.filter((e) => e.failed) });
			if (!entry) return;
			let outcome: Outcome = 'sent';
			let message: string | undefined;
			try {
				await send(entry);
			} catch (error) {
				outcome = classify(error);
				message = (error as Error).message || String(error);
			}
			if (outcome === 'sent') {
				await storage.delete(entry.seq);
				this.#failures = 0;
				this.#update({ lastError: undefined, unauthorized: false, lastSyncedAt: this.#now(), sent: this.#status.sent + 1 });
				continue;
			}
			const attempted: QueueEntry = { ...entry, attempts: entry.attempts + 1, lastError: message };
			if (outcome === 'refused') {
				await storage.put({ ...attempted, failed: true });
				this.#update({ lastError: `${entry.label}: ${message}` });
				continue;
			}
			await storage.put(attempted);
			this.#failures++;
			this.#update({ lastError: message, unauthorized: outcome === 'unauthorized' });
			this.#scheduleRetry();
			return;
		}
	}

	#scheduleRetry(): void {
		const delay = backoffDelay(this.#failures, this.#options.baseDelayMs ?? 1000, this.#options.maxDelayMs ?? 30_000, this.#options.random);
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			void this.drain();
		}, delay);
		this.#update({ nextRetryAt: this.#now() + delay });
	}

	/** The network is back (or the user asked): try now instead of waiting out the backoff. */
	retryNow(): Promise<QueueStatus> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#failures = 0;
		return this.drain();
	}

	/** Puts a refused entry back in line (after the cause was fixed, e.g. a login). */
	async resend(seq: number): Promise<void> {
		const entry = (await this.#options.storage.all()).find((e) => e.seq === seq);
		if (!entry) return;
		await this.#options.storage.put({ ...entry, failed: false });
		await this.retryNow();
	}

	async discard(seq: number): Promise<void> {
		await this.#options.storage.delete(seq);
		await this.refresh();
	}

	/** Stops timers; entries stay stored for the next page. */
	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}
}
