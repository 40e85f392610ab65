import { describe, expect, it } from 'vitest';
import { driftThreshold, meanAndStd, outsideThreshold, referenceThreshold } from '#lib/stats/index.ts';
import { expectClose } from './fixtures';

describe('reference thresholds (mean ± 3σ, NannyML)', () => {
	it('uses the population standard deviation, as np.std', () => {
		// np.mean([1, 2, 3, 4]) = 2.5, np.std(...) = sqrt(1.25)
		const { mean, std } = meanAndStd([1, 2, 3, 4]);
		expect(mean).toBe(2.5);
		expectClose(std, Math.sqrt(1.25), 'std', 1e-15);
		const t = referenceThreshold([1, 2, 3, 4]);
		expectClose(t.upper!, 2.5 + 3 * Math.sqrt(1.25), 'upper', 1e-15);
		expectClose(t.lower!, 2.5 - 3 * Math.sqrt(1.25), 'lower', 1e-15);
		expect(t.windows).toBe(4);
		expect(t.multiplier).toBe(3);
	});

	it("clips to the statistic's range: no lower bound at 0, KS D at most 1", () => {
		const t = driftThreshold('ks', [0.05, 0.4, 0.9, 0.1]);
		expect(t.lower).toBeNull();
		expect(t.upper).toBe(1);
		const chi = driftThreshold('chisquare', [1, 2, 1.5, 0.5]);
		expect(chi.lower).toBeNull();
		expect(chi.upper).toBeGreaterThan(2);
		const narrow = driftThreshold('chisquare', [10, 10.5, 11, 10.2]);
		expect(narrow.lower).toBeGreaterThan(0);
	});

	it('flags values strictly outside the bounds', () => {
		const t = { lower: 1, upper: 3 };
		expect(outsideThreshold(3, t)).toBe(false);
		expect(outsideThreshold(3.0001, t)).toBe(true);
		expect(outsideThreshold(0.5, t)).toBe(true);
		expect(outsideThreshold(1, t)).toBe(false);
		expect(outsideThreshold(NaN, t)).toBe(false);
		expect(outsideThreshold(-5, { lower: null, upper: 3 })).toBe(false);
	});

	it('takes a multiplier and skips values that are not finite', () => {
		const t = referenceThreshold([1, null, 3, NaN], { multiplier: 2 });
		expect(t.windows).toBe(2);
		expect(t.upper).toBe(2 + 2 * 1);
	});

	it('needs two reference windows', () => {
		expect(() => referenceThreshold([0.2])).toThrow(/at least 2 reference windows \(got 1\)/);
		expect(() => referenceThreshold([0.2, 0.3], { multiplier: 0 })).toThrow(/multiplier/);
	});
});
