/**
 * The stats worker: src/lib/stats/service/stats-service.ts off the main thread. With a second
 * core it starts a peer worker (stats-peer.worker.ts) on first use that tests a share of each
 * drift report's columns; if the peer crashes, the report tests those columns here instead.
 */
import * as Comlink from 'comlink';
import type { DriftPeer } from '#lib/stats/drift-split.ts';
import { createStatsService } from '#lib/stats/service/stats-service.ts';
import { spawn, type Spawned } from './spawn';
import type { StatsPeerApi } from './stats-peer.worker';
import PeerWorker from './stats-peer.worker.ts?worker';

let peer: Spawned<StatsPeerApi> | null = null;

const drift: DriftPeer = async (job, transfer) => {
	const current = (peer ??= spawn<StatsPeerApi>(new PeerWorker(), 'statistics peer'));
	try {
		return await Promise.race([current.api.driftColumnOutcomes(Comlink.transfer(job, transfer)), current.crashed]);
	} catch (error) {
		current.terminate();
		if (peer === current) peer = null;
		throw error;
	}
};

Comlink.expose(createStatsService(navigator.hardwareConcurrency > 1 ? drift : undefined));
