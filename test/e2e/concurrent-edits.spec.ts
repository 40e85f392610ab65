import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';

// Two people (two browser contexts, so two separate IndexedDB drafts) edit the same notebook.
// The second save is refused as a conflict with both texts shown; nothing is overwritten silently.

const notes = (text: string) => `\`\`\`markdown name=notes\n${text}\n\`\`\``;
const plan = (text: string) => `\`\`\`markdown name=plan\n${text}\n\`\`\``;
const SOURCE = `---\ntitle: Shared review\n---\n\n${notes('First notes.')}\n\n${plan('The plan.')}\n`;

async function open(browser: Browser, baseURL: string, slug: string): Promise<Page> {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await page.goto(`/notebooks/${slug}`);
	await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
	return page;
}

/** Opens a markdown cell's editor and replaces its text (typed, not yet run: still part of the notebook). */
async function type(page: Page, cell: string, text: string) {
	const editor = page.locator(`[data-cell="${cell}"] .cm-content`);
	if (!(await editor.isVisible())) await page.getByRole('button', { name: `Edit ${cell}` }).click();
	await editor.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.insertText(text);
}

async function serverSource(page: Page, slug: string): Promise<{ version: number; source: string }> {
	const response = await page.request.get(`/api/notebooks/${slug}`);
	return ((await response.json()) as { notebook: { version: number; source: string } }).notebook;
}

test('a second save over a newer version shows the conflict; each choice keeps everyone’s text', async ({ browser, baseURL, request }) => {
	const created = await request.post('/api/notebooks', { data: { source: SOURCE } });
	const { notebook } = (await created.json()) as { notebook: { slug: string; version: number } };
	const slug = notebook.slug;
	const alice = await open(browser, baseURL!, slug);
	const bob = await open(browser, baseURL!, slug);
	await expect(alice.getByTestId('save-state')).toHaveText(`Saved v${notebook.version}`);

	// Alice saves first with the keyboard shortcut.
	await type(alice, 'notes', 'Alice was here.');
	await expect(alice.getByTestId('save-state')).toHaveAttribute('data-state', 'unsaved');
	await alice.keyboard.press('ControlOrMeta+s');
	await expect(alice.getByTestId('save-state')).toHaveText(`Saved v${notebook.version + 1}`);
	expect((await serverSource(alice, slug)).source).toContain('Alice was here.');

	// Bob, still on the first version, changes the same cell and another, and saves: a conflict.
	await type(bob, 'notes', 'Bob disagrees.');
	await type(bob, 'plan', 'Bob’s plan.');
	await bob.getByRole('button', { name: 'Save', exact: true }).click();
	const panel = bob.getByTestId('save-conflict');
	await expect(panel).toBeVisible();
	await expect(bob.getByTestId('save-state')).toHaveAttribute('data-state', 'conflict');
	await expect(panel.getByTestId('conflict-their-version')).toHaveText(String(notebook.version + 1));
	const changed = panel.locator('[data-testid=conflict-cell]');
	await expect(changed).toHaveCount(2);
	const bobNotes = panel.locator('[data-cell-name="notes"]');
	await expect(bobNotes).toHaveAttribute('data-change', 'changed');
	await expect(bobNotes.getByTestId('conflict-theirs')).toHaveText('Alice was here.');
	await expect(bobNotes.getByTestId('conflict-mine')).toHaveText('Bob disagrees.');
	// Nothing of Alice's was overwritten.
	expect(await serverSource(bob, slug)).toMatchObject({ version: notebook.version + 1 });
	expect((await serverSource(bob, slug)).source).toContain('Alice was here.');
	await bob.screenshot({ path: test.info().outputPath('conflict.png'), fullPage: true });

	// Typed and saved at once (inside the autosave delay), refused again: that text is kept too.
	await type(bob, 'plan', 'Bob’s plan. Revised.');
	await bob.keyboard.press('ControlOrMeta+s');
	await expect(bob.getByTestId('save-state')).toHaveAttribute('data-state', 'conflict');

	// Bob's text survives a reload (drafts in this browser); the draft still saves as a conflict.
	await bob.reload();
	await expect(bob.getByTestId('draft-restored')).toBeVisible();
	await expect(bob.locator('[data-cell="notes"]')).toContainText('Bob disagrees.');
	await expect(bob.locator('[data-cell="plan"]')).toContainText('Bob’s plan. Revised.');
	await bob.keyboard.press('ControlOrMeta+s');
	await expect(bob.getByTestId('save-conflict')).toBeVisible();

	// Choice 1: save mine as a new notebook. Bob lands on the copy; the original keeps Alice's text.
	await bob.getByRole('button', { name: 'Save mine as a new notebook' }).click();
	await expect(bob).not.toHaveURL(new RegExp(`/notebooks/${slug}$`));
	const copySlug = new URL(bob.url()).pathname.split('/').pop()!;
	expect((await serverSource(bob, copySlug)).source).toContain('Bob disagrees.');
	expect((await serverSource(bob, copySlug)).source).toContain('Bob’s plan.');
	expect((await serverSource(bob, slug)).source).toContain('Alice was here.');

	// Choice 2: Alice, unaware, edits again on version 2 while Bob overwrites explicitly.
	await bob.goto(`/notebooks/${slug}`);
	await expect(bob.getByTestId('save-state')).toHaveText(`Saved v${notebook.version + 1}`);
	await type(alice, 'plan', 'Alice’s plan.');
	await alice.keyboard.press('ControlOrMeta+s');
	await expect(alice.getByTestId('save-state')).toHaveText(`Saved v${notebook.version + 2}`);
	await type(bob, 'plan', 'Bob insists.');
	await bob.keyboard.press('ControlOrMeta+s');
	await expect(bob.getByTestId('save-conflict')).toBeVisible();
	await bob.getByRole('button', { name: `Overwrite with mine as version ${notebook.version + 3}` }).click();
	await expect(bob.getByTestId('save-state')).toHaveText(`Saved v${notebook.version + 3}`);
	expect((await serverSource(bob, slug)).source).toContain('Bob insists.');
	// Alice's version stays in the history.
	const versions = await (await request.get(`/api/notebooks/${slug}/versions`)).json();
	expect(versions.versions.map((v: { version: number }) => v.version)).toContain(notebook.version + 2);

	// Choice 3: Alice saves on the old version, sees the conflict, and loads theirs.
	await type(alice, 'notes', 'Alice again.');
	await alice.keyboard.press('ControlOrMeta+s');
	await expect(alice.getByTestId('save-conflict')).toBeVisible();
	await alice.getByRole('button', { name: /Load theirs/ }).click();
	await expect(alice.getByTestId('save-conflict')).toBeHidden();
	await expect(alice.getByTestId('save-state')).toHaveText(`Saved v${notebook.version + 3}`);
	await expect(alice.locator('[data-cell="plan"]')).toContainText('Bob insists.');
	// …and Undo brings her own text back.
	await alice.locator('[data-testid=notebook-title]').click();
	await alice.getByRole('button', { name: 'Undo' }).click();
	await expect(alice.locator('[data-cell="notes"]')).toContainText('Alice again.');
});
