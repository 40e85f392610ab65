/**
 * River's drift detector contract (river.base.DriftDetector, River ≥ 0.15):
 *
 * - `update(x)` feeds one observation and returns the detector;
 * - `driftDetected` is true only right after the update that detected a
 *   drift. River resets the detector lazily: the *next* `update` starts from a
 *   fresh state (the reset is the first thing `update` does), so the detector
 *   can be inspected between the detection and the next observation;
 * - `reset()` returns the detector to its freshly constructed state (River's
 *   private `_reset`);
 * - detectors with a warning zone (DDM) also expose `warningDetected`.
 */
export interface DriftDetector<X = number> {
	update(x: X): this;
	readonly driftDetected: boolean;
	reset(): void;
}

export interface DriftAndWarningDetector<X = number> extends DriftDetector<X> {
	readonly warningDetected: boolean;
}

/** Throws unless x is a finite number (River does not check; NaN would poison the state silently). */
export function assertFinite(x: number, who: string): void {
	if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${who}: input must be a finite number, got ${x}`);
}
