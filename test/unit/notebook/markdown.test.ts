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

	it('renders GFM tables and strikethrough', () => {
		const html = renderMarkdown('| metric | value |\n| --- | ---: |\n| p | ~~0.2~~ 0.03 |');
		expect(html).toContain('<table>');
		expect(html).toContain('<th>metric</th>');
		expect(html).toContain('<td style="text-align:right"><s>0.2</s> 0.03</td>');
	});

	it('highlights fenced code in known languages and escapes it', () => {
		const html = renderMarkdown('```sql\nSELECT 1 WHERE a < b\n```');
		expect(html).toMatch(/^<pre><code class="language-sql">/);
		expect(html).toContain('<span class="hljs-keyword">SELECT</span>');
		expect(html).toContain('&lt;');
		expect(renderMarkdown('```\n<b>x</b>\n```')).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>');
	});

	it('renders task lists as disabled checkboxes', () => {
		expect(renderMarkdown('- [x] load\n- [ ] review')).toBe(
			'<ul><li class="task-item"><input type="checkbox" class="task" disabled checked> load</li><li class="task-item"><input type="checkbox" class="task" disabled> review</li></ul>'
		);
	});

	it('renders images with safe addresses only', () => {
		expect(renderMarkdown('![churn](/samples/churn.png "Churn")')).toBe('<p><img src="/samples/churn.png" alt="churn" title="Churn"></p>');
		expect(renderMarkdown('![x](javascript:alert(1))')).not.toContain('<img');
		expect(renderMarkdown('![x](data:image/svg+xml,<svg onload=alert(1)>)')).not.toContain('<img');
	});

	it('renders inline and display math with KaTeX', () => {
		const inline = renderMarkdown('Effect $\\delta = \\mu_1 - \\mu_0$ here.');
		expect(inline).toContain('class="katex"');
		expect(inline).toContain('<annotation encoding="application/x-tex">\\delta = \\mu_1 - \\mu_0</annotation>');
		expect(renderMarkdown('$$\n\\frac{a}{b}\n$$')).toContain('katex-display');
		// Bad TeX is shown as an error, never thrown or turned into markup.
		expect(renderMarkdown('$\\frac{<script>$')).not.toMatch(/<script/i);
	});

	it('keeps raw HTML as text', () => {
		expect(renderMarkdown('<div onclick="x()">hi</div>')).toBe('<p>&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;</p>');
		expect(renderMarkdown('a <span style="color:red">b</span>')).toBe('<p>a &lt;span style=&quot;color:red&quot;&gt;b&lt;/span&gt;</p>');
	});
});
