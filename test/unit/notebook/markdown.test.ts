import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '#lib/notebook/markdown.ts';

describe('renderMarkdown', () => {
	it('renders headings, paragraphs, lists, emphasis, code and links', () => {
		expect(renderMarkdown('# Title\n\nA **bold** and *it* `x<y`.\n\n- one\n- two\n\n1. first\n\n[docs](/docs)')).toBe(
			[
				'<h1>Title</h1>',
				'<p>A <strong>bold</strong> and <em>it</em> <code>x&lt;y</code>.</p>',
				'<ul><li>one</li><li>two</li></ul>',
				'<ol><li>first</li></ol>',
				'<p><a href="/docs" rel="noopener noreferrer">docs</a></p>'
			].join('\n')
		);
	});

	it.each([
		'<script>alert(1)</script>',
		'<img src=x onerror=alert(1)>',
		'[x](javascript:alert(1))',
		'[x](" onmouseover="alert(1))',
		'<a href="javascript:alert(1)">x</a>'
	])('never emits markup from %j', (payload) => {
		const html = renderMarkdown(payload);
		expect(html).not.toMatch(/<(script|img|a href="javascript)/i);
		expect(html).not.toMatch(/<[^>]*\son\w+=/i);
	});
});
