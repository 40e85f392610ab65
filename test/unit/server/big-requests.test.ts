import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type MlflowHarness } from './mlflow/helpers';
import { targets } from './targets';

describe('big malformed requests', () => {
	let h: MlflowHarness;
	beforeAll(async () => {
		h = await openHarness(targets[0]);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('refuses a 10 MB malformed JSON body (with a bare NaN) with a 400 naming the JSON error', { timeout: 120_000 }, async () => {
		// ~9 MB of numbers after a bare NaN, never closed: the tolerant second pass has to scan it all.
		const text = `{"metrics": [NaN, ${'1, '.repeat(3_000_000)}`;
		expect(text.length).toBeLessThan(10 * 1024 * 1024);
		const res = await h.app.request('/api/2.0/mlflow/runs/log-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
		expect(res.status).toBe(400);
		expect((await res.json()).message).toMatch(/not valid JSON/);
	});
});
