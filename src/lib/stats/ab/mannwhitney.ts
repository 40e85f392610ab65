/**
 * Mann–Whitney U test of an A/B comparison, scipy.stats.mannwhitneyu(variant, control) with its
 * defaults (SciPy 1.10); the test itself is the library's (`mann-whitney.ts`). The reported
 * statistic is U of the variant sample.
 */
import { mannWhitneySorted, type MannWhitneyStatistic } from '#lib/stats/mann-whitney.ts';
import { AbInputError } from './errors';

export interface MannWhitneyResult extends MannWhitneyStatistic {
	/** U / (n_v · n_c): the probability that a variant value exceeds a control value (ties ½). */
	probabilityOfSuperiority: number;
	n: number;
	controlN: number;
}

export function mannWhitneyU(variant: ArrayLike<number>, control: ArrayLike<number>): MannWhitneyResult {
	const n1 = variant.length;
	const n2 = control.length;
	if (n1 === 0 || n2 === 0) throw new AbInputError('Mann–Whitney test: both samples must be non-empty');
	const x = Float64Array.from(variant).sort();
	const y = Float64Array.from(control).sort();
	if (Number.isNaN(x[n1 - 1]) || Number.isNaN(y[n2 - 1])) throw new AbInputError('Mann–Whitney test: values must not be NaN');
	const r = mannWhitneySorted(x, y);
	return { ...r, probabilityOfSuperiority: r.u / (n1 * n2), n: n1, controlN: n2 };
}
