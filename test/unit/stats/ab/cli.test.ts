/**
 * `driftbook ab` on the fixture CSVs: the JSON contract, SciPy/statsmodels numbers, the table,
 * and one-line errors with exit code 2. Exit codes and output are checked on real processes (the
 * bundled command line, and once through `npm run -s driftbook`); the other runs are the same
 * function in this process (runCliHere).
 */
import { runCli, runCliHere, type CliRun } from '../../../support/cli';
import { describe, expect, it } from 'vitest';
import { expectClose, loadFixture } from '../fixtures';

const DIR = 'test/fixtures/stats/ab';
const REL = 1e-9;

const run = (args: string[], viaNpm = false) => runCli('ab', args, viaNpm);
/** The same command in this process (no process start): for the runs that check arguments, numbers and formats. */
const runHere = (args: string[]) => runCliHere('ab', args);

/** stderr without npm's own configuration warnings. */
const errors = (r: CliRun) =>
	r.stderr
		.split('\n')
		.filter((l) => l !== '' && !l.startsWith('npm warn'))
		.join('\n');

type Expected = Record<string, number | string>;
const fx = loadFixture<{
	conversion: { srm: { statistic: number; p_value: number }; variants: Expected[] };
	revenue: { srm: { statistic: number; p_value: number }; welch: Expected; cuped: Expected; mannwhitney: Expected };
	srm: { srm: { statistic: number; p_value: number } };
}>('ab/experiments.json');

function compare(got: Record<string, unknown>, expected: Expected, keys: string[]): void {
	expect(Object.keys(got)).toEqual(keys);
	for (const key of keys) {
		const e = expected[key];
		if (typeof e === 'string' || key === 'n' || key === 'control_n') expect(got[key], key).toBe(e);
		else expectClose(got[key] as number, e, key, REL);
	}
}

const PROPORTION_KEYS = [
	'variant',
	'n',
	'control_n',
	'mean',
	'control_mean',
	'difference',
	'ci_low',
	'ci_high',
	'relative_lift',
	'p_value',
	'p_value_adjusted',
	'prob_to_beat'
];

describe('driftbook ab --json', () => {
	it('three arms, 0/1 metric: proportion by default, variants in order of first appearance (via npm run)', async () => {
		const r = await run(['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted', '--control', 'A', '--json'], true);
		expect(errors(r)).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(Object.keys(out)).toEqual(['control', 'srm', 'variants']);
		expect(out.control).toBe('A');
		expect(Object.keys(out.srm)).toEqual(['statistic', 'p_value']);
		expectClose(out.srm.statistic, fx.conversion.srm.statistic, 'srm statistic', REL);
		expectClose(out.srm.p_value, fx.conversion.srm.p_value, 'srm p', REL);
		expect(out.variants.map((v: { variant: string }) => v.variant)).toEqual(['C', 'B']);
		out.variants.forEach((v: Record<string, unknown>, i: number) => compare(v, fx.conversion.variants[i], PROPORTION_KEYS));
	});

	it('welch: no prob_to_beat, no p_value_adjusted with one variant', async () => {
		const r = await run(['--data', `${DIR}/revenue.csv`, '--group', 'arm', '--metric', 'revenue', '--control', 'control', '--json']);
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expectClose(out.srm.p_value, fx.revenue.srm.p_value, 'srm p', REL);
		compare(out.variants[0], fx.revenue.welch, [
			'variant',
			'n',
			'control_n',
			'mean',
			'control_mean',
			'difference',
			'ci_low',
			'ci_high',
			'relative_lift',
			'p_value'
		]);
	});

	it('cuped with a covariate', async () => {
		const r = await runHere([
			'--data',
			`${DIR}/revenue.csv`,
			'--group',
			'arm',
			'--metric',
			'revenue',
			'--control',
			'control',
			'--test',
			'cuped',
			'--covariate',
			'pre_revenue',
			'--json'
		]);
		expect(r.code).toBe(0);
		compare(JSON.parse(r.stdout).variants[0], fx.revenue.cuped, [
			'variant',
			'n',
			'control_n',
			'mean',
			'control_mean',
			'difference',
			'ci_low',
			'ci_high',
			'relative_lift',
			'p_value'
		]);
	});

	it('mannwhitney: variant, n, control_n, p_value', async () => {
		const r = await runHere([
			'--data',
			`${DIR}/revenue.csv`,
			'--group',
			'arm',
			'--metric',
			'revenue',
			'--control',
			'control',
			'--test',
			'mannwhitney',
			'--json'
		]);
		expect(r.code).toBe(0);
		compare(JSON.parse(r.stdout).variants[0], fx.revenue.mannwhitney, ['variant', 'n', 'control_n', 'p_value']);
	});

	it('reads RFC 4180 quoting (quoted names, doubled quotes, CRLF)', async () => {
		const r = await runHere(['--data', `${DIR}/quoted.csv`, '--group', 'arm, name', '--metric', 'metric', '--control', 'ctl', '--json']);
		expect(errors(r)).toBe('');
		const out = JSON.parse(r.stdout);
		expect(out.variants[0]).toMatchObject({ variant: 'new "v2"', n: 3, control_n: 3 });
	});
});

describe('driftbook ab (table)', () => {
	it('prints the sample-ratio line, one row per variant and the verdict', async () => {
		const r = await runHere(['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted', '--control', 'A']);
		expect(r.code).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[1]).toMatch(/^Sample ratio: A \d+, C \d+, B \d+; chi-square/);
		expect(lines.some((l) => /^C\s+\d+\s+\d+/.test(l))).toBe(true);
		expect(lines.some((l) => /^B\s+\d+\s+\d+/.test(l))).toBe(true);
		expect(r.stdout).toMatch(/P\(beat control\)/);
		expect(lines[lines.length - 1]).toMatch(/^(Ship|Do not ship|Not proven)/);
	});

	it('flags a sample-ratio mismatch and does not call a winner', async () => {
		const r = await runHere(['--data', `${DIR}/srm.csv`, '--group', 'group', '--metric', 'clicked', '--control', 'A']);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/Sample ratio MISMATCH/);
		expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^Do not ship: sample ratio mismatch/);
		const json = JSON.parse((await runHere(['--data', `${DIR}/srm.csv`, '--group', 'group', '--metric', 'clicked', '--control', 'A', '--json'])).stdout);
		expectClose(json.srm.p_value, fx.srm.srm.p_value, 'srm p', REL);
	});
});

describe('driftbook ab: bad input is one line on stderr and exit code 2', () => {
	const cases: [string, string[], RegExp][] = [
		['a missing file', ['--data', `${DIR}/nope.csv`, '--group', 'g', '--metric', 'm', '--control', 'A'], /^driftbook: cannot read .*nope\.csv: no such file$/],
		[
			'an unknown group column',
			['--data', `${DIR}/conversion.csv`, '--group', 'arm', '--metric', 'converted', '--control', 'A'],
			/^driftbook: --group: unknown column "arm" in .*conversion\.csv \(columns: user_id, variant, converted\)$/
		],
		[
			'an unknown metric column',
			['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'revenue', '--control', 'A'],
			/^driftbook: --metric: unknown column "revenue"/
		],
		[
			'an unknown control',
			['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted', '--control', 'Z'],
			/^driftbook: .*control "Z" is not a value of variant \(groups: "A", "C", "B"\)$/
		],
		[
			'a group with one row',
			['--data', `${DIR}/tiny_group.csv`, '--group', 'group', '--metric', 'value', '--control', 'A'],
			/^driftbook: .*group "B" has 1 row.*at least 2$/
		],
		[
			'a non-numeric metric, with its line',
			['--data', `${DIR}/bad_metric.csv`, '--group', 'group', '--metric', 'value', '--control', 'A'],
			/^driftbook: .*bad_metric\.csv, line 5: value "n\/a\?" is not a number$/
		],
		['a missing required option', ['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted'], /^driftbook: --control NAME is required/],
		[
			'an unknown test',
			['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted', '--control', 'A', '--test', 'bayes'],
			/^driftbook: unknown test "bayes"/
		],
		[
			'cuped without a covariate',
			['--data', `${DIR}/revenue.csv`, '--group', 'arm', '--metric', 'revenue', '--control', 'control', '--test', 'cuped'],
			/^driftbook: --test cuped needs --covariate/
		],
		[
			'proportion on a continuous metric',
			['--data', `${DIR}/revenue.csv`, '--group', 'arm', '--metric', 'revenue', '--control', 'control', '--test', 'proportion'],
			/^driftbook: .*needs a 0\/1 metric/
		],
		[
			'an unknown option',
			['--data', `${DIR}/conversion.csv`, '--group', 'variant', '--metric', 'converted', '--control', 'A', '--jsn'],
			/^driftbook: unknown option --jsn$/
		]
	];
	for (const [what, args, message] of cases) {
		it(what, async () => {
			// the first as a real process, the rest the same function in this process
			const r = await (what === cases[0][0] ? run : runHere)(args);
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			const err = errors(r);
			expect(err.split('\n')).toHaveLength(1);
			expect(err).toMatch(message);
		});
	}
});
