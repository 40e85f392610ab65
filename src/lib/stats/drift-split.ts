/**
 * A drift report computed on two threads: a share of the columns goes to a peer (a second worker
 * running `driftColumnOutcomes`), the rest is tested here at the same time. Every column is
 * tested on its own, so the report is identical to `driftReportAsync`'s, errors included: each
 * column's outcome is kept, and the first failing column in the requested order throws, as it
 * would on one thread. Only number columns travel, copied into buffers of their own so that the
 * caller can transfer them instead of cloning the table they came from.
 */

import type { Column } from './column';
import {
	driftColumn,
	driftReportAsync,
	planColumns,
	resolveMethods,
	summarise,
	type DriftColumnReport,
	type DriftReport,
	type DriftReportOptions
} from './drift-report';
import { throwIfAborted } from './progress';

/** The columns a peer tests: `names` in order, their two samples, the report's methods and threshold. */
export interface DriftPeerJob {
	names: string[];
	reference: Record<string, Column>;
	current: Record<string, Column>;
	methods: string[];
	threshold?: number;
}

/** One column's report, or the message of the error it threw. */
export type DriftColumnOutcome = { report: DriftColumnReport } | { error: string };

/** Sends a job to the peer (transferring `transfer`) and resolves with one outcome per name. */
export type DriftPeer = (job: DriftPeerJob, transfer: ArrayBuffer[]) => Promise<DriftColumnOutcome[]>;

/** What the peer runs: each column of the job, in order, each error kept as its message. */
export function driftColumnOutcomes(job: DriftPeerJob): DriftColumnOutcome[] {
	return job.names.map((name) => {
		try {
			return { report: driftColumn(name, job.reference[name], job.current[name], { methods: job.methods, threshold: job.threshold }) };
		} catch (error) {
			return { error: error instanceof Error ? error.message : String(error) };
		}
	});
}

/** Below this much work (rows of all tested columns, both samples) a peer costs more to start and feed than it saves. */
export const SPLIT_MIN_ROWS = 200_000;

/** Relative cost of a row: string columns are parsed and counted through a Map, several times slower than numbers. */
const STRING_ROW_COST = 4;

function cost(reference: Column, current: Column): number {
	const rows = reference.values.length + current.values.length;
	return reference.type === 'string' || current.type === 'string' ? STRING_ROW_COST * rows : rows;
}

/**
 * Columns for the peer so that both sides get about the same work (largest first to the side
 * with less): only columns that are numbers on both sides, since those cross cheaply.
 */
export function peerShare(names: readonly string[], reference: Record<string, Column>, current: Record<string, Column>): Set<string> {
	let here = 0;
	let there = 0;
	const movable: { name: string; cost: number }[] = [];
	for (const name of names) {
		const c = cost(reference[name], current[name]);
		if (reference[name].type === 'number' && current[name].type === 'number') movable.push({ name, cost: c });
		else here += c;
	}
	movable.sort((a, b) => b.cost - a.cost);
	const share = new Set<string>();
	for (const m of movable) {
		if (there < here) {
			there += m.cost;
			share.add(m.name);
		} else here += m.cost;
	}
	return share;
}

function copyNumbers(column: Column, transfer: ArrayBuffer[]): Column {
	if (column.type !== 'number') return column;
	const values = column.values.slice();
	transfer.push(values.buffer);
	return { ...column, values };
}

/**
 * `driftReportAsync` with a share of the columns tested by `peer` meanwhile (no peer, or less
 * than SPLIT_MIN_ROWS of work: all here). If the peer fails (its worker crashed), its columns are
 * tested here instead.
 */
export async function driftReportSplit(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: DriftReportOptions & { peer?: DriftPeer } = {}
): Promise<DriftReport> {
	const { peer, ...rest } = options;
	if (!peer) return driftReportAsync(reference, current, rest);
	const methods = resolveMethods(options.methods ?? ['auto']);
	const names = planColumns(reference, current, options);
	const rows = names.reduce((sum, name) => sum + reference[name].values.length + current[name].values.length, 0);
	if (rows < SPLIT_MIN_ROWS) return driftReportAsync(reference, current, rest);
	throwIfAborted(options.signal);
	const share = peerShare(names, reference, current);
	const theirs = names.filter((name) => share.has(name));
	const job: DriftPeerJob = { names: theirs, reference: {}, current: {}, methods, threshold: options.threshold };
	const transfer: ArrayBuffer[] = [];
	for (const name of theirs) {
		job.reference[name] = copyNumbers(reference[name], transfer);
		job.current[name] = copyNumbers(current[name], transfer);
	}
	const outcomes = new Map<string, DriftColumnOutcome>();
	// a peer that fails leaves its columns to be tested here (below)
	const remote: Promise<DriftColumnOutcome[] | null> = theirs.length > 0 ? peer(job, transfer).catch(() => null) : Promise.resolve([]);
	let done = 0;
	const test = (name: string): DriftColumnOutcome => driftColumnOutcomes({ names: [name], reference, current, methods, threshold: options.threshold })[0];
	for (const name of names) {
		if (share.has(name)) continue;
		await new Promise<void>((resolve) => setTimeout(resolve, 0));
		throwIfAborted(options.signal);
		outcomes.set(name, test(name));
		options.onProgress?.(++done, names.length);
	}
	const received = await remote;
	throwIfAborted(options.signal);
	for (let i = 0; i < theirs.length; i++) {
		outcomes.set(theirs[i], received?.[i] ?? test(theirs[i]));
		options.onProgress?.(++done, names.length);
	}
	const columns: DriftColumnReport[] = [];
	for (const name of names) {
		const outcome = outcomes.get(name)!;
		if ('error' in outcome) throw new Error(outcome.error);
		columns.push(outcome.report);
	}
	return summarise(columns);
}
