/**
 * Streaming drift detectors with River's contract and defaults:
 * `update(x)` returns the detector, `driftDetected` is true only after the
 * update that detected a drift, `reset()`; DDM adds `warningDetected`.
 */

export type { DriftDetector, DriftAndWarningDetector } from './types';
export { ADWIN, ADWIN_DEFAULTS, type AdwinOptions } from './adwin';
export { PageHinkley, PAGE_HINKLEY_DEFAULTS, type PageHinkleyOptions, type PageHinkleyMode } from './page-hinkley';
export { KSWIN, KSWIN_DEFAULTS, KSWIN_MIN_STATISTIC, type KswinOptions } from './kswin';
export { DDM, DDM_DEFAULTS, type DdmOptions } from './ddm';
export { PythonRandom } from './python-random';
