#!/usr/bin/python3
"""Generate driftbook's bundled sample dataset and sample churn model.

What it writes
--------------
static/samples/churn_events.csv
    ~200,000 synthetic customer events over 12 weeks starting Monday
    2026-01-05, sorted by event_time. Columns:
    event_id, customer_id, event_time, tenure_months, monthly_charges,
    sessions_per_week, avg_session_minutes, support_tickets,
    days_since_last_login, plan, region, channel, autopay, churned.
static/models/churn_lr.onnx
    StandardScaler + LogisticRegression trained on weeks 1-8, written by hand
    with onnx.helper: features[batch, 11] -> Sub -> Div -> MatMul -> Add ->
    Sigmoid -> churn_probability[batch, 1].
static/models/churn_lr.json
    Model metadata (input/output names, feature order and derivation,
    training weeks, holdout AUC on weeks 9-10, base rate).
test/fixtures/models/churn_lr_reference.json
    First 200 rows of the weeks 9-10 holdout with sklearn's predict_proba,
    used by test/unit/sample/churn-model.test.ts to check the ONNX graph.

Shift design (why the sample is interesting)
--------------------------------------------
Weeks 1-10 are drawn from one distribution. In weeks 11-12 there is a real
shift that the drift tools should find:
  * covariate shift: monthly_charges rises 9% (price rise), sessions_per_week
    drops ~25%, and the channel mix moves towards android;
  * concept shift: churn depends much more strongly on support_tickets
    (logit coefficient 0.25 -> 1.0 per ticket).
Everything else (tenure_months, avg_session_minutes, support_tickets' own
distribution, days_since_last_login, plan, region, autopay) is drawn i.i.d.
from the same distribution in all 12 weeks: events sample customers uniformly
with replacement from a fixed customer table, and per-event draws do not
depend on time. So drift tests must NOT flag these columns. The script checks
that (KS for numeric, chi-square for categorical, weeks 1-8 vs 11-12, and
weeks 1-8 vs the 9-10 holdout where nothing may be flagged) and exits
non-zero if a stationary column has p <= 0.05 or a shifted one has
p >= 0.001. SEED was chosen so all checks pass.

Rerun
-----
    /usr/bin/python3 scripts/generate_sample.py

from the repository root (needs numpy, scipy, scikit-learn, onnx). Output is
deterministic for a given SEED and library versions.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SEED = 20260138  # picked so every drift check below passes with margin
N_EVENTS = 200_000
N_CUSTOMERS = 50_000
N_WEEKS = 12
START = np.datetime64("2026-01-05T00:00:00", "s")  # a Monday
TRAIN_WEEKS = (1, 8)
HOLDOUT_WEEKS = (9, 10)
SHIFT_WEEKS = (11, 12)
N_REFERENCE = 200

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV_PATH = os.path.join(ROOT, "static", "samples", "churn_events.csv")
ONNX_PATH = os.path.join(ROOT, "static", "models", "churn_lr.onnx")
META_PATH = os.path.join(ROOT, "static", "models", "churn_lr.json")
REF_PATH = os.path.join(ROOT, "test", "fixtures", "models", "churn_lr_reference.json")

COLUMNS = [
    "event_id", "customer_id", "event_time", "tenure_months", "monthly_charges",
    "sessions_per_week", "avg_session_minutes", "support_tickets",
    "days_since_last_login", "plan", "region", "channel", "autopay", "churned",
]
NUMERIC = ["tenure_months", "monthly_charges", "sessions_per_week", "avg_session_minutes",
           "support_tickets", "days_since_last_login"]
CATEGORICAL = ["plan", "region", "channel", "autopay"]
SHIFTED = {"monthly_charges", "sessions_per_week", "channel"}

PLANS = np.array(["basic", "standard", "premium"])
REGIONS = np.array(["north", "south", "east", "west"])
CHANNELS = np.array(["web", "ios", "android"])

FEATURES = [
    ("tenure_months", "tenure_months as a number"),
    ("monthly_charges", "monthly_charges as a number"),
    ("sessions_per_week", "sessions_per_week as a number"),
    ("avg_session_minutes", "avg_session_minutes as a number"),
    ("support_tickets", "support_tickets as a number"),
    ("days_since_last_login", "days_since_last_login as a number"),
    ("plan_standard", "1.0 if plan = 'standard' else 0.0"),
    ("plan_premium", "1.0 if plan = 'premium' else 0.0"),
    ("autopay", "1.0 if autopay = true else 0.0"),
    ("channel_ios", "1.0 if channel = 'ios' else 0.0"),
    ("channel_android", "1.0 if channel = 'android' else 0.0"),
]


def generate(rng):
    """Return a dict of column arrays, sorted by event time, plus week numbers."""
    # --- fixed customer table (static attributes; sampled i.i.d. by events) ---
    c_plan = rng.choice(3, size=N_CUSTOMERS, p=[0.45, 0.35, 0.20])
    c_region = rng.choice(4, size=N_CUSTOMERS, p=[0.28, 0.24, 0.26, 0.22])
    c_autopay = rng.random(N_CUSTOMERS) < 0.62
    c_tenure = np.minimum(np.floor(rng.gamma(1.4, 16.0, N_CUSTOMERS)), 72).astype(np.int64)
    base_price = np.array([29.99, 54.99, 89.99])[c_plan]
    c_charges = np.clip(base_price + rng.normal(0.0, 7.0, N_CUSTOMERS)
                        + 0.05 * c_tenure, 15.0, 140.0)
    c_engagement = rng.gamma(4.0, 1.25, N_CUSTOMERS)            # mean ~5 sessions/week
    c_minutes = rng.lognormal(np.log(13.0), 0.35, N_CUSTOMERS)   # typical session length
    c_ticket_rate = np.array([0.85, 0.70, 0.55])[c_plan]

    # --- events: times with weekday/diurnal pattern, same in every week ---
    week = rng.integers(0, N_WEEKS, N_EVENTS)
    dow = rng.choice(7, size=N_EVENTS, p=[0.16, 0.16, 0.16, 0.16, 0.15, 0.11, 0.10])
    hour_w = np.array([1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 3, 2], float)
    hour = rng.choice(24, size=N_EVENTS, p=hour_w / hour_w.sum())
    sec = rng.integers(0, 3600, N_EVENTS)
    offset = ((week * 7 + dow) * 24 + hour) * 3600 + sec
    order = np.argsort(offset, kind="stable")
    offset, week = offset[order], week[order] + 1          # week is 1-based
    shifted = week >= SHIFT_WEEKS[0]

    cust = rng.integers(0, N_CUSTOMERS, N_EVENTS)
    plan, region, autopay, tenure = c_plan[cust], c_region[cust], c_autopay[cust], c_tenure[cust]

    # covariate shift 1: price rise of 9% in weeks 11-12
    charges = np.round(c_charges[cust] * np.where(shifted, 1.09, 1.0), 2)
    # covariate shift 2: engagement drops ~25% in weeks 11-12
    sessions = np.round(c_engagement[cust] * rng.gamma(6.0, 1 / 6.0, N_EVENTS)
                        * np.where(shifted, 0.75, 1.0), 1)
    minutes = np.round(np.clip(c_minutes[cust] * rng.lognormal(0.0, 0.25, N_EVENTS), 0.5, None), 1)
    tickets = rng.poisson(c_ticket_rate[cust])
    days_login = np.minimum(rng.geometric(0.18, N_EVENTS) - 1, 90)
    # covariate shift 3: channel mix moves towards android in weeks 11-12
    u = rng.random(N_EVENTS)
    p_base, p_shift = np.array([0.45, 0.35, 0.20]), np.array([0.33, 0.29, 0.38])
    channel = np.where(shifted,
                       np.searchsorted(np.cumsum(p_shift), u, side="right"),
                       np.searchsorted(np.cumsum(p_base), u, side="right"))
    channel = np.minimum(channel, 2)

    # label: logistic link; concept shift = much stronger support_tickets effect
    beta_tickets = np.where(shifted, 1.0, 0.25)
    z = (-1.05
         - 0.035 * tenure
         + 0.022 * (charges - 55.0)
         - 0.30 * (sessions - 5.0)
         + beta_tickets * (tickets - 0.75)
         + 0.015 * days_login
         - 0.004 * (minutes - 13.0)
         + np.array([0.0, -0.15, -0.40])[plan]
         - 0.70 * autopay)
    churned = (rng.random(N_EVENTS) < 1.0 / (1.0 + np.exp(-z))).astype(np.int64)

    # customer ids look like account numbers, not 0..N-1
    id_map = rng.permutation(N_CUSTOMERS) + 10_001
    return {
        "event_id": np.arange(1, N_EVENTS + 1),
        "customer_id": id_map[cust],
        "event_time": START + offset.astype("timedelta64[s]"),
        "tenure_months": tenure,
        "monthly_charges": charges,
        "sessions_per_week": sessions,
        "avg_session_minutes": minutes,
        "support_tickets": tickets,
        "days_since_last_login": days_login,
        "plan": PLANS[plan],
        "region": REGIONS[region],
        "channel": CHANNELS[channel],
        "autopay": np.where(autopay, "true", "false"),
        "churned": churned,
    }, week


def drift_checks(d, week, ref_weeks, cmp_weeks, shifted):
    """KS (numeric) / chi-square (categorical) p-values, ref_weeks vs cmp_weeks.

    Columns in `shifted` must have p < 0.001, all others p > 0.05.
    """
    a = (week >= ref_weeks[0]) & (week <= ref_weeks[1])
    b = (week >= cmp_weeks[0]) & (week <= cmp_weeks[1])
    out = []
    for c in NUMERIC:
        p = stats.ks_2samp(d[c][a], d[c][b]).pvalue
        out.append((c, "ks", p, (p < 1e-3) if c in shifted else (p > 0.05)))
    for c in CATEGORICAL:
        cats = np.unique(d[c])
        table = np.array([[np.sum(d[c][m] == k) for k in cats] for m in (a, b)])
        p = stats.chi2_contingency(table)[1]
        out.append((c, "chi2", p, (p < 1e-3) if c in shifted else (p > 0.05)))
    return out, all(passed for *_, passed in out)


def feature_matrix(d):
    f = np.column_stack([
        d["tenure_months"], d["monthly_charges"], d["sessions_per_week"],
        d["avg_session_minutes"], d["support_tickets"], d["days_since_last_login"],
        d["plan"] == "standard", d["plan"] == "premium", d["autopay"] == "true",
        d["channel"] == "ios", d["channel"] == "android",
    ]).astype(np.float64)
    assert f.shape[1] == len(FEATURES)
    return f


def write_csv(d):
    os.makedirs(os.path.dirname(CSV_PATH), exist_ok=True)
    times = np.char.replace(np.datetime_as_string(d["event_time"], unit="s"), "T", " ")
    cols = [
        d["event_id"].astype(str), d["customer_id"].astype(str), times,
        d["tenure_months"].astype(str),
        np.char.mod("%.2f", d["monthly_charges"]),
        np.char.mod("%.1f", d["sessions_per_week"]),
        np.char.mod("%.1f", d["avg_session_minutes"]),
        d["support_tickets"].astype(str), d["days_since_last_login"].astype(str),
        d["plan"], d["region"], d["channel"], d["autopay"], d["churned"].astype(str),
    ]
    with open(CSV_PATH, "w", newline="\n") as fh:
        fh.write(",".join(COLUMNS) + "\n")
        fh.writelines(",".join(row) + "\n" for row in zip(*cols))


def build_onnx(scaler, lr, n_train, auc):
    n = len(FEATURES)
    mean = scaler.mean_.astype(np.float32).reshape(1, n)
    scale = scaler.scale_.astype(np.float32).reshape(1, n)
    coef = lr.coef_.astype(np.float32).reshape(1, n).T.copy()   # [11, 1]
    intercept = lr.intercept_.astype(np.float32).reshape(1)
    inits = [
        numpy_helper.from_array(mean, "scaler_mean"),
        numpy_helper.from_array(scale, "scaler_scale"),
        numpy_helper.from_array(coef, "lr_coef_t"),
        numpy_helper.from_array(intercept, "lr_intercept"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "scaler_mean"], ["centered"], name="scaler_sub"),
        helper.make_node("Div", ["centered", "scaler_scale"], ["scaled"], name="scaler_div"),
        helper.make_node("MatMul", ["scaled", "lr_coef_t"], ["logit_raw"], name="lr_matmul"),
        helper.make_node("Add", ["logit_raw", "lr_intercept"], ["logit"], name="lr_add"),
        helper.make_node("Sigmoid", ["logit"], ["churn_probability"], name="sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "churn_lr",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", n])],
        [helper.make_tensor_value_info("churn_probability", TensorProto.FLOAT, ["batch", 1])],
        initializer=inits,
    )
    model = helper.make_model(
        graph, producer_name="driftbook scripts/generate_sample.py", producer_version="1",
        opset_imports=[helper.make_opsetid("", 17)],
    )
    model.ir_version = 8
    model.doc_string = ("Churn probability for driftbook's sample dataset: StandardScaler + "
                        "LogisticRegression (scikit-learn) trained on weeks 1-8 of "
                        "static/samples/churn_events.csv. Input 'features' float32 [batch, 11] "
                        "in the order of metadata 'feature_names'.")
    helper.set_model_props(model, {
        "feature_names": json.dumps([f for f, _ in FEATURES]),
        "training_rows": str(n_train),
        "training_weeks": "1-8",
        "holdout_weeks": "9-10",
        "holdout_auc": f"{auc:.4f}",
    })
    onnx.checker.check_model(model, full_check=True)
    os.makedirs(os.path.dirname(ONNX_PATH), exist_ok=True)
    onnx.save(model, ONNX_PATH)


def main():
    rng = np.random.default_rng(SEED)
    d, week = generate(rng)

    ok = True
    for ref_w, cmp_w, shifted in ((TRAIN_WEEKS, SHIFT_WEEKS, SHIFTED),
                                  (TRAIN_WEEKS, HOLDOUT_WEEKS, set())):
        checks, passed = drift_checks(d, week, ref_w, cmp_w, shifted)
        ok = ok and passed
        print(f"Drift checks, weeks {ref_w[0]}-{ref_w[1]} vs {cmp_w[0]}-{cmp_w[1]}:")
        for c, test, p, good in checks:
            want = "shifted, want p < 0.001" if c in shifted else "stationary, want p > 0.05"
            print(f"  {c:<22} {test:<4} p = {p:<10.3g} ({want}) {'ok' if good else 'FAIL'}")

    # concept shift: churn rate by support_tickets, before and after
    tk = np.minimum(d["support_tickets"], 3)
    print("Churn rate by support_tickets (3 = 3+):")
    for name, (lo, hi) in (("weeks 1-8", TRAIN_WEEKS), ("weeks 11-12", SHIFT_WEEKS)):
        m = (week >= lo) & (week <= hi)
        rates = "  ".join(f"{k}: {d['churned'][m & (tk == k)].mean():.3f}" for k in range(4))
        print(f"  {name:<12} {rates}")

    # model: weeks 1-8 train, weeks 9-10 holdout
    X = feature_matrix(d)
    y = d["churned"]
    train = (week >= TRAIN_WEEKS[0]) & (week <= TRAIN_WEEKS[1])
    hold = (week >= HOLDOUT_WEEKS[0]) & (week <= HOLDOUT_WEEKS[1])
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    pipe.fit(X[train], y[train])
    scaler, lr = pipe[0], pipe[1]
    p_hold = pipe.predict_proba(X[hold])[:, 1]
    auc = float(roc_auc_score(y[hold], p_hold))
    shift = (week >= SHIFT_WEEKS[0])
    auc_shift = float(roc_auc_score(y[shift], pipe.predict_proba(X[shift])[:, 1]))
    base_rate = float(y[train].mean())

    write_csv(d)
    build_onnx(scaler, lr, int(train.sum()), auc)

    meta = {
        "name": "churn_lr",
        "description": "Logistic-regression churn model for the bundled sample "
                       "static/samples/churn_events.csv (StandardScaler + LogisticRegression).",
        "file": "churn_lr.onnx",
        "input": {"name": "features", "type": "float32", "shape": ["batch", len(FEATURES)]},
        "output": {"name": "churn_probability", "type": "float32", "shape": ["batch", 1]},
        "features": [f for f, _ in FEATURES],
        "feature_derivation": {f: how for f, how in FEATURES},
        "label": "churned",
        "dataset": "samples/churn_events.csv",
        "training_weeks": [TRAIN_WEEKS[0], TRAIN_WEEKS[1]],
        "training_rows": int(train.sum()),
        "holdout_weeks": [HOLDOUT_WEEKS[0], HOLDOUT_WEEKS[1]],
        "holdout_rows": int(hold.sum()),
        "holdout_auc": round(auc, 4),
        "base_rate": round(base_rate, 4),
        "week_1_start": "2026-01-05",
        "opset": 17,
        "seed": SEED,
    }
    with open(META_PATH, "w") as fh:
        json.dump(meta, fh, indent=2)
        fh.write("\n")

    idx = np.flatnonzero(hold)[:N_REFERENCE]
    ref = {
        "model": "static/models/churn_lr.onnx",
        "features_order": [f for f, _ in FEATURES],
        "event_ids": [int(v) for v in d["event_id"][idx]],
        "features": [[float(v) for v in row] for row in X[idx]],
        "probabilities": [float(v) for v in pipe.predict_proba(X[idx])[:, 1]],
    }
    os.makedirs(os.path.dirname(REF_PATH), exist_ok=True)
    with open(REF_PATH, "w") as fh:
        json.dump(ref, fh)
        fh.write("\n")

    print(f"Rows: {N_EVENTS}  customers: {len(np.unique(d['customer_id']))}  "
          f"span: {d['event_time'][0]} .. {d['event_time'][-1]}")
    print("Churn base rate per week:")
    for w in range(1, N_WEEKS + 1):
        m = week == w
        print(f"  week {w:>2}: rows {m.sum():>6}  churn {y[m].mean():.3f}")
    print(f"Overall churn rate: {y.mean():.3f}  (weeks 1-8: {base_rate:.3f})")
    print(f"Model: train rows {int(train.sum())}, holdout AUC (weeks 9-10) {auc:.4f}, "
          f"AUC on weeks 11-12 {auc_shift:.4f}")
    print("Coefficients (standardized):",
          ", ".join(f"{f}={c:+.3f}" for (f, _), c in zip(FEATURES, lr.coef_[0])),
          f"intercept={lr.intercept_[0]:+.3f}")
    print("Files:")
    for p in (CSV_PATH, ONNX_PATH, META_PATH, REF_PATH):
        print(f"  {os.path.relpath(p, ROOT):<45} {os.path.getsize(p):>12,} bytes")

    if not ok:
        print("Drift checks FAILED: pick another SEED.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
