import { afterAll, describe, expect, it } from 'vitest';
import {
	driftAnalysis,
	driftColumnOutcomes,
	driftReport,
	driftReportSplit,
	type Column,
	type DriftColumnOutcome,
	type DriftPeer,
	type DriftPeerJob
} from '#lib/stats/index.ts';
import { startStatsPeer } from '#cli/threads/stats-peer.ts';
import { exactJson, syntheticColumns } from './golden-cases';

const reference = syntheticColumns(1, 20_000, 0);
const current = syntheticColumns(2, 15_000, 0.05);
const ALL = ['ks', 'wasserstein', 'wasserstein_norm', 'psi', 'jensenshannon', 'hellinger', 'chisquare', 'ztest', 'fisher_exact'];
const same = (a: unknown, b: unknown) => expect(JSON.parse(exactJson(a))).toStrictEqual(JSON.parse(exactJson(b)));

/** A peer in this thread that receives what a worker would: a structured clone, buffers transferred. */
const clonedPeer: DriftPeer = async (job, transfer) => driftColumnOutcomes(structuredClone(job, { transfer }));

const thread = startStatsPeer();
afterAll(() => thread.close());

describe('driftReportSplit', () => {
	it('gives the one-thread report, bit for bit, with a share of the columns on a worker thread', async () => {
		expect(thread.peer).toBeDefined();
		for (const methods of [ALL, ['auto'], ['ks']]) {
			same(await driftReportSplit(reference, current, { methods, peer: thread.peer }), driftReport(reference, current, { methods }));
		}
		// the thread really ran (a thread that fails to load leaves its columns to this one)
		expect(thread.failure()).toBeUndefined();
	});

	it('sends the peer only number columns, and leaves the caller its columns', async () => {
		const received: string[] = [];
		const recording: DriftPeer = async (job, transfer) => {
			for (const name of job.names) {
				received.push(name);
				expect(job.reference[name].type).toBe('number');
				expect(job.current[name].type).toBe('number');
			}
			return clonedPeer(job, transfer);
		};
		const strings: Record<string, Column> = { text: { type: 'string', values: Array.from({ length: 20_000 }, (_, i) => `t${i % 7}`) }, ...reference };
		const before = (reference.normal.values as Float64Array).slice();
		same(
			await driftReportSplit(strings, { text: strings.text, ...current }, { methods: ['ks'], peer: recording }),
			driftReport(strings, { text: strings.text, ...current }, { methods: ['ks'] })
		);
		expect(received.length).toBeGreaterThan(0);
		expect(received).not.toContain('text');
		expect(reference.normal.values).toEqual(before);
	});

	it('hands over columns in shared memory as they are, neither copied nor transferred', async () => {
		const shared = (column: Column): Column => {
			if (column.type !== 'number') return column;
			const values = new Float64Array(new SharedArrayBuffer(column.values.byteLength));
			values.set(column.values);
			return { type: 'number', values };
		};
		const sharedRef = Object.fromEntries(Object.entries(reference).map(([name, column]) => [name, shared(column)]));
		const sharedCur = Object.fromEntries(Object.entries(current).map(([name, column]) => [name, shared(column)]));
		// what the peer got, checked after the report (a peer that throws only hands its columns back)
		const sent: { name: string; asTheyAre: boolean; transferred: number }[] = [];
		const checking: DriftPeer = async (job, transfer) => {
			for (const name of job.names) {
				const asTheyAre = job.reference[name].values === sharedRef[name].values && job.current[name].values === sharedCur[name].values;
				sent.push({ name, asTheyAre, transferred: transfer.length });
			}
			return clonedPeer(job, transfer);
		};
		same(await driftReportSplit(sharedRef, sharedCur, { methods: ['ks'], peer: checking }), driftReport(reference, current, { methods: ['ks'] }));
		expect(sent.length).toBeGreaterThan(0);
		expect(sent).toEqual(sent.map(({ name }) => ({ name, asTheyAre: true, transferred: 0 })));
	});

	it('takes the distributions of the columns the peer tests on the peer, the same as on one thread', async () => {
		const fromPeer: string[] = [];
		const recording: DriftPeer = async (job, transfer) => {
			const outcomes = await clonedPeer(job, transfer);
			outcomes.forEach((outcome, i) => 'distribution' in outcome && outcome.distribution && fromPeer.push(job.names[i]));
			return outcomes;
		};
		const options = { methods: ['ks', 'psi'] };
		const split = await driftAnalysis(reference, current, { ...options, peer: recording });
		const single = await driftAnalysis(reference, current, options);
		expect(fromPeer.length).toBeGreaterThan(0);
		same(split, single);
		expect(split.distributions.map((d) => d.column)).toEqual(single.report.columns.map((c) => c.column));
	});

	it('shares the columns as the work goes: a peer that answers nothing until every other column is done gets one column', async () => {
		const names = Object.keys(reference);
		const held: { job: DriftPeerJob; resolve(outcomes: DriftColumnOutcome[]): void }[] = [];
		let released = false;
		const release = () => {
			released = true;
			for (const h of held.splice(0)) h.resolve(driftColumnOutcomes(h.job));
		};
		const slow: DriftPeer = (job, transfer) =>
			new Promise((resolve) => {
				held.push({ job: structuredClone(job, { transfer }), resolve });
				if (released) release();
			});
		const report = await driftReportSplit(reference, current, {
			methods: ['auto'],
			peer: slow,
			// on one thread's schedule (a fixed share for the peer) this waits forever
			onProgress: (done) => void (done === names.length - 1 && release())
		});
		same(report, driftReport(reference, current));
	});

	it('throws the error of the first failing column in order, wherever it was tested', async () => {
		const empty: Column = { type: 'number', values: new Float64Array([NaN, NaN]) };
		const names = Object.keys(reference);
		for (const failing of names) {
			const cur = { ...current, [failing]: empty };
			const expected = (() => {
				try {
					driftReport(reference, cur, { methods: ['ks'] });
				} catch (error) {
					return (error as Error).message;
				}
				return 'no error';
			})();
			await expect(driftReportSplit(reference, cur, { methods: ['ks'], peer: clonedPeer })).rejects.toThrow(expected);
		}
		const allEmpty = Object.fromEntries(names.map((name) => [name, empty]));
		await expect(driftReportSplit(reference, allEmpty, { methods: ['ks'], peer: clonedPeer })).rejects.toThrow(`Column "${names[0]}"`);
	});

	it('tests the columns here when the peer fails', async () => {
		const broken: DriftPeer = () => Promise.reject(new Error('the statistics thread exited (code 1)'));
		same(await driftReportSplit(reference, current, { methods: ['auto'], peer: broken }), driftReport(reference, current));
	});

	it('reports progress up to every column', async () => {
		const seen: number[] = [];
		await driftReportSplit(reference, current, { methods: ['ks'], peer: clonedPeer, onProgress: (done, total) => seen.push(done / total) });
		expect(seen.at(-1)).toBe(1);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
	});
});
