/**
 * DDM (Drift Detection Method), ported from River's
 * `river.drift.binary.DDM` (river/drift/binary/ddm.py, River ≥ 0.15).
 *
 * Paper: J. Gama, P. Medas, G. Castillo and P. Rodrigues, "Learning with
 * Drift Detection", SBIA 2004 (LNCS 3171), pp. 286–295.
 *
 * Defaults (River's): warmStart = 30, warningThreshold = 2.0,
 * driftThreshold = 3.0.
 *
 * Input: a binary error stream — 1 / true for an error, 0 / false for a
 * correct prediction. Per observation, with p_i the running error rate
 * (River's stats.Mean) and s_i = sqrt(p_i·(1 − p_i)/i):
 *
 *   once i > warmStart:
 *     if p_i + s_i <= p_min + s_min: p_min, s_min = p_i, s_i
 *     warning = p_i + s_i > p_min + warningThreshold·s_min
 *     if p_i + s_i > p_min + driftThreshold·s_min: drift (and warning = false)
 *
 * As in River the warning flag is recomputed on every update after the warm
 * start, is false on the drifting update itself, and the detector resets
 * lazily on the update after a drift. A warm-up without any error gives
 * p_min = s_min = 0, so the first later error is a drift — DDM's known
 * behaviour, kept.
 */

import type { DriftAndWarningDetector } from './types';

export interface DdmOptions {
	/** Observations needed before detection starts (detection from the (warmStart+1)-th). Default 30. */
	warmStart?: number;
	/** Warning zone at p + s > p_min + warningThreshold·s_min. Default 2.0. */
	warningThreshold?: number;
	/** Drift at p + s > p_min + driftThreshold·s_min. Default 3.0. */
	driftThreshold?: number;
}

export const DDM_DEFAULTS: Readonly<Required<DdmOptions>> = Object.freeze({
	warmStart: 30,
	warningThreshold: 2.0,
	driftThreshold: 3.0
});

export class DDM implements DriftAndWarningDetector<boolean | number> {
	readonly warmStart: number;
	readonly warningThreshold: number;
	readonly driftThreshold: number;

	private _driftDetected = false;
	private _warningDetected = false;
	private n = 0;
	private p = 0.0;
	private pMin = NaN;
	private sMin = NaN;
	private psMin = Infinity;

	constructor(options: DdmOptions = {}) {
		const o = { ...DDM_DEFAULTS, ...options };
		if (!Number.isFinite(o.warmStart) || o.warmStart < 0) throw new RangeError('DDM: warmStart must be >= 0');
		if (!Number.isFinite(o.warningThreshold) || !Number.isFinite(o.driftThreshold)) {
			throw new RangeError('DDM: thresholds must be finite');
		}
		this.warmStart = o.warmStart;
		this.warningThreshold = o.warningThreshold;
		this.driftThreshold = o.driftThreshold;
	}

	get driftDetected(): boolean {
		return this._driftDetected;
	}

	get warningDetected(): boolean {
		return this._warningDetected;
	}

	/** Running error rate p_i since the last reset. */
	get errorRate(): number {
		return this.p;
	}

	/** Observations since the last reset. */
	get count(): number {
		return this.n;
	}

	update(x: boolean | number): this {
		const v = typeof x === 'boolean' ? (x ? 1 : 0) : x;
		if (v !== 0 && v !== 1) throw new RangeError(`DDM: input must be 0/1 or a boolean, got ${x}`);
		if (this._driftDetected) this.reset();

		this.n += 1;
		this.p += (1.0 / this.n) * (v - this.p);
		const p = this.p;
		const s = Math.sqrt((p * (1 - p)) / this.n);

		if (this.n > this.warmStart) {
			if (p + s <= this.psMin) {
				this.pMin = p;
				this.sMin = s;
				this.psMin = this.pMin + this.sMin;
			}
			this._warningDetected = p + s > this.pMin + this.warningThreshold * this.sMin;
			if (p + s > this.pMin + this.driftThreshold * this.sMin) {
				this._driftDetected = true;
				this._warningDetected = false;
			}
		}
		return this;
	}

	reset(): void {
		this._driftDetected = false;
		this._warningDetected = false;
		this.n = 0;
		this.p = 0.0;
		this.pMin = NaN;
		this.sMin = NaN;
		this.psMin = Infinity;
	}
}
