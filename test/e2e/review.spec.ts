/**
 * Review links end to end: the owner shares a notebook with a comment link, a reviewer without
 * an account opens it read-only, runs it after trusting it and comments on a cell; the owner
 * sees and resolves the comment; a read-only link cannot comment (no UI, and the server refuses);
 * a revoked link stops working.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const SOURCE = (title: string) => `---
title: ${title}
---

Churn numbers for this quarter.

\`\`\`js name=answer
return 6 * 7;
\`\`\`

\`\`\`js name=headline
return \`Answer: \${answer}\`;
\`\`\`
`;

async function savedVersion(request: APIRequestContext, baseURL: string, slug: string): Promise<number> {
	const response = await request.get(`${baseURL}/api/notebooks/${slug}`);
	expect(response.status()).toBe(200);
	return ((await response.json()) as { notebook: { version: number } }).notebook.version;
}

/** Creates a link in the owner's "Review link" panel and returns its full address. */
async function createLink(owner: Page, role: 'read' | 'comment', label: string): Promise<string> {
	await owner.getByTestId('review-role').selectOption(role);
	await owner.getByTestId('review-label').fill(label);
	await owner.getByTestId('review-create').click();
	await expect(owner.getByTestId('review-link').filter({ hasText: label })).toHaveAttribute('data-role', role);
	const url = await owner.getByTestId('review-url').inputValue();
	expect(url).toMatch(/\/notebooks\/[^/?]+\?review=dbr_/);
	return url;
}

test('review links: comment, resolve, read-only cannot comment, revoke', async ({ page: owner, browser, request, baseURL }) => {
	const title = `Review ${Date.now()}`;
	const created = await request.post(`${baseURL}/api/notebooks`, { data: { title, source: SOURCE(title) } });
	expect(created.status(), await created.text()).toBe(201);
	const { slug, version } = ((await created.json()) as { notebook: { slug: string; version: number } }).notebook;

	await owner.goto(`/notebooks/${slug}`);
	await owner.getByTestId('review-links-toggle').click();
	const commentUrl = await createLink(owner, 'comment', 'Ana');

	// The reviewer: a fresh browser context, no token of its own.
	const reviewerContext = await browser.newContext();
	const reviewer = await reviewerContext.newPage();
	await reviewer.goto(commentUrl);
	await expect(reviewer.getByTestId('review-banner')).toHaveAttribute('data-role', 'comment');
	await expect(reviewer.getByTestId('review-banner')).toContainText('read and comment');
	const cell = reviewer.locator('[data-cell="answer"]');
	const code = reviewer.locator('[data-cell="headline"]');
	// Code from a link waits for trust, as on /view.
	await expect(cell).toHaveAttribute('data-status', 'error');
	await expect(code).toHaveAttribute('data-status', 'error');
	await expect(cell.getByTestId('cell-error')).toContainText(/trust/i);
	await reviewer.getByRole('button', { name: 'Trust and run code cells' }).click();
	await expect(cell).toHaveAttribute('data-status', 'done');
	await expect(code).toHaveAttribute('data-status', 'done');
	await expect(code.locator('.output')).toContainText('Answer: 42');
	// Read-only: code shown but not editable, no cell actions, no save, no import; Ctrl+S does nothing.
	await expect(reviewer.locator('.cm-content').first()).toBeVisible();
	await expect(reviewer.locator('.cm-content[contenteditable=true]')).toHaveCount(0);
	await expect(reviewer.getByRole('button', { name: 'Save' })).toHaveCount(0);
	await expect(reviewer.getByRole('button', { name: 'Delete answer' })).toHaveCount(0);
	await expect(reviewer.getByTestId('review-links-toggle')).toHaveCount(0);
	await cell.focus();
	await reviewer.keyboard.press('Control+s');
	expect(await savedVersion(request, baseURL!, slug)).toBe(version);

	await cell.getByTestId('comment-toggle').click();
	await cell.getByTestId('comment-input').fill('Why 42? Please cite the source table.');
	await cell.getByTestId('comment-submit').click();
	const posted = cell.getByTestId('comment');
	await expect(posted).toContainText('Why 42? Please cite the source table.');
	await expect(posted).toContainText('Ana (review link)');
	// A reviewer cannot resolve or delete.
	await expect(posted.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
	await reviewer.screenshot({ path: test.info().outputPath('reviewer.png'), fullPage: true });

	// The owner comes back to their tab (which refetches the threads), sees the comment, resolves it.
	await owner.evaluate(() => window.dispatchEvent(new FocusEvent('focus')));
	const ownerCell = owner.locator('[data-cell="answer"]');
	await expect(ownerCell.getByTestId('comment-toggle')).toHaveAttribute('data-count', '1');
	await ownerCell.getByTestId('comment-toggle').click();
	await ownerCell.getByTestId('comment').getByRole('button', { name: 'Resolve' }).click();
	await expect(ownerCell.getByTestId('comment')).toHaveAttribute('data-resolved', 'true');
	const comments = (await (await request.get(`${baseURL}/api/notebooks/${slug}/comments`)).json()) as { comments: { resolved: boolean; author: string }[] };
	expect(comments.comments).toEqual([expect.objectContaining({ resolved: true, author: 'review:Ana' })]);

	// A read-only link: the thread can be read, not added to; the server refuses a direct POST.
	const readUrl = await createLink(owner, 'read', 'Board');
	await owner.screenshot({ path: test.info().outputPath('owner.png'), fullPage: true });
	const readerContext = await browser.newContext();
	const reader = await readerContext.newPage();
	await reader.goto(readUrl);
	await expect(reader.getByTestId('review-banner')).toHaveAttribute('data-role', 'read');
	const readerCell = reader.locator('[data-cell="answer"]');
	await readerCell.getByTestId('comment-toggle').click();
	await expect(readerCell.getByTestId('comment')).toHaveCount(1);
	await expect(readerCell.getByTestId('comment-input')).toHaveCount(0);
	const readToken = new URL(readUrl).searchParams.get('review')!;
	const refused = await request.post(`${baseURL}/api/notebooks/${slug}/comments`, {
		data: { cell: 'answer', body: 'sneaky' },
		headers: { authorization: `Bearer ${readToken}` }
	});
	expect(refused.status()).toBe(403);

	// Revoking the comment link: the reviewer's next visit is refused, and so is its token.
	await owner.getByTestId('review-link').filter({ hasText: 'Ana' }).getByTestId('review-revoke').click();
	await expect(owner.getByTestId('review-link').filter({ hasText: 'Ana' })).toHaveCount(0);
	await reviewer.reload();
	await expect(reviewer.getByText('This review link was revoked or has expired')).toBeVisible();
	const commentToken = new URL(commentUrl).searchParams.get('review')!;
	const revoked = await request.get(`${baseURL}/api/notebooks/${slug}`, { headers: { authorization: `Bearer ${commentToken}` } });
	expect(revoked.status()).toBe(401);

	await reviewerContext.close();
	await readerContext.close();
});
