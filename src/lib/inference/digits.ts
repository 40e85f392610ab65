/**
 * A drawing as the digits model's input: scikit-learn's digits are 8 × 8 images whose pixels
 * count, from 0 to 16, how much of a 4 × 4 block of the scanned 32 × 32 bitmap is ink. A canvas
 * drawing is reduced the same way: each of the 8 × 8 blocks averages its ink (alpha) and is
 * scaled to 0–16 and rounded, as in the training data.
 */
export const DIGIT_SIDE = 8;
export const DIGIT_MAX = 16;

/** `alpha`: one ink value 0–255 per pixel of a square `side × side` drawing, row-major. */
export function drawingToPixels(alpha: ArrayLike<number>, side: number): Float32Array {
	if (alpha.length !== side * side) throw new Error(`expected ${side * side} pixels, got ${alpha.length}`);
	if (side % DIGIT_SIDE !== 0) throw new Error(`the drawing's side (${side}) must be a multiple of ${DIGIT_SIDE}`);
	const block = side / DIGIT_SIDE;
	const out = new Float32Array(DIGIT_SIDE * DIGIT_SIDE);
	for (let by = 0; by < DIGIT_SIDE; by++) {
		for (let bx = 0; bx < DIGIT_SIDE; bx++) {
			let sum = 0;
			for (let y = by * block; y < (by + 1) * block; y++) {
				for (let x = bx * block; x < (bx + 1) * block; x++) sum += alpha[y * side + x];
			}
			out[by * DIGIT_SIDE + bx] = Math.round((sum / (block * block * 255)) * DIGIT_MAX);
		}
	}
	return out;
}
