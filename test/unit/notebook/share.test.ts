import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeShareFragment, encodeShareFragment, MAX_FRAGMENT_CHARS } from '#lib/notebook/share.ts';

describe('share links', () => {
	it('round-trips any text, compressed into a URL-safe fragment', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2000 }), async (text) => {
				const fragment = await encodeShareFragment(text);
				expect(fragment).toMatch(/^nb=[A-Za-z0-9_-]*$/);
				expect(await decodeShareFragment(`#${fragment}`)).toBe(text);
			}),
			{ numRuns: 200 }
		);
	});

	it('compresses repetitive notebooks well', async () => {
		const text = '```sql name=a\nSELECT * FROM events WHERE week > 3\n```\n\n'.repeat(200);
		expect((await encodeShareFragment(text)).length).toBeLessThan(text.length / 20);
	});

	it('refuses notebooks too large for a link and explains', async () => {
		let seed = 12345;
		const random = () => {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			return (seed >>> 0) / 2 ** 32;
		};
		const noise = Array.from({ length: 80_000 }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join('');
		await expect(encodeShareFragment(noise)).rejects.toThrow(`the limit is ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')}`);
	});

	it('reports damaged links clearly', async () => {
		await expect(decodeShareFragment('#nb=$$$')).rejects.toThrow('the share link is damaged');
		await expect(decodeShareFragment('#nb=AAAA')).rejects.toThrow('the share link is damaged or incomplete');
		await expect(decodeShareFragment('#x=1')).rejects.toThrow('this link holds no notebook');
	});
});
