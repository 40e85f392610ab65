import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { cohensH, meanMde, meanSampleSize, normalPower, proportionMde, proportionSampleSize } from '#lib/stats/ab/index.ts';

/** What a power cell answers: rows needed for an effect, or the effect detectable with n rows. */
export interface PowerValue {
	metric: 'proportion' | 'mean';
	question: 'sample_size' | 'mde';
	alpha: number;
	power: number;
	ratio: number;
	baseline?: number;
	sd?: number;
	/** Rows in the control group (the variant gets ratio × n). */
	n: number;
	n2: number;
	/** Absolute change of the metric. */
	mde: number;
	relativeMde?: number;
	effectSize: number;
	/** Power by rows per group, for the curve. */
	curve: Array<{ n: number; power: number }>;
}

/**
 * A power cell plans an experiment: `metric: proportion` with `baseline:` (a rate), or
 * `metric: mean` with `sd:`; then `mde:` (an absolute change) to get the sample size, or `n:`
 * (rows per group) to get the minimum detectable effect. `alpha` (0.05), `power` (0.8) and
 * `ratio` (variant/control size, 1) are optional. Statistics as statsmodels NormalIndPower.
 */
export const powerCell: CellRunner = {
	kind: 'power',
	inputs: () => [],
	async run(cell): Promise<PowerValue> {
		const f = new Fields(cell);
		const metric = f.oneOf('metric', ['proportion', 'mean'] as const, 'proportion');
		const alpha = f.number('alpha') ?? 0.05;
		const power = f.number('power') ?? 0.8;
		const ratio = f.number('ratio') ?? 1;
		const options = { alpha, power, ratio };
		const mdeField = f.number('mde');
		const nField = f.number('n');
		if ((mdeField === undefined) === (nField === undefined)) {
			throw new Error(`cell ${cell.name}: give either "mde" (to get the sample size) or "n" (to get the detectable effect), not both or neither`);
		}
		const baseline = metric === 'proportion' ? f.number('baseline') : undefined;
		const sd = metric === 'mean' ? f.number('sd') : undefined;
		if (metric === 'proportion' && baseline === undefined) throw new Error(`cell ${cell.name}, field "baseline": the control's rate (0–1) is required`);
		if (metric === 'mean' && sd === undefined) throw new Error(`cell ${cell.name}, field "sd": the metric's standard deviation is required`);

		let n: number;
		let n2: number;
		let mde: number;
		let effectSize: number;
		if (mdeField !== undefined) {
			const size = metric === 'proportion' ? proportionSampleSize(baseline!, mdeField, options) : meanSampleSize(sd!, mdeField, options);
			({ n, n2, effectSize } = size);
			mde = mdeField;
		} else {
			n = Math.ceil(nField!);
			n2 = Math.ceil(ratio * n);
			if (metric === 'proportion') ({ mde, effectSize } = proportionMde(baseline!, n, options));
			else ({ mde, effectSize } = meanMde(sd!, n, options));
		}
		const d = metric === 'proportion' ? Math.abs(cohensH(baseline! + mde, baseline!)) : Math.abs(mde / sd!);
		const top = Math.max(10, Math.ceil(n * 2));
		const curve = Array.from({ length: 61 }, (_, i) => {
			const rows = Math.max(2, Math.round((top * i) / 60));
			return { n: rows, power: normalPower(d, rows, alpha, ratio) };
		});
		return {
			metric,
			question: mdeField !== undefined ? 'sample_size' : 'mde',
			alpha,
			power,
			ratio,
			baseline,
			sd,
			n,
			n2,
			mde,
			relativeMde: baseline ? mde / baseline : undefined,
			effectSize,
			curve
		};
	}
};
