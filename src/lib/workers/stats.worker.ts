/**
 * The stats worker: src/lib/stats/service/stats-service.ts off the main thread. With a second
 * core it starts a peer worker (stats-peer.worker.ts) that tests a share of each large drift
 * report's columns; if the peer crashes, the report tests those columns here instead (and the
 * next report starts a new one). The first peer starts with this worker, not with the first
 * report: its script loads and compiles while the notebook's data loads, off the report's path.
 */
import * as Comlink from 'comlink';
import type { DriftPeer } from '#lib/stats/drift-split.ts';
import { createStatsService } from '#lib/stats/service/stats-service.ts';
import { spawn, type Spawned } from './spawn';
import type { StatsPeerApi } from './stats-peer.worker';
import PeerWorker from './stats-peer.worker.ts?worker';

const twoCores = navigator.hardwareConcurrency > 1;
const startPeer = () => spawn<StatsPeerApi>(new PeerWorker(), 'statistics peer');
let peer: Spawned<StatsPeerApi> | null = twoCores ? startPeer() : null;

const drift: DriftPeer = async (job, transfer) => {
	const current = (peer ??= startPeer());
	try {
		return await Promise.race([current.api.driftColumnOutcomes(Comlink.transfer(job, transfer)), current.crashed]);
	} catch (error) {
		current.terminate();
		if (peer === current) peer = null;
		throw error;
	}
};

Comlink.expose(createStatsService(twoCores ? drift : undefined));
