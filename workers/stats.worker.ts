import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import { driftReportAsync } from '$lib/stats';
import { arrowColumns } from '$lib/sql/arrow-columns';
import type { StatsApi } from './protocol';

const controllers = new Map<string, AbortController>();

const api: StatsApi = {
	async driftReport(reference, current, { jobId, ...options }, onProgress) {
		const controller = new AbortController();
		controllers.set(jobId, controller);
		try {
			const ref = arrowColumns(tableFromIPC(reference), options.columns);
			const cur = arrowColumns(tableFromIPC(current), options.columns);
			return await driftReportAsync(ref, cur, { ...options, signal: controller.signal, onProgress });
		} finally {
			controllers.delete(jobId);
		}
	},
	cancel(jobId) {
		controllers.get(jobId)?.abort();
	}
};

Comlink.expose(api);
