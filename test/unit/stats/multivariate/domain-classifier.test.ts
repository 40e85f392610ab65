/**
 * Domain-classifier drift against NannyML 0.13.1's own DomainClassifierCalculator with scikit-learn's
 * GradientBoostingClassifier as its learner (scripts/fixtures/generate_domain_classifier_fixtures.py):
 * the same chunks, the AUROC of every chunk to 1e-6, thresholds, alerts and the feature importances;
 * and the fold port against scikit-learn's StratifiedKFold.
 *
 * Not bit for bit: V8's Math.exp and glibc's exp differ in the last bit for about one argument in
 * ten, so residuals can differ by an ulp, and where two features cut off exactly the same training
 * rows that ulp can decide which one scikit-learn keeps; a held-out row between the two cuts is then
 * ranked differently. So one chunk per data set may miss 1e-6, by at most two (reference, chunk) row
 * pairs of the AUROC; every other chunk matches to 1e-6, importances included.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { domainClassifierDrift, stratifiedKFold, type DomainClassifierResult } from '#lib/stats/multivariate/index.ts';
import { mulberry32 } from '../../../support/mulberry32';
import { loadTable } from './multivariate-fixtures';

const DIR = fileURLToPath(new URL('../../../fixtures/stats/domain-classifier/', import.meta.url));
const DATASETS = ['no_drift', 'mean_shift', 'correlation_flip', 'categorical'] as const;

interface FixtureChunk {
	key: string;
	chunk_index: number;
	start_index: number;
	end_index: number;
	period: 'reference' | 'analysis';
	value: number;
	upper_threshold: number;
	lower_threshold: number;
	alert: boolean;
	feature_importance: Record<string, number>;
}

interface Fixture {
	chunking: { chunk_size?: number; chunk_number?: number };
	features: string[];
	continuous_column_names: string[];
	categorical_column_names: string[];
	results: FixtureChunk[];
}

/** |actual − expected| ≤ 1e-6: AUROCs and importance shares live in [0, 1]. */
function expectWithin(actual: number, expected: number, label: string): void {
	if (!(Math.abs(actual - expected) <= 1e-6)) expect.fail(`${label}: got ${actual}, expected ${expected}`);
}

const load = <T>(file: string): T => JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as T;

const results = new Map<string, Promise<DomainClassifierResult>>();
function run(name: string): Promise<DomainClassifierResult> {
	if (!results.has(name)) {
		const fx = load<Fixture>(`${name}.json`);
		const chunking = fx.chunking.chunk_size ? { chunkSize: fx.chunking.chunk_size } : 'default';
		results.set(name, domainClassifierDrift(loadTable(name, 'reference', DIR), loadTable(name, 'analysis', DIR), { features: fx.features, chunking }));
	}
	return results.get(name) as Promise<DomainClassifierResult>;
}

describe.each(DATASETS)(
	'domain classifier on %s matches NannyML 0.13.1 with scikit-learn gradient boosting',
	(name) => {
		const fx = load<Fixture>(`${name}.json`);

		it('reports the same chunks and splits the features the same way', async () => {
			const result = await run(name);
			expect(result.chunks.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])).toEqual(
				fx.results.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])
			);
			expect(result.continuous).toEqual(fx.continuous_column_names);
			expect(result.categorical).toEqual(fx.categorical_column_names);
		});

		it('matches every AUROC to 1e-6 (one chunk at most to two row pairs), the thresholds and every alert', async () => {
			const result = await run(name);
			const referenceRows = fx.results.filter((c) => c.period === 'reference').reduce((n, c) => n + c.end_index - c.start_index + 1, 0);
			const offByAnUlp = fx.results.filter((want, i) => {
				const got = result.chunks[i];
				expect([got.lower_threshold, got.upper_threshold]).toEqual([want.lower_threshold, want.upper_threshold]);
				expect(got.alert, `${want.period} ${want.key} alert`).toBe(want.alert);
				const difference = Math.abs(got.value - want.value);
				if (difference <= 1e-6) return false;
				const chunkRows = want.end_index - want.start_index + 1;
				const pairs = chunkRows * (want.period === 'reference' ? referenceRows - chunkRows : referenceRows);
				expect(difference * pairs, `${want.period} ${want.key} AUROC: got ${got.value}, expected ${want.value}`).toBeLessThanOrEqual(2 + 1e-6);
				return true;
			});
			expect(offByAnUlp.length).toBeLessThanOrEqual(1);
		});

		it("matches scikit-learn's feature_importances_ (mean over the folds) to 1e-6 where the AUROC matches", async () => {
			const result = await run(name);
			fx.results.forEach((want, i) => {
				if (Math.abs(result.chunks[i].value - want.value) > 1e-6) return;
				for (const f of fx.features) {
					expectWithin(result.chunks[i].feature_importance[f], want.feature_importance[f], `${want.period} ${want.key} ${f}`);
				}
			});
		});
	},
	120_000
);

describe('what the fixtures show', () => {
	it('a correlation flip with unchanged marginals alerts only after the flip, driven by a and b', async () => {
		const result = await run('correlation_flip');
		expect(result.chunks.filter((c) => c.alert).map((c) => `${c.period} ${c.key}`)).toEqual([
			'analysis [750:999]',
			'analysis [1000:1249]',
			'analysis [1250:1499]'
		]);
		const flipped = result.chunks.find((c) => c.period === 'analysis' && c.key === '[1000:1249]');
		const { a, b, c, d } = flipped?.feature_importance ?? {};
		expect(Math.min(a, b)).toBeGreaterThan(Math.max(c, d));
	});

	it('a mean shift in c is found, and c drives the classifier', async () => {
		const result = await run('mean_shift');
		const shifted = result.chunks.filter((c) => c.period === 'analysis' && c.start_index >= 750);
		expect(shifted.every((c) => c.alert)).toBe(true);
		const top = Object.entries(result.feature_importance).sort((x, y) => y[1] - x[1])[0][0];
		expect(top).toBe('c');
	});

	it('no drift: no analysis chunk alerts', async () => {
		const result = await run('no_drift');
		expect(result.chunks.filter((c) => c.period === 'analysis' && c.alert)).toEqual([]);
	});
});

describe('stratifiedKFold', () => {
	const { n_splits: nSplits, cases } = load<{ n_splits: number; cases: { y: number[]; shuffle_seed: number | null; test_fold: number[] }[] }>('folds.json');

	it.each(cases.map((c, i) => [i, c] as const))("case %i gives scikit-learn's test folds", (_, c) => {
		expect(Array.from(stratifiedKFold(c.y, nSplits, c.shuffle_seed))).toEqual(c.test_fold);
	});

	it('refuses more folds than rows of every class', () => {
		expect(() => stratifiedKFold([0, 0, 1, 1], 3)).toThrow('3 folds cannot be more than the rows of every class (2, 2)');
	});
});

describe('progress, cancellation and bad input', () => {
	const random = mulberry32(7);
	const column = (n: number) => Float64Array.from({ length: n }, () => random());
	const reference = { x: column(200), y: column(200) };
	const analysis = { x: column(100), y: column(100) };
	const options = { features: ['x', 'y'], chunking: { chunkSize: 100 }, learner: { trees: 3 } };

	it('reports every tree of every fold of every chunk', async () => {
		const seen: [number, number][] = [];
		await domainClassifierDrift(reference, analysis, { ...options, onProgress: (done, total) => seen.push([done, total]) });
		expect(seen.length).toBe(3 * 5 * 3);
		expect(seen.at(-1)).toEqual([45, 45]);
	});

	it('stops when aborted', async () => {
		const controller = new AbortController();
		controller.abort(new Error('cancelled by the user'));
		await expect(domainClassifierDrift(reference, analysis, { ...options, signal: controller.signal })).rejects.toThrow('cancelled by the user');
	});

	it('names an infinite value with its row', async () => {
		const bad = { ...analysis, y: Float64Array.from(analysis.y, (v, i) => (i === 42 ? Infinity : v)) };
		await expect(domainClassifierDrift(reference, bad, options)).rejects.toThrow('analysis data, row 42: feature y is not finite (or beyond float32)');
	});

	it('names a feature whose kind differs from the reference', async () => {
		await expect(domainClassifierDrift(reference, { ...analysis, x: Array.from(analysis.x, String) }, options)).rejects.toThrow(
			'analysis data: feature x holds text but is numeric in the reference'
		);
	});
});
