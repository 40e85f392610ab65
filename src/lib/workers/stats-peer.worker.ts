/** The stats worker's peer on the second core: tests the share of a drift report's columns it is sent. */
import * as Comlink from 'comlink';
import { driftColumnOutcomes } from '#lib/stats/drift-split.ts';

const api = { driftColumnOutcomes };
export type StatsPeerApi = typeof api;

Comlink.expose(api);
