import * as Comlink from 'comlink';
import { tableToIPC } from 'apache-arrow';
import type { CellKind } from './types';
import { Fields } from './fields';
import { quoteIdentifier } from '$lib/sql/identifiers';
import type { DriftReport } from '$lib/stats';

export interface DriftValue {
	reference: string;
	current: string;
	report: DriftReport;
}

/**
 * A drift cell compares two tables column by column in the stats worker. Columns default to
 * those both tables share.
 */
export const driftCell: CellKind = {
	kind: 'drift',
	inputs: (cell) => new Fields(cell).referenced(['reference', 'current']),
	async run(cell, _inputs, services, { signal, progress }): Promise<DriftValue> {
		const fields = new Fields(cell);
		const reference = fields.required('reference');
		const current = fields.required('current');
		const methods = fields.list('method') ?? ['auto'];
		const threshold = fields.number('threshold');
		const db = await services.db();
		const [ref, cur] = await Promise.all([
			db.query(`SELECT * FROM ${quoteIdentifier(reference)}`, signal),
			db.query(`SELECT * FROM ${quoteIdentifier(current)}`, signal)
		]);
		const shared = ref.schema.fields.map((f) => f.name).filter((name) => cur.getChild(name) !== null);
		const columns = fields.list('columns') ?? shared;
		for (const column of columns) {
			if (!ref.getChild(column)) throw new Error(`cell ${cell.name}: column "${column}" is not in ${reference}`);
			if (!cur.getChild(column)) throw new Error(`cell ${cell.name}: column "${column}" is not in ${current}`);
		}
		const refIPC = tableToIPC(ref.select(columns), 'stream');
		const curIPC = tableToIPC(cur.select(columns), 'stream');

		const { api, crashed } = await services.stats();
		const jobId = crypto.randomUUID();
		const onAbort = () => void api.cancel(jobId);
		signal.addEventListener('abort', onAbort, { once: true });
		try {
			const report = await Promise.race([
				api.driftReport(
					Comlink.transfer(refIPC, [refIPC.buffer]),
					Comlink.transfer(curIPC, [curIPC.buffer]),
					{ jobId, columns, methods, threshold },
					Comlink.proxy(progress)
				),
				crashed
			]);
			return { reference, current, report };
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	}
};
