import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotebookFormatError, parseFields, parseNotebook, printNotebook, type NotebookSpec } from '#lib/notebook/format.ts';

describe('notebook format', () => {
	it('parses front matter, prose and fenced cells with options', () => {
		const nb = parseNotebook(
			[
				'---',
				'title: Demo',
				'owner: ana',
				'---',
				'# Heading',
				'',
				'Some prose.',
				'',
				'```sql name=weekly hidden=true label="two words"',
				'SELECT 1',
				'```',
				''
			].join('\n')
		);
		expect(nb.title).toBe('Demo');
		expect(nb.meta).toEqual({ owner: 'ana' });
		expect(nb.cells).toEqual([
			{ kind: 'markdown', name: 'md1', attrs: {}, source: '# Heading\n\nSome prose.' },
			{ kind: 'sql', name: 'weekly', attrs: { hidden: 'true', label: 'two words' }, source: 'SELECT 1' }
		]);
	});

	it('takes the title from the first heading when there is no front matter', () => {
		expect(parseNotebook('Intro\n\n# The title\n').title).toBe('The title');
	});

	it('keeps a cell of an unknown kind, with its options and text, through a round trip', () => {
		const text = '---\ntitle: Future\n---\n\n```hologram name=h depth=3\nstuff: 1\n```\n';
		const spec = parseNotebook(text);
		expect(spec.cells).toEqual([{ kind: 'hologram', name: 'h', attrs: { depth: '3' }, source: 'stuff: 1' }]);
		expect(parseNotebook(printNotebook(spec))).toEqual(spec);
	});

	it.each([
		['```sql\nSELECT 1\n```', /line 1: sql cell needs a name/],
		['text\n```sql name=a\nSELECT 1\n', /line 2: sql cell opened here is never closed/],
		['```sql name=a oops\n```', /line 1: cannot read fence option "oops"/],
		['---\ntitle: x\n', /front matter opened with --- is never closed/],
		['Intro\n\n```sql name=1st\nSELECT 1\n```', /line 3: cell name "1st" is not valid/],
		['```js name="a b"\n1\n```', /line 1: cell name "a b" is not valid/],
		['```sql name=a name=b\nSELECT 1\n```', /line 1: fence option "name" is given twice/],
		[
			'```sql name=a\nSELECT 1\n\n```sql name=b\nSELECT 2\n```',
			/line 4: a sql cell starts inside the sql cell opened on line 1: is that cell's closing ``` missing\?/
		]
	])('reports %j with its line', (text, message) => {
		expect(() => parseNotebook(text)).toThrow(NotebookFormatError);
		expect(() => parseNotebook(text)).toThrow(message);
	});

	const cases: NotebookSpec[] = [
		{ title: 'Empty', meta: {}, cells: [] },
		{
			title: 'Fences inside',
			meta: { owner: 'x' },
			cells: [
				{ kind: 'markdown', name: 'md1', attrs: {}, source: 'Code:\n```js\n1\n```' },
				{ kind: 'markdown', name: 'notes', attrs: {}, source: 'named prose' },
				{ kind: 'future-kind', name: 'kept', attrs: { a: 'b c', q: '"' }, source: 'anything\n````\nnested' },
				{ kind: 'sql', name: 'empty', attrs: {}, source: '' },
				{ kind: 'markdown', name: 'md4', attrs: {}, source: '---\nrule above' }
			]
		}
	];
	it.each(cases)('round-trips $title losslessly', (nb) => {
		const text = printNotebook(nb);
		expect(parseNotebook(text)).toEqual(nb);
		expect(printNotebook(parseNotebook(text))).toBe(text);
	});

	it('round-trips every bundled notebook byte for byte', () => {
		for (const file of readdirSync('notebooks').filter((f) => f.endsWith('.driftbook.md'))) {
			const text = readFileSync(`notebooks/${file}`, 'utf8');
			expect(printNotebook(parseNotebook(text)), file).toBe(text);
		}
	});

	it('reads declarative fields and names the cell and line on bad input', () => {
		expect(parseFields('a: 1\n# comment\n\nb:  x, y ', 'c')).toEqual({ a: '1', b: 'x, y' });
		expect(() => parseFields('a: 1\nnot a field', 'drift')).toThrow('cell drift, line 2: expected "key: value", got "not a field"');
	});
});

describe('notebook format round-trip (property)', () => {
	const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
	const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '`', '-', '#', '"', '=', 'é', '{', '}'), maxLength: 60 });
	const cell = fc.record({
		kind: fc.constantFrom('markdown', 'markdown', 'sql', 'js', 'chart', 'drift', 'model', 'input', 'data', 'future-kind'),
		name,
		attrs: fc.dictionary(
			fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((k) => k !== 'name'),
			fc.string({ maxLength: 12 }).filter((v) => !/[\n\\]/.test(v)),
			{ maxKeys: 3 }
		),
		source: text
	});
	it('parse(print(notebook)) is the notebook, for any cells', () => {
		fc.assert(
			fc.property(fc.uniqueArray(cell, { selector: (c) => c.name, maxLength: 6 }), fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}$/), (cells, title) => {
				const nb: NotebookSpec = { title, meta: {}, cells };
				expect(parseNotebook(printNotebook(nb))).toEqual(nb);
			}),
			{ numRuns: 300 }
		);
	});
});
