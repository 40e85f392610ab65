/**
 * Helpers for the drift detector tests: the committed streams of
 * test/fixtures/stats/detectors/streams.json (written by
 * scripts/fixtures/generate_detector_streams.py) and a runner that records
 * the indices where a detector fires.
 */
import type { DriftDetector } from '#lib/stats/detectors/index.ts';
import { loadFixture } from '../fixtures';

export interface Stream {
	description: string;
	/** Index of the first observation of the new concept. */
	changeAt?: number;
	/** End of a gradual transition (first index fully in the new concept). */
	changeEnd?: number;
	values: number[];
}

export type StreamName =
	| 'abrupt_normal'
	| 'gradual_normal'
	| 'stationary_normal'
	| 'abrupt_bernoulli'
	| 'gradual_bernoulli'
	| 'stationary_bernoulli'
	| 'river_doc_12345'
	| 'river_ddm_doc_42'
	| 'river_np_12345'
	| 'river_multi_42';

const { streams } = loadFixture<{ streams: Record<StreamName, Stream> }>('detectors/streams.json');

export function stream(name: StreamName): Stream {
	const s = streams[name];
	if (!s) throw new Error(`no stream ${name}`);
	return s;
}

export interface Run {
	drifts: number[];
	/** Indices where warningDetected was true (detectors with a warning zone). */
	warnings: number[];
}

/** Feeds every value, recording the indices where driftDetected / warningDetected are true. */
export function runDetector<X>(detector: DriftDetector<X> & { warningDetected?: boolean }, values: readonly X[]): Run {
	const drifts: number[] = [];
	const warnings: number[] = [];
	values.forEach((x, i) => {
		detector.update(x);
		if (detector.driftDetected) drifts.push(i);
		if (detector.warningDetected) warnings.push(i);
	});
	return { drifts, warnings };
}
