/**
 * The prediction log's rows as newline-delimited JSON text, built off the main thread.
 *
 * Building the text of a flush (5,000 rows by default: three JSON.stringify calls a row) took
 * 118–376 ms of the event loop at once. A `LinesThread` hands the batches to a worker thread a
 * slice at a time, yielding to the event loop between slices; the thread builds the text with the
 * same `predictionLines` and writes the file. The main thread only copies the values over (the
 * structured clone, cheaper than the JSON text and cut into slices), so requests keep being
 * answered while a flush is prepared.
 *
 * The thread runs from source text (`eval`), made of `predictionLines` itself: the same code
 * under tsx, vitest and in the app's built bundle, where a worker file beside a chunk would need
 * its own build entry. When the thread cannot run (it died), the text is built here as before.
 */
import { writeFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

/**
 * One scored request's rows as values, serialised only when written: per-row JSON on the request
 * path cost more than the model run at batch 100. A written row is (request_id, time, model,
 * version, route, row, inputs, outputs, latency_ms), `row` its index within the request and
 * `inputs` / `outputs` its JSON text.
 */
export interface PredictionBatch {
	request_id: string;
	/** Milliseconds since the epoch. */
	time: number;
	model: string;
	version: string;
	/** `primary`, `canary`, `shadow`, or `direct` (a version or alias named without a routing rule). */
	route: string;
	/** Each row as sent, or null when this request's inputs were not sampled. */
	inputs: readonly unknown[] | null;
	/** Each row's outputs; one logged row each. */
	outputs: readonly unknown[];
	latency_ms: number;
}

/**
 * The batches as newline-delimited JSON, one line per row; a row's inputs are left out when not
 * sampled (read as NULL). Self-contained (no imports, no outer names): the thread runs its source.
 */
export function predictionLines(batches: readonly PredictionBatch[]): string {
	const lines: string[] = [];
	for (const b of batches) {
		const head = `{"request_id":${JSON.stringify(b.request_id)},"time":${b.time},"model":${JSON.stringify(b.model)},"version":${JSON.stringify(b.version)},"route":${JSON.stringify(b.route)},"latency_ms":${b.latency_ms},"row":`;
		b.outputs.forEach((out, i) => lines.push(`${head}${i}${b.inputs ? `,"inputs":${JSON.stringify(b.inputs[i])}` : ''},"outputs":${JSON.stringify(out)}}`));
	}
	return lines.join('\n');
}

/** Rows sent to the thread in one message: the main thread's longest step is one slice's structured clone. */
export const SLICE_ROWS = 250;

/** Messages to the thread: a job's slices, then its end (the file to write, or drop the job). */
type ToThread = { id: number; batches: PredictionBatch[] } | { id: number; path: string } | { id: number; drop: true };
/** The thread's answer to a job's end. */
type FromThread = { id: number; threadId: number; error?: string };

/** The thread's program (CommonJS: an `eval` worker). */
const THREAD_SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const predictionLines = ${predictionLines.toString()};
const jobs = new Map();
parentPort.on('message', (message) => {
	if (message.batches) {
		const list = jobs.get(message.id) ?? [];
		for (const b of message.batches) list.push(b);
		jobs.set(message.id, list);
		return;
	}
	const batches = jobs.get(message.id) ?? [];
	jobs.delete(message.id);
	if (message.drop) return;
	try {
		writeFileSync(message.path, predictionLines(batches));
		parentPort.postMessage({ id: message.id, threadId });
	} catch (error) {
		parentPort.postMessage({ id: message.id, threadId, error: String(error && error.message) });
	}
});
`;

/** Cuts the batches into runs of about `SLICE_ROWS` rows (a batch is never split). */
export function* slices(batches: readonly PredictionBatch[]): Generator<PredictionBatch[]> {
	let slice: PredictionBatch[] = [];
	let rows = 0;
	for (const b of batches) {
		slice.push(b);
		rows += b.outputs.length;
		if (rows >= SLICE_ROWS) {
			yield slice;
			slice = [];
			rows = 0;
		}
	}
	if (slice.length > 0) yield slice;
}

/** Writes prediction rows as NDJSON files from a worker thread, started on first use. */
export class LinesThread {
	#worker: Worker | undefined;
	#failure: Error | undefined;
	#next = 0;
	readonly #pending = new Map<number, { resolve(threadId: number): void; reject(error: Error): void }>();

	/** The thread id of the last write (0: the main thread), for tests and the benchmark. */
	lastThreadId = -1;

	#start(): Worker {
		const worker = new Worker(THREAD_SOURCE, { eval: true });
		worker.unref();
		worker.on('message', ({ id, threadId, error }: FromThread) => {
			const job = this.#pending.get(id);
			this.#pending.delete(id);
			if (this.#pending.size === 0) worker.unref();
			if (error === undefined) job?.resolve(threadId);
			else job?.reject(new Error(error));
		});
		const fail = (error: Error) => {
			if (this.#worker !== worker) return; // closed
			this.#worker = undefined;
			if (this.#failure === undefined)
				console.error(`[predictions] the prediction log's thread stopped (${error.message}); its rows are written from the main thread`);
			this.#failure ??= error;
			for (const job of this.#pending.values()) job.reject(error);
			this.#pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`the prediction log's thread exited (code ${code})`)));
		return worker;
	}

	/** Why the thread stopped, if it did (its files were then written from the main thread). */
	failure(): Error | undefined {
		return this.#failure;
	}

	/** Writes the batches' rows to `path` as `predictionLines` would; resolves when the file is written. */
	async write(path: string, batches: readonly PredictionBatch[]): Promise<void> {
		if (this.#failure === undefined) {
			try {
				this.lastThreadId = await this.#send(path, batches);
				return;
			} catch (error) {
				// DataCloneError (a value the thread cannot receive) or a dead thread: write it here.
				if (this.#failure === undefined && !(error instanceof Error && error.name === 'DataCloneError')) throw error;
				if (this.#failure === undefined)
					console.error(`[predictions] a flush's rows cannot go to the thread (${(error as Error).message}); written from the main thread`);
			}
		}
		await writeFile(path, predictionLines(batches));
		this.lastThreadId = 0;
	}

	async #send(path: string, batches: readonly PredictionBatch[]): Promise<number> {
		const worker = (this.#worker ??= this.#start());
		const id = this.#next++;
		const done = new Promise<number>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
		done.catch(() => {}); // a thread that dies mid-job rejects it before it is awaited
		worker.ref();
		try {
			for (const slice of slices(batches)) {
				worker.postMessage({ id, batches: slice } satisfies ToThread);
				await nextTurn(); // other requests run between slices
				if (this.#worker !== worker) break; // it died: `done` says why
			}
			worker.postMessage({ id, path } satisfies ToThread);
		} catch (error) {
			this.#pending.delete(id);
			if (this.#pending.size === 0) worker.unref();
			worker.postMessage({ id, drop: true } satisfies ToThread);
			throw error;
		}
		return done;
	}

	/** Ends the thread. */
	async close(): Promise<void> {
		const worker = this.#worker;
		this.#worker = undefined;
		await worker?.terminate();
	}
}
