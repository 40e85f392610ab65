import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';

// Hostile content: known XSS payloads in a notebook's title, markdown, field values and in the
// data itself (CSV headers and values, SQL results, chart titles, error messages) are shown as
// text and never run — on the notebook page and in a shared /view link. The CSP would block
// inline handlers anyway, so the test also checks that no such markup reached the DOM at all
// (and fixtures.ts fails it on any CSP violation, which an injected handler would cause).

declare global {
	interface Window {
		__xss?: unknown;
	}
}

const IMG = (tag: string) => `<img src=x onerror="window.__xss='${tag}'">`;
const SOURCE = [
	'---',
	`title: Hostile ${IMG('title')} data`,
	'---',
	'',
	`Markdown with ${IMG('md')}, <svg onload="window.__xss='md-svg'"></svg>, [a link](javascript:window.__xss='md-link') and <script>window.__xss='md-script'</script>.`,
	'',
	'```input name=upload',
	'type: file',
	`label: ${IMG('label')}`,
	'```',
	'',
	'```data name=dataset',
	'file: upload',
	'```',
	'',
	'```sql name=generated',
	`SELECT '${IMG('value').replaceAll("'", "''")}' AS "<svg onload=""window.__xss='header'"">", 'javascript:window.__xss=1' AS link, 3 AS n, '</script><script>window.__xss=''close''</script>' AS closing`,
	'```',
	'',
	'```chart name=hostile_chart',
	'data: generated',
	'mark: bar',
	'x: link',
	'y: n',
	`title: ${IMG('chart')}`,
	`x_label: <svg onload="window.__xss='x-label'">`,
	'```',
	'',
	'```sql name=broken',
	`SELECT * FROM "${IMG('error').replaceAll('"', '""')}"`,
	'```',
	''
].join('\n');

const CSV = [
	`"${IMG('csv-header').replaceAll('"', '""')}",plain,"<svg onload=""window.__xss='csv-svg'"">"`,
	`1,"${IMG('csv-value').replaceAll('"', '""')}","javascript:window.__xss='csv-url'"`,
	`2,"</script><script>window.__xss='csv-close'</script>","<a href=""javascript:window.__xss=2"">x</a>"`,
	''
].join('\n');

/** Nothing ran, and no element anywhere carries an event handler, a javascript: URL or an injected script. */
async function expectInert(page: Page) {
	expect(await page.evaluate(() => window.__xss)).toBeUndefined();
	const found = await page.evaluate(() => {
		const bad: string[] = [];
		for (const element of document.querySelectorAll('*')) {
			for (const attribute of element.attributes) {
				if (attribute.name.startsWith('on')) bad.push(`${element.tagName} ${attribute.name}`);
				if (/^\s*javascript:/i.test(attribute.value) && ['href', 'src', 'action', 'xlink:href'].includes(attribute.name))
					bad.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
			}
		}
		for (const script of document.querySelectorAll('[data-cell] script, .notebook script')) bad.push(`script ${script.textContent}`);
		return bad;
	});
	expect(found).toEqual([]);
}

test('payloads in markdown, fields and data are shown as text and never run', async ({ page, request }) => {
	const created = await request.post('/api/notebooks', { data: { source: SOURCE } });
	const { notebook } = (await created.json()) as { notebook: { slug: string } };
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	await expect(page.getByTestId('notebook-title')).toHaveText(`Hostile ${IMG('title')} data`);
	await expect(page.locator('[data-cell="generated"]')).toHaveAttribute('data-status', 'done');
	await expect(page.locator('[data-cell="generated"]')).toContainText(IMG('value'));
	await expect(page.locator('[data-cell="generated"]')).toContainText(`<svg onload="window.__xss='header'">`);
	await expect(page.locator('[data-cell="generated"]')).toContainText(`</script><script>window.__xss='close'</script>`);
	await expect(page.locator('[data-cell="hostile_chart"]')).toHaveAttribute('data-status', 'done');
	await expect(page.locator('[data-cell="hostile_chart"]')).toContainText(IMG('chart'));
	await expect(page.locator('[data-cell="broken"] [data-testid=cell-error]')).toContainText(IMG('error'));
	await expectInert(page);

	// A CSV with payloads in its header and values, through the file input and the data cell.
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
	await expect(page.locator('[data-cell="dataset"]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	await settled(page);
	const dataset = page.locator('[data-cell="dataset"]');
	await expect(dataset).toContainText(IMG('csv-header'));
	await expect(dataset).toContainText(IMG('csv-value'));
	await expect(page.getByTestId('dataset-panel')).toContainText('dataset');
	await expectInert(page);

	// The same notebook through a share link, where nothing is trusted.
	await page.getByRole('button', { name: 'Copy link' }).click();
	const link = await page.getByTestId('share-link').inputValue();
	await page.goto(link);
	await settled(page);
	await expect(page.locator('[data-cell="generated"]')).toContainText(IMG('value'));
	await expect(page.locator('[data-cell="hostile_chart"]')).toContainText(IMG('chart'));
	await expect(page.locator('[data-cell="broken"] [data-testid=cell-error]')).toContainText(IMG('error'));
	await expectInert(page);
});
