import { describe, expect, it } from 'vitest';
import { loadFixture } from './fixtures';
import { exactJson, goldenCases } from './golden-cases';

const golden = loadFixture<Record<string, unknown>>('drift-golden.json');

describe('drift results stay bit-identical to those recorded before the faster statistics', () => {
	for (const [name, run] of Object.entries(goldenCases())) {
		it(name, async () => {
			// exactJson writes every number so that it reads back to the same bits, -0 apart from 0
			expect(JSON.parse(exactJson(await run()))).toStrictEqual(JSON.parse(exactJson(golden[name])));
		});
	}
});
