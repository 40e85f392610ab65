/**
 * The digits demo page: a digit drawn with the mouse is classified in the page's inference
 * worker; the probabilities equal onnxruntime-node's on the 8 × 8 pixels the page shows, and
 * the page makes no request to the server's API.
 */
import * as ort from 'onnxruntime-node';
import { expect, test } from './fixtures';

test('the digits demo classifies a drawing in the browser, with no API call @backend', async ({ page, requested }, testInfo) => {
	await page.goto('/demo/digits');
	const backend = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
	await expect(page.getByTestId('model-backend')).toHaveAttribute('data-backend', backend);
	if (backend === 'wasm') await expect(page.getByTestId('model-fallback')).toContainText('WebGPU');

	// A "7": a stroke across the top, then down to the bottom left.
	const box = (await page.getByTestId('digit-canvas').boundingBox())!;
	const at = (x: number, y: number) => [box.x + (x / 8) * box.width, box.y + (y / 8) * box.height] as const;
	await page.mouse.move(...at(1.5, 1.5));
	await page.mouse.down();
	for (const [x, y] of [
		[4, 1.5],
		[6.5, 1.5],
		[5.5, 3.5],
		[4.5, 5],
		[3.5, 7]
	])
		await page.mouse.move(...at(x, y), { steps: 8 });
	await page.mouse.up();

	const prediction = page.getByTestId('digit-prediction');
	await expect(prediction).toHaveAttribute('data-busy', 'false');
	const pixels = JSON.parse((await page.getByTestId('digit-pixels').getAttribute('data-pixels'))!) as number[];
	expect(pixels).toHaveLength(64);
	expect(pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
	expect(pixels.filter((v) => v > 0).length).toBeGreaterThan(6);

	const shown = await prediction.locator('[data-probability]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-probability'))));
	const session = await ort.InferenceSession.create('static/models/digits_mlp.onnx');
	const out = await session.run({ pixels: new ort.Tensor('float32', Float32Array.from(pixels), [1, 64]) });
	await session.release();
	const expected = Array.from(out.probabilities.data as Float32Array);
	expect(Math.max(...shown.map((p, i) => Math.abs(p - expected[i])))).toBeLessThan(1e-5);
	await expect(prediction).toHaveAttribute('data-digit', String(expected.indexOf(Math.max(...expected))));

	await page.getByRole('button', { name: 'Clear' }).click();
	await expect(prediction).toHaveCount(0);
	expect(requested.filter((url) => new URL(url).pathname.startsWith('/api/'))).toEqual([]);
	expect(requested.some((url) => url.endsWith('/models/digits_mlp.onnx'))).toBe(true);
});
