/**
 * River's own published outputs, reproduced: the docstring examples of
 * river.drift.ADWIN / PageHinkley / KSWIN / binary.DDM and River's ADWIN
 * regression tests (river/drift/test_adwin_regression.py), replayed on the
 * same data, re-created by scripts/fixtures/generate_detector_streams.py
 * with CPython's random and NumPy's legacy RandomState.
 */
import { describe, expect, it } from 'vitest';
import { ADWIN, DDM, KSWIN, PageHinkley } from '#lib/stats/detectors/index.ts';
import { runDetector, stream } from './streams';

describe("River's documented detection indices", () => {
	it('ADWIN docstring: "Change detected at index 1023, input value: 4"', () => {
		const s = stream('river_doc_12345');
		const { drifts } = runDetector(new ADWIN(), s.values);
		expect(drifts).toEqual([1023]);
		expect(s.values[1023]).toBe(4);
	});

	it('ADWIN regression test test_basic_drift_at_expected_index: [1023]', () => {
		expect(runDetector(new ADWIN(), stream('river_np_12345').values).drifts).toEqual([1023]);
	});

	it('ADWIN regression test test_multiple_drifts: [1023, 2015, 3007]', () => {
		expect(runDetector(new ADWIN(), stream('river_multi_42').values).drifts).toEqual([1023, 2015, 3007]);
	});

	it('PageHinkley docstring: "Change detected at index 1006, input value: 5"', () => {
		const s = stream('river_doc_12345');
		const { drifts } = runDetector(new PageHinkley(), s.values);
		expect(drifts).toEqual([1006]);
		expect(s.values[1006]).toBe(5);
	});

	it('KSWIN docstring (alpha=0.0001, seed=42): "Change detected at index 1016, input value: 6"', () => {
		const s = stream('river_doc_12345');
		const { drifts } = runDetector(new KSWIN({ alpha: 0.0001, seed: 42 }), s.values);
		expect(drifts).toEqual([1016]);
		expect(s.values[1016]).toBe(6);
	});

	it('DDM docstring: warning at 1084, change at 1334, warning at 1492', () => {
		const ddm = new DDM();
		const printed: string[] = [];
		let printWarning = true;
		stream('river_ddm_doc_42').values.forEach((x, i) => {
			ddm.update(x);
			if (ddm.warningDetected && printWarning) {
				printed.push(`Warning detected at index ${i}`);
				printWarning = false;
			}
			if (ddm.driftDetected) {
				printed.push(`Change detected at index ${i}`);
				printWarning = true;
			}
		});
		expect(printed).toEqual(['Warning detected at index 1084', 'Change detected at index 1334', 'Warning detected at index 1492']);
	});
});
