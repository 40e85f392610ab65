#!/usr/bin/python3
"""Generate driftbook's bundled sample models (static/models/) from the sample data.

Every graph is written by hand with onnx.helper (no skl2onnx, no tensorflowjs converter), so
what runs in the browser is exactly what this file says.

What it writes (static/models/)
-------------------------------
churn_gbt.onnx / .json
    GradientBoostingClassifier (scikit-learn) on the churn sample, weeks 1-8, as one
    ai.onnx.ml TreeEnsembleClassifier: features[batch, 11] (raw numbers and one-hot
    indicators, no scaling) -> label[batch] (int64), probabilities[batch, 2].
churn_mlp.onnx / .json
    MLPClassifier (11 -> 32 -> 16 -> 1, ReLU) on *standardized* features: the scaling lives
    in the model cell (field `standardize`), not in the graph. MatMul/Add/Relu/Sigmoid ->
    churn_probability[batch, 1].
churn_mlp_fp16.onnx
    The same MLP with float16 weights, each Cast to float32 before use (half the size).
churn_mlp_int8.onnx
    The same MLP with int8 weights (per-output-channel symmetric scales), dequantized by
    Cast + Mul (about a quarter of the weight bytes).
churn_mlp_tfjs/model.json + churn_mlp.weights.bin
    The same MLP in TensorFlow.js layers format (Sequential of three Dense layers).
digits_mlp.onnx / .json
    MLPClassifier (64 -> 32 -> 10) on scikit-learn's bundled 8x8 digits (pixels 0-16,
    divided by 16 in the graph's first node so a demo page can feed raw pixel intensities):
    pixels[batch, 64] -> probabilities[batch, 10] (Softmax).
And test/fixtures/models/sample_models_reference.json: a few input rows with scikit-learn's
own predictions, checked against onnxruntime-node by test/unit/inference/sample-models.test.ts.

Rerun from the repository root:  /usr/bin/python3 scripts/models/generate_models.py
(needs python3-numpy, python3-sklearn, python3-onnx). Deterministic for the SEED below.
"""

import csv
import json
import os
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.neural_network import MLPClassifier

SEED = 20261125
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "static", "models")
CSV_PATH = os.path.join(ROOT, "static", "samples", "churn_events.csv")
REF_PATH = os.path.join(ROOT, "test", "fixtures", "models", "sample_models_reference.json")
START = np.datetime64("2026-01-05T00:00:00", "s")
OPSET = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]
PRODUCER = "driftbook scripts/models/generate_models.py"

NUMERIC = ["tenure_months", "monthly_charges", "sessions_per_week", "avg_session_minutes",
           "support_tickets", "days_since_last_login"]
# The feature list as a model cell's `columns` field writes it: `column=value` is a one-hot
# indicator, a boolean column is 0/1.
FEATURES = NUMERIC + ["plan=standard", "plan=premium", "autopay", "channel=ios", "channel=android"]


def read_churn():
    with open(CSV_PATH, newline="") as f:
        rows = list(csv.DictReader(f))
    X = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    for j, feature in enumerate(FEATURES):
        if "=" in feature:
            column, value = feature.split("=")
            X[:, j] = [r[column] == value for r in rows]
        elif feature == "autopay":
            X[:, j] = [r["autopay"] == "true" for r in rows]
        else:
            X[:, j] = [float(r[feature]) for r in rows]
    y = np.array([int(r["churned"]) for r in rows])
    ids = np.array([int(r["event_id"]) for r in rows])
    times = np.array([np.datetime64(r["event_time"].replace(" ", "T"), "s") for r in rows])
    week = ((times - START).astype(np.int64) // (7 * 86400)) + 1
    return X.astype(np.float32), y, ids, week


def save(model, name):
    onnx.checker.check_model(model)
    path = os.path.join(MODELS, name)
    onnx.save(model, path)
    return os.path.getsize(path)


def make_model(graph, doc):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name=PRODUCER, producer_version="1")
    model.ir_version = 8
    model.doc_string = doc
    return model


def write_json(name, meta):
    with open(os.path.join(MODELS, name), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


# ————— gradient-boosted trees —————

def gbt_graph(gbt, n_features):
    """sklearn's binary GradientBoostingClassifier as one TreeEnsembleClassifier.

    Score = init log-odds + learning_rate * sum of leaf values; LOGISTIC post-transform gives
    P(class 1), and ORT fills the other column with 1 - p, as skl2onnx's converter does.
    """
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                             "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                             "nodes_hitrates", "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for t, estimator in enumerate(gbt.estimators_[:, 0]):
        tree = estimator.tree_
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == -1
            attrs["nodes_treeids"].append(t)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            attrs["nodes_values"].append(0.0 if leaf else float(tree.threshold[node]))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[node]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[node]))
            attrs["nodes_missing_value_tracks_true"].append(0)
            attrs["nodes_hitrates"].append(1.0)
            if leaf:
                attrs["class_treeids"].append(t)
                attrs["class_nodeids"].append(node)
                attrs["class_ids"].append(0)
                attrs["class_weights"].append(float(tree.value[node][0][0]) * gbt.learning_rate)
    prior = gbt.init_.class_prior_[1]
    base = float(np.log(prior / (1 - prior)))
    node = helper.make_node("TreeEnsembleClassifier", ["features"], ["label", "probabilities"], domain="ai.onnx.ml",
                            classlabels_int64s=[0, 1], post_transform="LOGISTIC", base_values=[base], **attrs)
    return helper.make_graph(
        [node], "churn_gbt",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", n_features])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])])


# ————— MLPs —————

def dense_layers(mlp):
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in zip(mlp.coefs_, mlp.intercepts_)]


def weight_nodes(name, w, variant):
    """Initializers and nodes that make float32 weight `name` from its stored form."""
    if variant == "fp32":
        return [numpy_helper.from_array(w, name)], []
    if variant == "fp16":
        stored = numpy_helper.from_array(w.astype(np.float16), name + "_fp16")
        return [stored], [helper.make_node("Cast", [name + "_fp16"], [name], to=TensorProto.FLOAT)]
    # int8: symmetric, one scale per output unit (axis 1 of a [in, out] MatMul weight).
    scale = (np.abs(w).max(axis=0) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    # Dequantized as Cast + Mul rather than DequantizeLinear(axis=1): onnxruntime-web 1.30's
    # WebGPU kernel for per-axis DequantizeLinear gave outputs off by up to 0.7 (seen by the
    # benchmark's parity check), and native ORT fuses DequantizeLinear → MatMul into its own
    # quantized kernel; Cast + Mul computes the same weights everywhere.
    inits = [numpy_helper.from_array(q, name + "_int8"), numpy_helper.from_array(scale, name + "_scale")]
    return inits, [helper.make_node("Cast", [name + "_int8"], [name + "_wide"], to=TensorProto.FLOAT),
                   helper.make_node("Mul", [name + "_wide", name + "_scale"], [name])]


def mlp_graph(name, layers, input_name, n_in, output_name, n_out, final, variant="fp32", input_scale=None):
    inits, nodes = [], []
    current = input_name
    if input_scale is not None:
        inits.append(numpy_helper.from_array(np.array(input_scale, np.float32), "input_scale"))
        nodes.append(helper.make_node("Mul", [current, "input_scale"], ["scaled_input"]))
        current = "scaled_input"
    for i, (w, b) in enumerate(layers):
        w_inits, w_nodes = weight_nodes(f"W{i}", w, variant)
        inits += w_inits + [numpy_helper.from_array(b, f"B{i}")]
        nodes += w_nodes
        nodes.append(helper.make_node("MatMul", [current, f"W{i}"], [f"mm{i}"]))
        last = i == len(layers) - 1
        nodes.append(helper.make_node("Add", [f"mm{i}", f"B{i}"], [f"logits{i}" if last else f"pre{i}"]))
        if not last:
            nodes.append(helper.make_node("Relu", [f"pre{i}"], [f"h{i}"]))
            current = f"h{i}"
    if final == "sigmoid":
        nodes.append(helper.make_node("Sigmoid", [f"logits{len(layers) - 1}"], [output_name]))
    else:
        nodes.append(helper.make_node("Softmax", [f"logits{len(layers) - 1}"], [output_name], axis=-1))
    return helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch", n_in])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["batch", n_out])], initializer=inits)


def tfjs_layers_model(layers, out_dir):
    """The MLP in TensorFlow.js layers format: Keras-style topology plus one float32 shard."""
    os.makedirs(out_dir, exist_ok=True)
    config_layers, manifest, blob = [], [], b""
    for i, (w, b) in enumerate(layers):
        last = i == len(layers) - 1
        # The last layer is named like the ONNX output, so both write the same column.
        layer_name = "churn_probability" if last else f"dense_{i}"
        config = {"name": layer_name, "trainable": True, "dtype": "float32", "units": int(w.shape[1]),
                  "activation": "sigmoid" if last else "relu", "use_bias": True,
                  "kernel_initializer": {"class_name": "Zeros", "config": {}},
                  "bias_initializer": {"class_name": "Zeros", "config": {}},
                  "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                  "kernel_constraint": None, "bias_constraint": None}
        if i == 0:
            config["batch_input_shape"] = [None, int(w.shape[0])]
        config_layers.append({"class_name": "Dense", "config": config})
        for suffix, array in (("kernel", w), ("bias", b)):
            manifest.append({"name": f"{layer_name}/{suffix}", "shape": list(array.shape), "dtype": "float32"})
            blob += array.astype("<f4").tobytes()
    with open(os.path.join(out_dir, "churn_mlp.weights.bin"), "wb") as f:
        f.write(blob)
    model_json = {
        "format": "layers-model", "generatedBy": PRODUCER, "convertedBy": None,
        "modelTopology": {"class_name": "Sequential", "config": {"name": "churn_mlp", "layers": config_layers},
                          "keras_version": "2.15.0", "backend": "tensor_flow.js"},
        "weightsManifest": [{"paths": ["churn_mlp.weights.bin"], "weights": manifest}]}
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(model_json, f, indent=1)
        f.write("\n")
    return len(blob)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    os.makedirs(MODELS, exist_ok=True)
    X, y, ids, week = read_churn()
    train, hold = (week >= 1) & (week <= 8), (week >= 9) & (week <= 10)
    # Subsample training rows: fast to fit, and the trees stay small enough to ship.
    rng = np.random.default_rng(SEED)
    fit_rows = rng.choice(np.flatnonzero(train), 40_000, replace=False)

    # --- trees ---
    gbt = GradientBoostingClassifier(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=SEED)
    gbt.fit(X[fit_rows], y[fit_rows])
    gbt_auc = roc_auc_score(y[hold], gbt.predict_proba(X[hold])[:, 1])
    gbt_size = save(make_model(gbt_graph(gbt, X.shape[1]), "Gradient-boosted trees for churn (driftbook sample)."), "churn_gbt.onnx")

    # --- MLP on standardized features; the scaling is the cell's job ---
    mean, sd = X[train].mean(axis=0), X[train].std(axis=0)
    scale_columns = list(range(len(NUMERIC)))
    Z = X.copy()
    Z[:, scale_columns] = (X[:, scale_columns] - mean[scale_columns]) / sd[scale_columns]
    mlp = MLPClassifier(hidden_layer_sizes=(32, 16), activation="relu", max_iter=60, early_stopping=True,
                        random_state=SEED)
    mlp.fit(Z[fit_rows], y[fit_rows])
    mlp_auc = roc_auc_score(y[hold], mlp.predict_proba(Z[hold])[:, 1])
    layers = dense_layers(mlp)
    sizes = {}
    for variant, suffix in (("fp32", ""), ("fp16", "_fp16"), ("int8", "_int8")):
        graph = mlp_graph("churn_mlp" + suffix, layers, "features", X.shape[1], "churn_probability", 1, "sigmoid", variant)
        sizes[variant] = save(make_model(graph, f"Churn MLP, {variant} weights (driftbook sample)."), f"churn_mlp{suffix}.onnx")
    tfjs_bytes = tfjs_layers_model(layers, os.path.join(MODELS, "churn_mlp_tfjs"))

    standardize = {NUMERIC[j]: {"mean": round(float(mean[j]), 6), "sd": round(float(sd[j]), 6)} for j in scale_columns}
    # Rounded as the cell writes them, so the reference below uses exactly the cell's numbers.
    r_mean = np.array([standardize[c]["mean"] for c in NUMERIC], np.float64)
    r_sd = np.array([standardize[c]["sd"] for c in NUMERIC], np.float64)

    # --- digits ---
    digits = load_digits()
    dX, dy = digits.data.astype(np.float32), digits.target
    perm = np.random.default_rng(SEED).permutation(len(dy))
    d_train, d_test = perm[:1400], perm[1400:]
    dmlp = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", max_iter=400, random_state=SEED)
    dmlp.fit(dX[d_train] / 16.0, dy[d_train])
    d_acc = accuracy_score(dy[d_test], dmlp.predict(dX[d_test] / 16.0))
    digits_graph = mlp_graph("digits_mlp", dense_layers(dmlp), "pixels", 64, "probabilities", 10, "softmax",
                             input_scale=[1.0 / 16.0])
    digits_size = save(make_model(digits_graph, "Handwritten digit classifier on 8x8 pixels 0-16 (driftbook sample)."),
                       "digits_mlp.onnx")

    common = {"dataset": "samples/churn_events.csv", "label": "churned", "training_weeks": [1, 8],
              "training_rows_fitted": len(fit_rows), "holdout_weeks": [9, 10], "seed": SEED,
              "generated_by": "scripts/models/generate_models.py"}
    write_json("churn_gbt.json", {
        "name": "churn_gbt", "description": "Gradient-boosted trees (60 trees, depth 3) for churn: one ai.onnx.ml TreeEnsembleClassifier.",
        "file": "churn_gbt.onnx", "size_bytes": gbt_size,
        "input": {"name": "features", "type": "float32", "shape": ["batch", len(FEATURES)]},
        "outputs": [{"name": "label", "type": "int64", "shape": ["batch"]},
                    {"name": "probabilities", "type": "float32", "shape": ["batch", 2], "classes": [0, 1]}],
        "columns": FEATURES, "preprocessing": "none: raw numbers, booleans as 0/1, one-hot indicators",
        "holdout_auc": round(float(gbt_auc), 4), **common})
    write_json("churn_mlp.json", {
        "name": "churn_mlp", "description": "MLP 11-32-16-1 (ReLU, sigmoid) for churn on standardized numbers and one-hot categories.",
        "file": "churn_mlp.onnx", "size_bytes": sizes["fp32"],
        "variants": {"fp16": {"file": "churn_mlp_fp16.onnx", "size_bytes": sizes["fp16"]},
                     "int8": {"file": "churn_mlp_int8.onnx", "size_bytes": sizes["int8"]},
                     "tfjs": {"file": "churn_mlp_tfjs/model.json", "weights_bytes": tfjs_bytes}},
        "input": {"name": "features", "type": "float32", "shape": ["batch", len(FEATURES)]},
        "outputs": [{"name": "churn_probability", "type": "float32", "shape": ["batch", 1]}],
        "columns": FEATURES, "standardize": standardize,
        "preprocessing": "standardize the numeric columns with the means and sds above (weeks 1-8), one-hot as listed",
        "holdout_auc": round(float(mlp_auc), 4), **common})
    write_json("digits_mlp.json", {
        "name": "digits_mlp", "description": "MLP 64-32-10 on scikit-learn's 8x8 handwritten digits.",
        "file": "digits_mlp.onnx", "size_bytes": digits_size,
        "input": {"name": "pixels", "type": "float32", "shape": ["batch", 64],
                  "meaning": "row-major 8x8 intensities 0 (white) to 16 (black); the graph divides by 16"},
        "outputs": [{"name": "probabilities", "type": "float32", "shape": ["batch", 10], "classes": list(range(10))}],
        "test_accuracy": round(float(d_acc), 4), "train_images": len(d_train), "test_images": len(d_test),
        "seed": SEED, "generated_by": "scripts/models/generate_models.py"})

    # --- reference rows: sklearn's answers, to check the hand-written graphs ---
    pick = np.flatnonzero(hold)[:50]
    Zr = X[pick].astype(np.float64).copy()
    Zr[:, scale_columns] = (Zr[:, scale_columns] - r_mean) / r_sd
    os.makedirs(os.path.dirname(REF_PATH), exist_ok=True)
    with open(REF_PATH, "w") as f:
        json.dump({
            "generated_by": "scripts/models/generate_models.py",
            "churn": {"event_id": ids[pick].tolist(), "raw": X[pick].tolist(), "standardized": Zr.astype(np.float32).tolist(),
                      "gbt_probability": gbt.predict_proba(X[pick])[:, 1].tolist(),
                      "mlp_probability": mlp.predict_proba(Zr.astype(np.float32))[:, 1].tolist()},
            "digits": {"pixels": dX[d_test[:20]].tolist(), "target": dy[d_test[:20]].tolist(),
                       "probabilities": dmlp.predict_proba(dX[d_test[:20]] / 16.0).tolist()},
        }, f)
        f.write("\n")
    print(f"churn_gbt: {gbt_size} bytes, holdout AUC {gbt_auc:.4f}")
    print(f"churn_mlp: {sizes} bytes, holdout AUC {mlp_auc:.4f}; tfjs weights {tfjs_bytes} bytes")
    print(f"digits_mlp: {digits_size} bytes, test accuracy {d_acc:.4f}")


if __name__ == "__main__":
    main()
