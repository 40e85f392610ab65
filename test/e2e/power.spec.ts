import { expect, test } from './fixtures';
import { settled } from './helpers';
import { proportionMde, proportionSampleSize } from '../../src/lib/stats/ab';

test('power cells plan a test: sample size for an effect, and the effect a size can detect', async ({ page }) => {
	await page.goto('/notebooks/ab-test-review');
	await settled(page);
	const size = proportionSampleSize(0.1, 0.01, { alpha: 0.05, power: 0.8 });
	const next = page.locator('[data-cell="next_test"] [data-testid=power-answer]');
	await expect(next).toHaveAttribute('data-n', String(size.n));
	await expect(next).toContainText(`${size.n.toLocaleString('en-US')}`);
	await expect(page.locator('[data-cell="next_test"] figure h2')).toContainText('Power to detect');

	const mde = proportionMde(0.1, 5000, { alpha: 0.05, power: 0.8 });
	const detectable = page.locator('[data-cell="this_test"] [data-testid=power-answer]');
	expect(Number(await detectable.getAttribute('data-mde'))).toBeCloseTo(mde.mde, 12);
});
