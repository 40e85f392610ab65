import { afterAll, describe, expect, it } from 'vitest';
import { startStatsPeer } from '#cli/threads/stats-peer.ts';
import { loadFixture } from './fixtures';
import { exactJson, goldenCases } from './golden-cases';

const golden = loadFixture<Record<string, unknown>>('drift-golden.json');

const thread = startStatsPeer();
afterAll(() => thread.close());

describe('drift results stay bit-identical to those recorded before the faster statistics', () => {
	for (const [label, cases] of [
		['one thread', goldenCases()],
		['a share of the columns on a worker thread', goldenCases(thread.peer)]
	] as const) {
		for (const [name, run] of Object.entries(cases)) {
			it(`${name} (${label})`, async () => {
				// exactJson writes every number so that it reads back to the same bits, -0 apart from 0
				expect(JSON.parse(exactJson(await run()))).toStrictEqual(JSON.parse(exactJson(golden[name])));
			});
		}
	}
	it('ran the worker thread (one that fails to load leaves its columns to the main thread)', () => {
		expect(thread.failure()).toBeUndefined();
	});
});
