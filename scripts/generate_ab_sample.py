#!/usr/bin/python3
"""Generate the data of driftbook's bundled A/B notebook (notebooks/ab-test-review.driftbook.md).

What it writes
--------------
static/samples/ab_experiment.csv
    15,000 users of a checkout experiment over 14 days from Monday 2026-03-02, in order of
    assignment. Columns: user_id, assigned_at, variant (A = control, B, C; an equal random split),
    platform, pre_revenue (USD spent in the 28 days before the experiment: a CUPED covariate),
    converted (0/1), revenue (USD in the experiment).
static/samples/model_shadow.csv
    6,000 scored customers from two weeks of shadow mode: churned (the label), model_v1 (the
    champion's churn probability), model_v2 (the challenger's), plan, scored_at.

Design (what the notebook should find)
--------------------------------------
* B converts better than A (12.5% against 10%): significant after Holm's adjustment.
* C is a dud (10.3% against 10%): not significant.
* The split is honest: no sample-ratio mismatch.
* Revenue rises in B only through conversions ($10 each: +$0.25 per user on a standard deviation
  of ~$22): Welch's test alone misses it; CUPED on pre_revenue, which explains ~96% of the
  variance, does not.
* model_v2 ranks better than model_v1 (higher AUC, DeLong), most of all on the premium plan.
The script checks these with SciPy/statsmodels and exits non-zero if one fails. SEED was chosen
so that all pass.

Rerun
-----
    /usr/bin/python3 scripts/generate_ab_sample.py

from the repository root (needs numpy, scipy, statsmodels, scikit-learn). Output is deterministic
for a given SEED and library versions.
"""

import csv
import os
import sys
from datetime import datetime, timedelta

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

SEED = 20260306
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'static', 'samples')
START = datetime(2026, 3, 2)


def experiment(rng):
    n = 15000
    seconds = np.sort(rng.integers(0, 14 * 86400, n))
    variant = rng.choice(['A', 'B', 'C'], n)
    platform = rng.choice(['web', 'ios', 'android'], n, p=[0.5, 0.3, 0.2])
    pre = np.round(rng.gamma(2.0, 15.0, n), 2)
    rate = np.where(variant == 'B', 0.125, np.where(variant == 'C', 0.103, 0.10))
    converted = (rng.random(n) < rate).astype(int)
    revenue = np.round(np.maximum(0.0, pre + rng.normal(0, 3, n) + 10.0 * converted), 2)
    rows = []
    for i in range(n):
        t = START + timedelta(seconds=int(seconds[i]))
        rows.append([i + 1, t.strftime('%Y-%m-%d %H:%M:%S'), variant[i], platform[i], '%.2f' % pre[i], int(converted[i]),
                     '%.2f' % revenue[i]])
    return ['user_id', 'assigned_at', 'variant', 'platform', 'pre_revenue', 'converted', 'revenue'], rows, {
        'variant': variant, 'converted': converted, 'revenue': revenue, 'pre': pre}


def shadow(rng):
    n = 6000
    seconds = np.sort(rng.integers(0, 14 * 86400, n))
    plan = rng.choice(['basic', 'standard', 'premium'], n, p=[0.45, 0.35, 0.2])
    tenure = rng.gamma(2.0, 10.0, n)
    tickets = rng.poisson(np.where(plan == 'premium', 1.5, 1.0))
    logit = -1.2 - 0.05 * tenure + 0.6 * tickets + np.where(plan == 'premium', 0.8 * (tickets > 1), 0.0)
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    noise1 = rng.normal(0, 1.3, n)
    noise2 = rng.normal(0, 0.7, n)
    v1 = 1 / (1 + np.exp(-(-1.1 - 0.045 * tenure + 0.55 * tickets + noise1)))
    v2 = 1 / (1 + np.exp(-(-1.2 - 0.05 * tenure + 0.6 * tickets + np.where(plan == 'premium', 0.8 * (tickets > 1), 0) + noise2)))
    v1, v2 = np.round(v1, 4), np.round(v2, 4)
    rows = []
    for i in range(n):
        t = START + timedelta(seconds=int(seconds[i]))
        rows.append([i + 1, t.strftime('%Y-%m-%d %H:%M:%S'), plan[i], int(churned[i]), '%.4f' % v1[i], '%.4f' % v2[i]])
    return ['customer_id', 'scored_at', 'plan', 'churned', 'model_v1', 'model_v2'], rows, {
        'plan': plan, 'churned': churned, 'v1': v1, 'v2': v2}


def welch_p(a, b):
    return stats.ttest_ind(a, b, equal_var=False).pvalue


def checks(e, s):
    failures = []
    v, y = e['variant'], e['converted']
    counts = [int((v == g).sum()) for g in 'ABC']
    srm = stats.chisquare(counts).pvalue
    if srm < 0.05:
        failures.append(f'sample ratio p = {srm:.3g} (want an honest split)')
    pb = proportions_ztest([y[v == 'B'].sum(), y[v == 'A'].sum()], [(v == 'B').sum(), (v == 'A').sum()])[1]
    pc = proportions_ztest([y[v == 'C'].sum(), y[v == 'A'].sum()], [(v == 'C').sum(), (v == 'A').sum()])[1]
    adj = multipletests([pc, pb], method='holm')[1]
    if not adj[1] < 0.01:
        failures.append(f'B vs A Holm p = {adj[1]:.3g} (want < 0.01)')
    if not adj[0] > 0.2:
        failures.append(f'C vs A Holm p = {adj[0]:.3g} (want > 0.2)')
    r, pre = e['revenue'], e['pre']
    pw = welch_p(r[v == 'B'], r[v == 'A'])
    theta = np.cov(r, pre, ddof=1)[0, 1] / np.var(pre, ddof=1)
    adjr = r - theta * (pre - pre.mean())
    pcuped = welch_p(adjr[v == 'B'], adjr[v == 'A'])
    if not pw > 0.05:
        failures.append(f'revenue B vs A Welch p = {pw:.3g} (want > 0.05)')
    if not pcuped < 0.01:
        failures.append(f'revenue B vs A CUPED p = {pcuped:.3g} (want < 0.01)')
    auc1, auc2 = roc_auc_score(s['churned'], s['v1']), roc_auc_score(s['churned'], s['v2'])
    if not auc2 > auc1 + 0.03:
        failures.append(f'AUC v2 {auc2:.3f} vs v1 {auc1:.3f} (want v2 ahead by 0.03)')
    print(f'split {counts} (p = {srm:.3f}); conversion p (Holm): C {adj[0]:.3g}, B {adj[1]:.3g}; '
          f'revenue B: Welch p = {pw:.3g}, CUPED p = {pcuped:.3g}; AUC v1 {auc1:.3f}, v2 {auc2:.3f}')
    return failures


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)
    print(f'wrote {os.path.relpath(path, ROOT)} ({len(rows)} rows, {os.path.getsize(path)} bytes)')


def main():
    rng = np.random.default_rng(SEED)
    eh, er, e = experiment(rng)
    sh, sr, s = shadow(rng)
    failures = checks(e, s)
    if failures:
        print('design checks failed:\n  ' + '\n  '.join(failures), file=sys.stderr)
        return 1
    os.makedirs(OUT, exist_ok=True)
    write('ab_experiment.csv', eh, er)
    write('model_shadow.csv', sh, sr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
