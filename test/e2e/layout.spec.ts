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

/** 3 of 18 against 9 of 14 conversions: a small sample, as a new user's first A/B test may be. */
const SMALL_AB = `---
title: Small A/B
---

\`\`\`sql name=trial
SELECT CASE WHEN i < 18 THEN 'A' ELSE 'B' END AS variant, CASE WHEN i < 3 OR i BETWEEN 18 AND 26 THEN 1 ELSE 0 END AS converted
FROM range(32) t(i)
\`\`\`

\`\`\`ab name=result
table: trial
group: variant
metric: converted
control: A
\`\`\`
`;

test('at 1280×800 the A/B results fit the page, numbers written for reading with the stored value on hover and copy', async ({ page }) => {
	const made = await page.request.post('/api/notebooks', { data: { source: SMALL_AB } });
	const { notebook } = await made.json();
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto(`/notebooks/${notebook.slug}`);
	expect(await settled(page)).toEqual({ trial: 'done', result: 'done' });
	const cell = page.locator('[data-cell="result"]');
	await expect(cell.getByTestId('ab-readings')).toContainText('Small sample');

	// No sideways scrolling while the page has room.
	const table = cell.getByTestId('ab-results');
	const box = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
	expect(box.scroll).toBeLessThanOrEqual(box.client);

	// Each number reads short; its stored value is on hover and is what copying the row takes.
	const row = table.locator('tbody tr[data-variant="B"]');
	const p = Number(await row.getAttribute('data-p-value'));
	const pCell = row.locator(`td[data-stored="${p}"]`).first();
	await expect(pCell).toHaveAttribute('title', String(p));
	expect((await pCell.textContent())!.length).toBeLessThanOrEqual(8);
	const rate = Number(await row.getAttribute('data-mean'));
	await expect(row.locator(`td[title="${rate}"]`)).toHaveText(`${Number((100 * rate).toPrecision(4))}%`);
	const copied = await row.evaluate((tr) => {
		getSelection()!.selectAllChildren(tr);
		const event = new ClipboardEvent('copy', { bubbles: true, cancelable: true, clipboardData: new DataTransfer() });
		(tr as HTMLTableRowElement).cells[0].dispatchEvent(event);
		return event.clipboardData!.getData('text/plain');
	});
	expect(copied.split('\t')).toEqual(expect.arrayContaining(['B', String(rate), String(p)]));
});
