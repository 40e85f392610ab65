/** The stats worker: src/lib/stats/service/stats-service.ts off the main thread. */
import * as Comlink from 'comlink';
import { createStatsService } from '#lib/stats/service/stats-service.ts';

Comlink.expose(createStatsService());
