/**
 * Notebook prose: CommonMark + GFM (tables, strikethrough, task lists), fenced code with
 * highlighting, images, links and KaTeX math (`$…$`, `$$…$$`), through markdown-it with raw
 * HTML disabled, so a shared notebook's markdown can never inject markup: HTML in the source
 * stays text, and links and images take only http(s), relative and fragment addresses.
 */
import MarkdownIt from 'markdown-it';
import katexPlugin from '@vscode/markdown-it-katex';
import hljs from 'highlight.js/lib/core';
import sqlLanguage from 'highlight.js/lib/languages/sql';
import javascriptLanguage from 'highlight.js/lib/languages/javascript';
import pythonLanguage from 'highlight.js/lib/languages/python';
import jsonLanguage from 'highlight.js/lib/languages/json';
import bashLanguage from 'highlight.js/lib/languages/bash';
import yamlLanguage from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('sql', sqlLanguage);
hljs.registerLanguage('javascript', javascriptLanguage);
hljs.registerLanguage('python', pythonLanguage);
hljs.registerLanguage('json', jsonLanguage);
hljs.registerLanguage('bash', bashLanguage);
hljs.registerLanguage('yaml', yamlLanguage);

const md = new MarkdownIt({
	html: false,
	linkify: false,
	highlight: (code, language) => {
		if (!language || !hljs.getLanguage(language)) return '';
		return hljs.highlight(code, { language, ignoreIllegals: true }).value;
	}
});
// Relative addresses and http(s) or mailto only: no javascript:, data: or vbscript: targets.
md.validateLink = (url) => {
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
	return !scheme || /^(https?|mailto)$/i.test(scheme[1]);
};
// A CommonJS module: bundlers hand over either its function or its exports object.
const katex = (katexPlugin as unknown as { default?: typeof katexPlugin }).default ?? katexPlugin;
md.use(katex, { throwOnError: false });

// Links open without handing this page to the target.
md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
	tokens[index].attrSet('rel', 'noopener noreferrer');
	return self.renderToken(tokens, index, options);
};

/** GFM task lists: an item starting `[ ]` or `[x]` gets a disabled checkbox. */
md.core.ruler.after('inline', 'task_lists', (state) => {
	const tokens = state.tokens;
	for (let i = 2; i < tokens.length; i++) {
		const inline = tokens[i];
		if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
		const first = inline.children?.[0];
		const match = first?.type === 'text' ? /^\[([ xX])\]\s/.exec(first.content) : null;
		if (!first || !match) continue;
		first.content = first.content.slice(match[0].length);
		const box = new state.Token('html_inline', '', 0);
		box.content = `<input type="checkbox" class="task" disabled${match[1] === ' ' ? '' : ' checked'}> `;
		inline.children!.unshift(box);
		tokens[i - 2].attrJoin('class', 'task-item');
	}
});

// Lists print on one line each, as notebook prose always has (`<ul><li>a</li><li>b</li></ul>`).
const COMPACT = /\n(?=<\/?li[\s>]|<\/(?:ul|ol)>)|(?<=<(?:ul|ol)(?: [^>]*)?>)\n/g;

export function renderMarkdown(source: string): string {
	return md.render(source).replace(COMPACT, '').trim();
}
