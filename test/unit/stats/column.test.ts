import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMissingString } from '#lib/stats/column.ts';

/** The rule as first written: lower-case the value and compare (the fast version must agree everywhere). */
function byLowerCase(s: string): boolean {
	if (s.length === 0) return true;
	if (s.length > 4) return false;
	const l = s.toLowerCase();
	return l === 'na' || l === 'nan' || l === 'null';
}

const SPELLINGS = ['na', 'nan', 'null'].flatMap((word) => {
	// every mix of upper and lower case of the word
	const out: string[] = [];
	for (let mask = 0; mask < 1 << word.length; mask++) out.push([...word].map((ch, i) => (mask & (1 << i) ? ch.toUpperCase() : ch)).join(''));
	return out;
});

describe('isMissingString', () => {
	it('is true for the empty string and every case of NA, NaN and null', () => {
		expect(isMissingString('')).toBe(true);
		for (const s of SPELLINGS) expect(isMissingString(s), s).toBe(true);
		for (const s of ['n', 'a', 'nana', 'nul', 'nulll', 'NA ', ' na', 'N/A', 'none', 'nil', 'c0_a', 'NaN0']) expect(isMissingString(s), s).toBe(false);
	});

	it('agrees with lower-casing for every code unit put at every position of every spelling', () => {
		const wrong: string[] = [];
		for (const word of SPELLINGS) {
			for (let at = 0; at < word.length; at++) {
				for (let u = 0; u <= 0xffff; u++) {
					const s = word.slice(0, at) + String.fromCharCode(u) + word.slice(at + 1);
					if (isMissingString(s) !== byLowerCase(s)) wrong.push(JSON.stringify(s));
				}
			}
		}
		expect(wrong).toEqual([]);
	});

	it('no code point other than the ASCII letters lower-cases to a, l, n or u', () => {
		const found: number[] = [];
		for (let cp = 0; cp <= 0x10ffff; cp++) {
			if (cp >= 0xd800 && cp <= 0xdfff) continue;
			const l = String.fromCodePoint(cp).toLowerCase();
			if (/^[alnu]+$/.test(l) && !/^[alnuALNU]$/.test(String.fromCodePoint(cp))) found.push(cp);
		}
		expect(found).toEqual([]);
	});

	it('agrees with lower-casing on short strings of mixed letters and other characters', () => {
		const unit = fc.constantFrom('n', 'N', 'a', 'A', 'u', 'U', 'l', 'L', ' ', '0', 'İ', 'ı', 'K', 'ſ', 'ǈ', '\u00e0', '\ud801', '\udc00');
		fc.assert(
			fc.property(fc.array(unit, { maxLength: 6 }), (units) => {
				const s = units.join('');
				expect(isMissingString(s)).toBe(byLowerCase(s));
			}),
			{ numRuns: 5000 }
		);
	});

	it('treats null, undefined and NaN as missing and other non-strings as present', () => {
		expect(isMissingString(null)).toBe(true);
		expect(isMissingString(undefined)).toBe(true);
		expect(isMissingString(NaN as unknown as string)).toBe(true);
		expect(isMissingString(0 as unknown as string)).toBe(false);
	});
});
