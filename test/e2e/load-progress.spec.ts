/**
 * A CSV load shows each of its steps with numbers in the Datasets panel: opening, then parsing
 * and inserting chunks, then finishing. Phases are recorded as the panel shows them (a
 * MutationObserver), so the test checks their order, never their timing.
 */
import { expect, test } from './fixtures';
import { localFile, settled } from './helpers';

test('a CSV load reports its phases in order, with bytes and rows', async ({ page }) => {
	await page.goto('/notebooks/datasets');
	await settled(page);
	await page.getByTestId('dataset-panel').evaluate((panel) => {
		const seen: string[] = [];
		(window as unknown as { __phases: string[] }).__phases = seen;
		const record = () => {
			for (const load of panel.querySelectorAll('[data-testid=load-progress]')) {
				const phase = load.getAttribute('data-phase')!;
				const text = load.querySelector('.muted')?.textContent ?? '';
				if (seen.at(-1)?.split('|')[0] !== phase) seen.push(`${phase}|${text}`);
			}
		};
		new MutationObserver(record).observe(panel, { subtree: true, childList: true, attributes: true, characterData: true });
	});
	const rows = Array.from({ length: 300_000 }, (_, i) => `${i},${(i * 0.37) % 1000},group_${i % 17}`);
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles(localFile('progress.csv', ['id,value,grp', ...rows, ''].join('\n')));
	await expect(page.locator('[data-cell="dataset"]')).toHaveAttribute('data-status', 'done');
	const seen = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
	const phases = seen.map((s) => s.split('|')[0]);
	const first = (phase: string) => phases.indexOf(phase);
	expect(first('parsing'), JSON.stringify(seen)).toBeGreaterThanOrEqual(0);
	expect(first('inserting'), JSON.stringify(seen)).toBeGreaterThan(first('parsing'));
	expect(first('finishing'), JSON.stringify(seen)).toBeGreaterThan(first('inserting'));
	if (first('downloading') >= 0) expect(first('downloading')).toBeLessThan(first('parsing'));
	// Each phase names its numbers: bytes of the file and rows so far.
	expect(seen.find((s) => s.startsWith('inserting|'))).toMatch(/^inserting\|inserting rows · [\d.]+ (KB|MB) of [\d.]+ MB · [\d,]+ rows/);
	expect(seen.find((s) => s.startsWith('finishing|'))).toMatch(/· 300,000 rows/);

	// The load report says where its seconds went: the phases are parts of the load's own time.
	const seconds = page.locator('[data-cell="dataset"] [data-testid=load-seconds]');
	const parts = JSON.parse((await seconds.getAttribute('data-phases')) ?? 'null') as Record<string, number> | null;
	expect(parts).not.toBeNull();
	expect(Object.keys(parts!).sort()).toEqual(['finish_s', 'insert_s', 'loader_s', 'open_s', 'wait_s']);
	expect(Object.values(parts!).every((v) => v >= 0)).toBe(true);
	// The report rounds to hundredths; the phases are measured in milliseconds.
	expect(parts!.open_s + parts!.wait_s + parts!.insert_s + parts!.finish_s).toBeLessThanOrEqual(Number(await seconds.textContent()) + 0.01);
	await expect(seconds).toHaveAttribute('title', /^opening [\d.]+ s · waiting for the loader [\d.]+ s · inserting into DuckDB [\d.]+ s · finishing [\d.]+ s/);
});
