import { describe, expect, it } from 'vitest';
import { generate, loadFixture, type GenSpec } from './fixtures';

const { cases } = loadFixture<{ cases: { gen: GenSpec; values: (number | string | null)[] }[] }>('generator.json');

describe('fixture sample generator', () => {
	it('reproduces the Python generator bit for bit', () => {
		for (const c of cases) expect(generate(c.gen)).toEqual(c.values);
	});
});
