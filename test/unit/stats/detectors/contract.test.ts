/**
 * River's detector contract: update() returns the detector, driftDetected is
 * true only on the detecting update (the next update starts from a fresh
 * state), reset() restores the initial behaviour; DDM's warning zone comes
 * before its drifts. Plus input validation and KSWIN's statistical behaviour
 * across seeds.
 */
import { describe, expect, it } from 'vitest';
import { ADWIN, DDM, KSWIN, PageHinkley, PythonRandom, type DriftDetector } from '#lib/stats/detectors/index.ts';
import { runDetector, stream, type StreamName } from './streams';

interface Subject {
	name: string;
	make: () => DriftDetector<number> & { warningDetected?: boolean };
	/** A stream where it detects (used to replay), and a different one to dirty the state. */
	replay: StreamName;
	dirty: StreamName;
}

const subjects: Subject[] = [
	{ name: 'ADWIN', make: () => new ADWIN(), replay: 'abrupt_normal', dirty: 'river_multi_42' },
	{ name: 'PageHinkley', make: () => new PageHinkley(), replay: 'gradual_normal', dirty: 'river_doc_12345' },
	{ name: 'KSWIN', make: () => new KSWIN({ seed: 7 }), replay: 'abrupt_normal', dirty: 'gradual_normal' },
	{ name: 'DDM', make: () => new DDM(), replay: 'abrupt_bernoulli', dirty: 'river_ddm_doc_42' }
];

describe('reset() returns a detector to its initial behaviour', () => {
	for (const s of subjects) {
		it(`${s.name}: same drift/warning indices on a replayed stream after any prefix + reset()`, () => {
			const replay = stream(s.replay).values;
			const dirty = stream(s.dirty).values;
			const fresh = runDetector(s.make(), replay);
			expect(fresh.drifts.length).toBeGreaterThan(0);

			// Property over random prefixes of another stream (including ones that stop right
			// on a detection, whose lazy reset is then still pending).
			const rng = new PythonRandom(2024);
			const dirtyDrifts = runDetector(s.make(), dirty).drifts;
			const prefixes = [0, 1, dirty.length, ...dirtyDrifts.map((i) => i + 1)];
			for (let t = 0; t < 8; t++) prefixes.push(rng.randbelow(dirty.length));
			for (const len of prefixes) {
				const d = s.make();
				for (let i = 0; i < len; i++) d.update(dirty[i]);
				d.reset();
				expect(d.driftDetected).toBe(false);
				if (d.warningDetected !== undefined) expect(d.warningDetected).toBe(false);
				expect(runDetector(d, replay), `after a prefix of ${len}`).toEqual(fresh);
			}
		});
	}

	it('reset() twice, and a reset detector replays itself', () => {
		const values = stream('abrupt_normal').values;
		const d = new ADWIN();
		const first = runDetector(d, values);
		d.reset();
		d.reset();
		expect(runDetector(d, values)).toEqual(first);
	});
});

describe('update() and driftDetected', () => {
	it('update() returns the detector itself', () => {
		const dets = [new ADWIN(), new PageHinkley(), new KSWIN({ seed: 1 }), new DDM()];
		for (const d of dets) expect(d.update(1)).toBe(d);
	});

	it('driftDetected is true only on the detecting update; the next update starts fresh (lazy reset)', () => {
		const values = stream('abrupt_normal').values;

		const adwin = new ADWIN();
		values.forEach((x, i) => {
			adwin.update(x);
			if (i === 1055) {
				expect(adwin.driftDetected).toBe(true);
				expect(adwin.nDetections).toBe(1);
				expect(adwin.width).toBeLessThan(1056); // the window was shrunk before the reset
			}
			if (i === 1056) {
				expect(adwin.driftDetected).toBe(false);
				expect(adwin.width).toBe(1); // River: the whole window restarts
				expect(adwin.nDetections).toBe(0);
				expect(adwin.estimation).toBe(x);
			}
		});

		const ph = new PageHinkley();
		values.forEach((x, i) => {
			ph.update(x);
			if (i === 1055) expect(ph.driftDetected).toBe(true);
			if (i === 1056) {
				expect(ph.driftDetected).toBe(false);
				expect(ph.estimation).toBe(x);
			}
		});

		const kswin = new KSWIN({ seed: 42 });
		values.forEach((x, i) => {
			kswin.update(x);
			if (i === 1016) {
				expect(kswin.driftDetected).toBe(true);
				expect(kswin.pValue).toBeLessThanOrEqual(kswin.alpha);
				expect(kswin.statistic).toBeGreaterThan(0.1);
				expect(kswin.window).toEqual(values.slice(1016 - 29, 1017)); // River keeps the last stat_size
			}
			if (i === 1017) {
				expect(kswin.driftDetected).toBe(false);
				expect(kswin.n).toBe(1);
				expect(kswin.window).toEqual([x]);
			}
		});
	});

	it('never reports two consecutive detections with River defaults (each detector needs a warm-up)', () => {
		for (const s of subjects) {
			const { drifts } = runDetector(s.make(), stream(s.replay).values);
			for (let k = 1; k < drifts.length; k++) expect(drifts[k] - drifts[k - 1]).toBeGreaterThan(1);
		}
	});
});

describe('DDM warning zone', () => {
	const cases: { stream: StreamName; drifts: number[]; warningStarts: number[] }[] = [
		{ stream: 'abrupt_bernoulli', drifts: [108, 1146], warningStarts: [93, 1038] },
		{ stream: 'gradual_bernoulli', drifts: [1422, 1556], warningStarts: [1295, 1475] },
		{ stream: 'river_ddm_doc_42', drifts: [1334], warningStarts: [1095] }
	];
	for (const c of cases) {
		it(`${c.stream}: each drift is preceded by an uninterrupted warning zone`, () => {
			const ddm = new DDM();
			const warn: boolean[] = [];
			const drift: boolean[] = [];
			for (const x of stream(c.stream).values) {
				ddm.update(x);
				warn.push(ddm.warningDetected);
				drift.push(ddm.driftDetected);
				expect(ddm.warningDetected && ddm.driftDetected).toBe(false);
			}
			const drifts = drift.flatMap((d, i) => (d ? [i] : []));
			expect(drifts).toEqual(c.drifts);
			drifts.forEach((i, k) => {
				expect(warn[i]).toBe(false); // River clears the warning on the drifting update
				let start = i - 1;
				while (start > 0 && warn[start - 1]) start--;
				expect(warn[i - 1]).toBe(true);
				expect(start).toBe(c.warningStarts[k]);
				expect(start).toBeLessThan(i);
			});
		});
	}

	it('accepts booleans like 0/1 and rejects other values', () => {
		const values = stream('abrupt_bernoulli').values;
		const a = runDetector(new DDM(), values);
		const b = runDetector(
			new DDM(),
			values.map((x) => x === 1)
		);
		expect(b).toEqual(a);
		expect(() => new DDM().update(0.5)).toThrow(RangeError);
		expect(() => new DDM().update(2)).toThrow(RangeError);
	});

	it('no detection until more than warmStart observations', () => {
		const ddm = new DDM();
		for (let i = 0; i < 30; i++) {
			ddm.update(i % 2);
			expect(ddm.warningDetected || ddm.driftDetected).toBe(false);
		}
		expect(ddm.count).toBe(30);
	});
});

describe('PageHinkley modes', () => {
	it("'up' watches increases, 'down' decreases; 'down' on −x equals 'up' on x", () => {
		const values = stream('abrupt_normal').values;
		const negated = values.map((x) => -x);
		expect(runDetector(new PageHinkley({ mode: 'up' }), values).drifts).toEqual([1055]);
		expect(runDetector(new PageHinkley({ mode: 'down' }), values).drifts).toEqual([]);
		expect(runDetector(new PageHinkley({ mode: 'down' }), negated).drifts).toEqual([1055]);
		expect(runDetector(new PageHinkley({ mode: 'up' }), negated).drifts).toEqual([]);
		expect(runDetector(new PageHinkley(), negated).drifts).toEqual([1055]);
	});

	it('no detection before minInstances observations', () => {
		const ph = new PageHinkley({ threshold: 0.1 });
		for (let i = 0; i < 29; i++) {
			ph.update(i * 100);
			expect(ph.driftDetected).toBe(false);
		}
		ph.update(2900);
		expect(ph.driftDetected).toBe(true);
	});
});

describe('KSWIN randomness', () => {
	it('the same seed gives the same run, reset() re-seeds like River', () => {
		const values = stream('gradual_normal').values;
		expect(runDetector(new KSWIN({ seed: 3 }), values)).toEqual(runDetector(new KSWIN({ seed: 3 }), values));
		const unseeded = new KSWIN();
		expect(() => runDetector(unseeded, values)).not.toThrow();
	});

	it('detects the abrupt shift shortly after the change for every seed (statistical behaviour)', () => {
		const values = stream('abrupt_normal').values;
		const firsts: number[] = [];
		let preChange = 0;
		for (let seed = 0; seed < 100; seed++) {
			const { drifts } = runDetector(new KSWIN({ seed }), values);
			preChange += drifts.filter((i) => i < 1000).length;
			const first = drifts.find((i) => i >= 1000);
			expect(first, `seed ${seed}`).toBeDefined();
			firsts.push(first!);
		}
		firsts.sort((a, b) => a - b);
		// Our indices over seeds 0..99: median 1016, 10th–90th percentiles 1012–1022, max 1034.
		expect(firsts[50]).toBeGreaterThanOrEqual(1005);
		expect(firsts[50]).toBeLessThanOrEqual(1030);
		expect(firsts[89]).toBeLessThanOrEqual(1040);
		expect(firsts[99]).toBeLessThanOrEqual(1100);
		// ~900 level-0.005 tests before the change per run: mean 1.1 false alarms per run.
		expect(preChange / 100).toBeLessThanOrEqual(2);
	});

	it('an initial window avoids the cold start (and is dropped by reset, as in River)', () => {
		const values = stream('abrupt_normal').values;
		const d = new KSWIN({ seed: 42, window: values.slice(0, 100) });
		expect(d.window).toHaveLength(100);
		const drifts = runDetector(d, values.slice(100)).drifts.map((i) => i + 100);
		expect(drifts).toEqual([459, 1019, 1842]);
		d.reset();
		expect(d.window).toEqual([]);
	});
});

describe('validation', () => {
	it('rejects bad parameters', () => {
		expect(() => new ADWIN({ delta: 0 })).toThrow(RangeError);
		expect(() => new ADWIN({ clock: 0 })).toThrow(RangeError);
		expect(() => new ADWIN({ maxBuckets: 1.5 })).toThrow(RangeError);
		expect(() => new PageHinkley({ mode: 'sideways' as never })).toThrow(/Invalid 'mode'/);
		expect(() => new KSWIN({ alpha: -0.1 })).toThrow(/Alpha/);
		expect(() => new KSWIN({ alpha: 1.1 })).toThrow(/Alpha/);
		expect(() => new KSWIN({ windowSize: -10 })).toThrow(RangeError);
		expect(() => new KSWIN({ windowSize: 10, statSize: 30 })).toThrow(/smaller than window_size/);
		expect(() => new KSWIN({ windowSize: 50, statSize: 30 })).toThrow(/2 \* stat_size/);
		expect(() => new KSWIN({ seed: 0.5 })).toThrow(RangeError);
	});

	it('rejects non-finite inputs instead of poisoning the state', () => {
		for (const d of [new ADWIN(), new PageHinkley(), new KSWIN({ seed: 1 })]) {
			expect(() => d.update(NaN)).toThrow(RangeError);
			expect(() => d.update(Infinity)).toThrow(RangeError);
		}
	});

	it('exposes River defaults', () => {
		const a = new ADWIN();
		expect([a.delta, a.clock, a.maxBuckets, a.minWindowLength, a.gracePeriod]).toEqual([0.002, 32, 5, 5, 10]);
		const p = new PageHinkley();
		expect([p.minInstances, p.delta, p.threshold, p.alpha, p.mode]).toEqual([30, 0.005, 50, 1 - 0.0001, 'both']);
		const k = new KSWIN();
		expect([k.alpha, k.windowSize, k.statSize, k.seed]).toEqual([0.005, 100, 30, undefined]);
		const d = new DDM();
		expect([d.warmStart, d.warningThreshold, d.driftThreshold]).toEqual([30, 2.0, 3.0]);
	});
});
