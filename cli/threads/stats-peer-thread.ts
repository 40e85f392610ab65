// The worker thread behind cli/threads/stats-peer.ts: tests the share of a drift report's columns it is sent.
import { parentPort } from 'node:worker_threads';
import { driftColumnOutcomes, type DriftPeerJob } from '#lib/stats/drift-split.ts';

parentPort!.on('message', ({ id, job }: { id: number; job: DriftPeerJob }) => {
	parentPort!.postMessage({ id, outcomes: driftColumnOutcomes(job) });
});
