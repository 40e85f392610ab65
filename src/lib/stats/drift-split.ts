/**
 * A drift report computed on two threads: a share of the columns goes to a peer (a second worker
 * running `driftColumnOutcomes`), the rest is tested here at the same time. Every column is
 * tested on its own, so the report is identical to `driftReportAsync`'s, errors included: each
 * column's outcome is kept, and the first failing column in the requested order throws, as it
 * would on one thread. Where asked, each column's two distributions (for plots) are taken where
 * it is tested, from the data its tests use. Only number columns travel: columns in a
 * SharedArrayBuffer as they are (both threads read the same memory, nothing is copied), others
 * copied into buffers of their own so that the caller can transfer them instead of cloning the
 * table they came from.
 */

import type { Column } from './column';
import { prepareColumn } from './column-kind';
import { columnDistribution, type ColumnDistribution } from './distributions';
import { driftPreparedColumn, planColumns, resolveMethods, summarise, type DriftColumnReport, type DriftReport, type DriftReportOptions } from './drift-report';
import { throwIfAborted, yieldToEvents } from './progress';

/** The columns a peer tests: `names` in order, their two samples, the report's methods and threshold. */
export interface DriftPeerJob {
	names: string[];
	reference: Record<string, Column>;
	current: Record<string, Column>;
	methods: string[];
	threshold?: number;
	/** Also each column's two distributions (columnDistribution). */
	distributions?: boolean;
}

/** One column's report (and its distributions, when the job asks for them), or the message of the error it threw. */
export type DriftColumnOutcome = { report: DriftColumnReport; distribution?: ColumnDistribution | null } | { error: string };

/** Sends a job to the peer (transferring `transfer`) and resolves with one outcome per name. */
export type DriftPeer = (job: DriftPeerJob, transfer: ArrayBuffer[]) => Promise<DriftColumnOutcome[]>;

/** What the peer runs: each column of the job, in order, each error kept as its message. */
export function driftColumnOutcomes(job: DriftPeerJob): DriftColumnOutcome[] {
	return job.names.map((name) => {
		try {
			const data = prepareColumn(job.reference[name], job.current[name]);
			const report = driftPreparedColumn(name, data, { methods: job.methods, threshold: job.threshold });
			return job.distributions ? { report, distribution: columnDistribution(name, data) } : { report };
		} catch (error) {
			return { error: error instanceof Error ? error.message : String(error) };
		}
	});
}

/** Below this much work (rows of all tested columns, both samples) a peer costs more to start and feed than it saves. */
export const SPLIT_MIN_ROWS = 200_000;

/**
 * Columns the peer holds at once: one it tests and two waiting in its queue, so that it never
 * idles while this thread (which hands out columns only between its own) is busy with a column,
 * even one that costs as much as two of the peer's (a KS p-value of a drifting column, about
 * 5% of the CLI's drift command on 1M + 1M rows × 8 columns against a queue of one).
 */
export const PEER_DEPTH = 3;

/** A number column for the peer: shared memory as it is, other memory copied into a buffer to transfer. */
function forPeer(column: Column, transfer: ArrayBuffer[]): Column {
	if (column.type !== 'number' || (typeof SharedArrayBuffer === 'function' && column.values.buffer instanceof SharedArrayBuffer)) return column;
	const values = column.values.slice();
	transfer.push(values.buffer);
	return { ...column, values };
}

/** A drift report, with columns tested by `peer` meanwhile: see `driftSplit`. */
export async function driftReportSplit(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: DriftReportOptions & { peer?: DriftPeer } = {}
): Promise<DriftReport> {
	return (await driftSplit(reference, current, { ...options, distributions: false })).report;
}

/**
 * `driftReportAsync` with columns tested by `peer` meanwhile (no peer, or less than
 * SPLIT_MIN_ROWS of work: all here), and with `distributions` each tested column's two
 * distributions (columnDistribution; a column with an empty sample has none), in order. The
 * columns are shared as the work goes, not planned: this thread tests them from the first on, the peer is sent number columns one at a time from the
 * last on, PEER_DEPTH at a time, a new one as each comes back, so both finish together whatever
 * each column costs. Once every column is done or sent, this thread also tests the sent columns
 * that have not come back, last sent first (the first answer counts: both are the same). If the
 * peer fails (its worker crashed), nothing more goes to it and its columns are tested here.
 */
export async function driftSplit(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: DriftReportOptions & { peer?: DriftPeer; distributions: boolean }
): Promise<{ report: DriftReport; distributions: ColumnDistribution[] }> {
	const methods = resolveMethods(options.methods ?? ['auto']);
	const names = planColumns(reference, current, options);
	const rows = names.reduce((sum, name) => sum + reference[name].values.length + current[name].values.length, 0);
	const peer = rows < SPLIT_MIN_ROWS ? undefined : options.peer;
	const { distributions } = options;
	throwIfAborted(options.signal);
	const movable = names.filter((name) => reference[name].type === 'number' && current[name].type === 'number');
	const outcomes = new Map<string, DriftColumnOutcome>();
	/** Columns sent to the peer, in the order sent (it answers them in that order). */
	const sent: string[] = [];
	const isSent = new Set<string>();
	let front = 0;
	let back = movable.length - 1;
	let inFlight = 0;
	let peerFailed = false;
	let wake: (() => void) | null = null;
	let done = 0;
	const record = (name: string, outcome: DriftColumnOutcome): void => {
		if (outcomes.has(name)) return; // tested on both sides: the same outcome
		outcomes.set(name, outcome);
		options.onProgress?.(++done, names.length);
	};
	const feed = (): void => {
		while (peer && !peerFailed && inFlight < PEER_DEPTH) {
			while (back >= 0 && (outcomes.has(movable[back]) || isSent.has(movable[back]))) back--;
			if (back < 0) return;
			const name = movable[back--];
			const transfer: ArrayBuffer[] = [];
			const job: DriftPeerJob = {
				names: [name],
				reference: { [name]: forPeer(reference[name], transfer) },
				current: { [name]: forPeer(current[name], transfer) },
				methods,
				threshold: options.threshold,
				distributions
			};
			sent.push(name);
			isSent.add(name);
			inFlight++;
			peer(job, transfer)
				.then((received) => {
					if (!received[0]) throw new Error('the peer answered without an outcome');
					record(name, received[0]);
				})
				.then(
					() => {
						inFlight--;
						feed();
					},
					() => {
						// a peer that fails leaves its columns to be tested here
						inFlight--;
						peerFailed = true;
					}
				)
				.finally(() => wake?.());
		}
	};
	/** This thread's next column: its own from the first on; then one the peer has queued but not begun (or, the peer failed, any it did not answer). Null: wait for the peer. */
	const pick = (): string | null | undefined => {
		while (front < names.length && (outcomes.has(names[front]) || isSent.has(names[front]))) front++;
		if (front < names.length) return names[front];
		const waiting = sent.filter((name) => !outcomes.has(name));
		if (waiting.length === 0) return undefined;
		if (peerFailed) return waiting[0];
		// the first one waiting is the one the peer is testing now
		return waiting.length > 1 ? waiting[waiting.length - 1] : null;
	};
	feed();
	for (;;) {
		await yieldToEvents();
		throwIfAborted(options.signal);
		const name = pick();
		if (name === undefined) break;
		if (name === null) {
			await new Promise<void>((resolve) => (wake = resolve));
			wake = null;
			continue;
		}
		const outcome = driftColumnOutcomes({ names: [name], reference, current, methods, threshold: options.threshold, distributions })[0];
		record(name, outcome);
		// the first failing column in order is known: no need to test the rest
		if ('error' in outcome && names.slice(0, names.indexOf(name)).every((before) => outcomes.has(before))) break;
		feed();
	}
	throwIfAborted(options.signal);
	const columns: DriftColumnReport[] = [];
	const shown: ColumnDistribution[] = [];
	for (const name of names) {
		const outcome = outcomes.get(name)!;
		if ('error' in outcome) throw new Error(outcome.error);
		columns.push(outcome.report);
		if (outcome.distribution) shown.push(outcome.distribution);
	}
	return { report: summarise(columns), distributions: shown };
}
