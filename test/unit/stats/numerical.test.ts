import { describe, expect, it } from 'vitest';
import { histogramCounts, sturgesEdges } from '#lib/stats/histogram.ts';
import { hellinger, jensenShannon, proportions, psi } from '#lib/stats/distance.ts';
import { wassersteinNormSorted, wassersteinSorted } from '#lib/stats/wasserstein.ts';
import { meanStd } from '#lib/stats/float.ts';
import { expectClose, loadFixture, numericSample, type Sample } from './fixtures';

interface NumCase {
	name: string;
	reference: Sample;
	current: Sample;
	expected: {
		edges: number[];
		ref_counts: number[];
		cur_counts: number[];
		psi: number;
		jensenshannon: number;
		hellinger: number;
		wasserstein: number;
		wasserstein_norm: number;
		ref_mean: number;
		ref_std: number;
	};
}
const { cases } = loadFixture<{ cases: NumCase[] }>('numerical.json');

function sorted(s: Sample): Float64Array {
	return numericSample(s)
		.filter((v) => !Number.isNaN(v))
		.sort();
}

describe('numerical distances vs NumPy / SciPy', () => {
	for (const c of cases) {
		describe(c.name, () => {
			const r = sorted(c.reference);
			const cur = sorted(c.current);
			it('sturges edges and histogram counts are identical to NumPy', () => {
				const edges = sturgesEdges(r, cur);
				expect(Array.from(edges)).toEqual(c.expected.edges);
				expect(Array.from(histogramCounts(r, edges))).toEqual(c.expected.ref_counts);
				expect(Array.from(histogramCounts(cur, edges))).toEqual(c.expected.cur_counts);
			});
			it('psi / jensenshannon / hellinger on the bins', () => {
				const edges = sturgesEdges(r, cur);
				const pr = proportions(histogramCounts(r, edges), r.length);
				const pc = proportions(histogramCounts(cur, edges), cur.length);
				expectClose(psi(pr, pc), c.expected.psi, 'psi', 1e-12);
				expectClose(jensenShannon(pr, pc), c.expected.jensenshannon, 'jensenshannon', 1e-12);
				expectClose(hellinger(pr, pc), c.expected.hellinger, 'hellinger', 1e-12);
			});
			it('wasserstein and wasserstein_norm', () => {
				expectClose(wassersteinSorted(r, cur), c.expected.wasserstein, 'wasserstein', 1e-12);
				expectClose(wassersteinNormSorted(r, cur), c.expected.wasserstein_norm, 'wasserstein_norm', 1e-12);
				const { mean, std } = meanStd(r);
				expectClose(mean, c.expected.ref_mean, 'mean', 1e-12);
				expectClose(std, c.expected.ref_std, 'std', 1e-12);
			});
		});
	}
});
