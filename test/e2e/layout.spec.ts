import { expect, test } from './fixtures';
import { settled } from './helpers';

test('on a wide page, cells and their result tables use the width instead of scrolling sideways', async ({ page }) => {
	await page.setViewportSize({ width: 1700, height: 900 });
	await page.goto('/notebooks/datasets');
	await settled(page);
	const cell = await page.locator('[data-cell="summary"]').boundingBox();
	// The outline takes 200 px and a gap; the old column stopped at 980 px, leaving the rest empty.
	expect(cell!.width).toBeGreaterThan(1200);
});
