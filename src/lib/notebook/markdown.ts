/**
 * A small Markdown renderer for notebook prose. Everything is HTML-escaped first and only a
 * fixed set of tags is produced, so a shared notebook's markdown can never inject markup.
 */

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function safeHref(url: string): string | undefined {
	return /^(https?:\/\/|\/|#|\.{0,2}\/)/i.test(url) ? url : undefined;
}

function inline(text: string): string {
	const codes: string[] = [];
	let out = escapeHtml(text).replace(/`([^`]+)`/g, (_, code: string) => {
		codes.push(`<code>${code}</code>`);
		return `\u0000${codes.length - 1}\u0000`;
	});
	out = out
		.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
		.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
		.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
			const href = safeHref(url.replace(/&amp;/g, '&'));
			return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : whole;
		});
	// eslint-disable-next-line no-control-regex -- the NUL characters bracket the code-span placeholders made above; matching them is the point
	return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]);
}

export function renderMarkdown(source: string): string {
	const html: string[] = [];
	let paragraph: string[] = [];
	let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
	const flush = () => {
		if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
		paragraph = [];
		if (list) html.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
		list = undefined;
	};
	for (const line of source.split('\n')) {
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
		const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
		if (heading) {
			flush();
			const level = heading[1].length;
			html.push(`<h${level}>${inline(heading[2])}</h${level}>`);
		} else if (bullet || numbered) {
			const tag = bullet ? 'ul' : 'ol';
			if (paragraph.length || (list && list.tag !== tag)) flush();
			list ??= { tag, items: [] };
			list.items.push((bullet ?? numbered)![1]);
		} else if (line.trim() === '') {
			flush();
		} else if (list && /^\s+/.test(line)) {
			list.items[list.items.length - 1] += ' ' + line.trim();
		} else {
			if (list) flush();
			paragraph.push(line.trim());
		}
	}
	flush();
	return html.join('\n');
}
