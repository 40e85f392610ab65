#!/usr/bin/python3
"""SciPy/NumPy side of test/bench/drift.bench.ts: the same drift statistics on the same files.

    /usr/bin/python3 scripts/bench/drift_scipy.py DIR [REPEAT]

DIR holds what the benchmark generated: meta.json, {ref,cur}_num.f64 (float64, column-major,
one column after another) and {ref,cur}_cat.u8 (uint8 category codes, column-major) with the
category labels in meta.json. Categorical columns are turned into NumPy string arrays before
timing, since the library receives strings too.

For each method set it times, column by column, what driftbook's library computes:
- ks: scipy.stats.ks_2samp(ref, cur) (method='auto': asymptotic at this size) on every
  numerical column (ks does not apply to categorical ones), after dropping NaN.
- auto (reference > 1000 rows): numerical columns wasserstein_distance / std(ref) and the
  mean shift in reference SDs; categorical columns the category counts (np.unique),
  scipy.spatial.distance.jensenshannon of the shares and Cramer's V from
  chi2_contingency(correction=False).
Loading is not timed. Each method runs REPEAT times (default 1), alternating; `seconds` is the
fastest run (`runs` lists all). Prints one JSON object on stdout.
"""

import json
import os
import sys
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def load(d):
    with open(os.path.join(d, 'meta.json')) as f:
        meta = json.load(f)
    n_ref = meta['rows']['reference']
    n_cur = meta['rows']['current']
    num = meta['numerical']
    cat = meta['categorical']
    ref_num = np.fromfile(os.path.join(d, 'ref_num.f64'), dtype='<f8').reshape(len(num), n_ref)
    cur_num = np.fromfile(os.path.join(d, 'cur_num.f64'), dtype='<f8').reshape(len(num), n_cur)
    ref_codes = np.fromfile(os.path.join(d, 'ref_cat.u8'), dtype=np.uint8).reshape(len(cat), n_ref)
    cur_codes = np.fromfile(os.path.join(d, 'cur_cat.u8'), dtype=np.uint8).reshape(len(cat), n_cur)
    ref_cat = {}
    cur_cat = {}
    for i, c in enumerate(cat):
        labels = np.array(c['categories'])
        ref_cat[c['name']] = labels[ref_codes[i]]
        cur_cat[c['name']] = labels[cur_codes[i]]
    return meta, {n: ref_num[i] for i, n in enumerate(num)}, {n: cur_num[i] for i, n in enumerate(num)}, ref_cat, cur_cat


def finite(x):
    return x[~np.isnan(x)]


def run_ks(ref_num, cur_num):
    out = {}
    for name in ref_num:
        r = finite(ref_num[name])
        c = finite(cur_num[name])
        res = stats.ks_2samp(r, c)
        out[name] = {'statistic': float(res.statistic), 'p_value': float(res.pvalue)}
    return out


def run_auto(ref_num, cur_num, ref_cat, cur_cat):
    out = {}
    for name in ref_num:
        r = finite(ref_num[name])
        c = finite(cur_num[name])
        std = max(float(np.std(r)), 0.001)
        w = stats.wasserstein_distance(r, c) / std
        effect = (float(np.mean(c)) - float(np.mean(r))) / std
        out[name] = {'statistic': float(w), 'effect_size': effect}
    for name in ref_cat:
        rv, rc = np.unique(ref_cat[name], return_counts=True)
        cv, cc = np.unique(cur_cat[name], return_counts=True)
        cats = np.union1d(rv, cv)
        r = np.zeros(len(cats))
        c = np.zeros(len(cats))
        r[np.searchsorted(cats, rv)] = rc
        c[np.searchsorted(cats, cv)] = cc
        js = distance.jensenshannon(r / r.sum(), c / c.sum())
        chi = stats.chi2_contingency(np.array([r, c]), correction=False)
        cramer = float(np.sqrt(chi[0] / (r.sum() + c.sum())))
        out[name] = {'statistic': float(js), 'effect_size': cramer}
    return out


def main():
    d = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    t0 = time.perf_counter()
    meta, ref_num, cur_num, ref_cat, cur_cat = load(d)
    loaded = time.perf_counter() - t0
    result = {'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__},
              'load_s': loaded, 'methods': {}}
    runs = {'ks': [], 'auto': []}
    for _ in range(repeat):
        for method in ('ks', 'auto'):
            t = time.perf_counter()
            stats_out = run_ks(ref_num, cur_num) if method == 'ks' else run_auto(ref_num, cur_num, ref_cat, cur_cat)
            runs[method].append(time.perf_counter() - t)
            result['methods'][method] = {'seconds': min(runs[method]), 'runs': runs[method], 'columns': stats_out}
    json.dump(result, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
