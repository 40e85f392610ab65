#!/usr/bin/python3
"""NumPy/scikit-learn side of test/bench/cbpe-pca.bench.ts: CBPE and PCA data reconstruction,
the algorithms of NannyML 0.13.1 that src/lib/stats/performance and src/lib/stats/multivariate
port, written directly on NumPy and scikit-learn (no pandas, no NannyML), on the same files.

    /usr/bin/python3 scripts/bench/cbpe_pca.py DIR [REPEAT]

DIR holds meta.json ({"rows": {"reference": n, "analysis": m}, "features": [...]}),
{ref,ana}_features.f64 (float64, column-major, NaN missing) and {ref,ana}_{proba,pred,true}.f64.

- CBPE, binary classification, metrics roc_auc, f1, precision, recall, accuracy, 10 chunks:
  sampling-error components and 3-sigma thresholds of the realized metric from the reference,
  needs_calibration (roc_auc_score, StratifiedShuffleSplit(10, 0.1, seed 42), IsotonicRegression,
  expected calibration error over 10 equal-count bins), isotonic calibration when needed, then the
  estimate and sampling error of every chunk of both data sets.
- PCA reconstruction: SimpleImputer(mean), StandardScaler, PCA(n_components=0.65,
  random_state=16) fitted on the reference; per chunk of both data sets the mean Euclidean
  distance of the rows to their reconstruction and its standard error; 3-sigma thresholds.

Loading is not timed. Each part runs REPEAT times (default 1); the fastest run counts. Prints one
JSON object on stdout: seconds, runs, versions, and the per-chunk values for the agreement check.
"""

import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.preprocessing import StandardScaler

CHUNKS = 10


def load(d, prefix, rows, features):
    def f64(name):
        return np.fromfile(os.path.join(d, f'{prefix}_{name}.f64'), dtype='<f8')

    return {
        'features': f64('features').reshape(len(features), rows).T,
        'proba': f64('proba'),
        'pred': f64('pred'),
        'true': f64('true'),
    }


def chunk_slices(rows):
    size = rows // CHUNKS
    bounds = [(i * size, (i + 1) * size) for i in range(rows // size)]
    if rows % size:
        bounds.append((bounds[-1][1], rows))
    return [slice(a, b) for a, b in bounds]


def thresholds(values, lower_limit, upper_limit):
    mean, std = np.mean(values), np.std(values)
    lower, upper = mean - 3 * std, mean + 3 * std
    if lower_limit is not None:
        lower = max(lower, lower_limit)
    if upper_limit is not None:
        upper = min(upper, upper_limit)
    return lower, upper


# ————— CBPE —————


def confusion(y, p):
    tp = np.sum((p == 1) & (y == 1))
    fp = np.sum((p == 1) & (y == 0))
    fn = np.sum((p == 0) & (y == 1))
    tn = np.sum((p == 0) & (y == 0))
    return tp, tn, fp, fn


def auroc_components(y, proba):
    if y.mean() > 0.5:
        y, proba = np.abs(y - 1), 1 - proba
    ranks = np.nonzero(y[np.argsort(proba)] == 1)[0]
    ranks = ranks[ranks > 0]
    n_pos = int(y.sum())
    ser = (ranks - np.arange(len(ranks))) / (len(y) - n_pos)
    return np.std(ser), n_pos / len(y)


def ratio_components(ones, zeros, n, value=1.0):
    return np.std(np.r_[np.full(ones, value), np.zeros(zeros)]), (ones + zeros) / n


def components(metric, y, proba, pred):
    tp, tn, fp, fn = confusion(y, pred)
    n = len(y)
    if metric == 'roc_auc':
        return auroc_components(y, proba)
    if metric == 'f1':
        return ratio_components(tp, fn + fp, n, (tp + fn + fp) / ((fn + fp) * 0.5 + tp))
    if metric == 'precision':
        return ratio_components(tp, fp, n)
    if metric == 'recall':
        return ratio_components(tp, fn, n)
    return np.std((y == pred).astype(float)), 1.0


def realized(metric, y, proba, pred):
    if metric == 'roc_auc':
        return roc_auc_score(y, proba)
    if metric == 'accuracy':
        return np.mean(y == pred)
    tp, tn, fp, fn = confusion(y, pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    if metric == 'precision':
        return precision
    if metric == 'recall':
        return recall
    return 2 * precision * recall / ((precision + recall) or 1)


def estimate_roc_auc(calibrated, uncalibrated):
    order = np.argsort(uncalibrated)[::-1]
    cumulative = np.cumsum(calibrated[order])
    tps = np.r_[0, np.round(cumulative, 5)]
    fps = np.r_[0, np.round(1 + np.arange(len(calibrated)) - cumulative, 5)]
    return np.trapz(tps / tps[-1], fps / fps[-1])


def estimate(metric, calibrated, uncalibrated, pred):
    if metric == 'roc_auc':
        return estimate_roc_auc(calibrated, uncalibrated)
    positive = pred == 1
    tp = np.sum(np.where(positive, calibrated, 0))
    fp = np.sum(np.where(positive, 1 - calibrated, 0))
    fn = np.sum(np.where(~positive, calibrated, 0))
    tn = np.sum(np.where(~positive, 1 - calibrated, 0))
    if metric == 'accuracy':
        return (tp + tn) / len(pred)
    den = {'f1': tp + 0.5 * (fp + fn), 'precision': tp + fp, 'recall': tp + fn}[metric]
    return tp / den if den else 0.0


def expected_calibration_error(y, proba, bins=10):
    order = np.argsort(proba)
    p, y = proba[order], y[order]
    edges = list(range(0, len(p) + 1, len(p) // bins))
    edges[-1] = len(p)
    return sum((b - a) / len(p) * abs(p[a:b].mean() - y[a:b].mean()) for a, b in zip(edges[:-1], edges[1:]))


def needs_calibration(y, proba):
    if len(np.unique(y)) == 1 or roc_auc_score(y, proba) > 0.999:
        return False
    ys, raw, calibrated = [], [], []
    for train, test in StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=42).split(proba, y):
        fit = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(proba[train], y[train])
        ys.append(y[test])
        raw.append(proba[test])
        calibrated.append(fit.predict(proba[test]))
    ys, raw, calibrated = np.concatenate(ys), np.concatenate(raw), np.concatenate(calibrated)
    return expected_calibration_error(ys, raw) > expected_calibration_error(ys, calibrated)


METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'accuracy']


def cbpe(reference, analysis):
    y, proba, pred = reference['true'], reference['proba'], reference['pred']
    fitted = {}
    for metric in METRICS:
        std, fraction = components(metric, y, proba, pred)
        per_chunk = [realized(metric, y[s], proba[s], pred[s]) for s in chunk_slices(len(y))]
        fitted[metric] = (std, fraction, thresholds(per_chunk, 0, 1))
    needed = needs_calibration(y, proba)
    calibrator = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(proba, y) if needed else None
    out = {m: [] for m in METRICS}
    for data in (reference, analysis):
        calibrated = calibrator.predict(data['proba']) if needed else data['proba']
        for s in chunk_slices(len(data['proba'])):
            for metric in METRICS:
                std, fraction, (lower, upper) = fitted[metric]
                value = estimate(metric, calibrated[s], data['proba'][s], data['pred'][s])
                error = std / np.sqrt((s.stop - s.start) * fraction)
                out[metric].append({'value': value, 'sampling_error': error, 'alert': not lower < value < upper})
    return {'needs_calibration': bool(needed), 'metrics': out}


# ————— PCA reconstruction —————


def reconstruction(reference, analysis):
    imputer = SimpleImputer(strategy='mean').fit(reference['features'])
    scaler = StandardScaler().fit(imputer.transform(reference['features']))
    pca = PCA(n_components=0.65, random_state=16).fit(scaler.transform(imputer.transform(reference['features'])))

    def chunk_values(features):
        x = scaler.transform(imputer.transform(features))
        error = np.linalg.norm(x - pca.inverse_transform(pca.transform(x)), axis=1)
        return [(np.mean(error[s]), np.std(error[s], ddof=1) / np.sqrt(s.stop - s.start)) for s in chunk_slices(len(error))]

    ref, ana = chunk_values(reference['features']), chunk_values(analysis['features'])
    lower, upper = thresholds([v for v, _ in ref], 0, None)
    return {
        'components': int(pca.n_components_),
        'chunks': [{'value': v, 'sampling_error': e, 'alert': not lower < v < upper} for v, e in ref + ana],
    }


def timed(work, repeat):
    runs, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = work()
        runs.append(time.perf_counter() - t)
    return min(runs), runs, result


def main():
    d = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with open(os.path.join(d, 'meta.json')) as f:
        meta = json.load(f)
    reference = load(d, 'ref', meta['rows']['reference'], meta['features'])
    analysis = load(d, 'ana', meta['rows']['analysis'], meta['features'])
    cbpe_s, cbpe_runs, cbpe_result = timed(lambda: cbpe(reference, analysis), repeat)
    pca_s, pca_runs, pca_result = timed(lambda: reconstruction(reference, analysis), repeat)
    print(
        json.dumps(
            {
                'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'sklearn': sklearn.__version__},
                'cbpe': {'seconds': cbpe_s, 'runs': cbpe_runs, **cbpe_result},
                'pca': {'seconds': pca_s, 'runs': pca_runs, **pca_result},
            },
            default=float,
        )
    )


if __name__ == '__main__':
    main()
