import { describe, expect, it } from 'vitest';
import { PythonRandom } from '#lib/stats/detectors/index.ts';
import { loadFixture } from '../fixtures';

interface Case {
	seed: number;
	random: number[];
	getrandbits: [number, number][];
	randbelow: [number, number][];
	samples: { n: number; k: number; result: number[] }[];
	after2000: number[];
}

const { python, cases } = loadFixture<{ python: string; cases: Case[] }>('detectors/python_random.json');

// The fixture replays each seed's calls in the order the generator made them.
describe(`PythonRandom vs CPython ${python} random.Random`, () => {
	for (const c of cases) {
		it(`seed ${c.seed}`, () => {
			const r = new PythonRandom(c.seed);
			expect(c.random.map(() => r.random())).toEqual(c.random);
			for (const [k, v] of c.getrandbits) expect(r.getrandbits(k)).toBe(v);
			for (const [n, v] of c.randbelow) expect(r.randbelow(n)).toBe(v);
			for (const s of c.samples) expect(r.sampleRange(s.n, s.k)).toEqual(s.result);
			const tail: number[] = [];
			for (let i = 0; i < 2000; i++) tail.push(r.getrandbits(32));
			expect(tail.slice(-3)).toEqual(c.after2000);
		});
	}

	it('reseeding restarts the sequence', () => {
		const r = new PythonRandom(7);
		const a = r.sampleRange(70, 30);
		r.seed(7);
		expect(r.sampleRange(70, 30)).toEqual(a);
	});

	it('rejects what CPython would reject (or we do not support)', () => {
		expect(() => new PythonRandom(1.5)).toThrow(RangeError);
		expect(() => new PythonRandom(2 ** 53)).toThrow(RangeError);
		const r = new PythonRandom(1);
		expect(() => r.sampleRange(5, 6)).toThrow(/Sample larger than population/);
		expect(() => r.randbelow(0)).toThrow(RangeError);
		expect(() => r.getrandbits(33)).toThrow(RangeError);
	});
});
