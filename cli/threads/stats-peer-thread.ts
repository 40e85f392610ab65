// The worker thread behind cli/threads/stats-peer.ts: tests the share of a drift report's columns it is sent.
import { parentPort } from 'node:worker_threads';
import { driftColumnOutcomes, type DriftPeerJob } from '#lib/stats/drift-split.ts';

/** Values in each sample of the warm-up: enough for the large-sample paths (KS's asymptotic p-value, radix sorts) and V8's optimizing compiler. */
const WARM_UP_ROWS = 10_001;

/**
 * Tests `methods` on a small made-up column, its outcome dropped. The thread is idle while the
 * files are read: V8 compiles the tests' code meanwhile, and the first columns it is sent do not
 * run as slower unoptimized code (a tenth of a second of the report's time otherwise).
 */
function warmUp(methods: string[]): void {
	let state = 1;
	const uniform = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
	// bell-shaped, a shift between the samples, a missing value every hundred
	const sample = (shift: number) => Float64Array.from({ length: WARM_UP_ROWS }, (_, i) => (i % 100 === 7 ? NaN : uniform() + uniform() + uniform() + shift));
	driftColumnOutcomes({
		names: ['x'],
		reference: { x: { type: 'number', values: sample(0) } },
		current: { x: { type: 'number', values: sample(0.1) } },
		methods
	});
}

parentPort!.on('message', (message: { id: number; job: DriftPeerJob } | { warmUp: string[] }) => {
	if ('warmUp' in message) warmUp(message.warmUp);
	else parentPort!.postMessage({ id: message.id, outcomes: driftColumnOutcomes(message.job) });
});
