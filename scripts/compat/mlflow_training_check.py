"""A realistic training script with the official MLflow Python client against a running driftbook.

Not part of `npm test` (test/unit/server/mlflow replays these requests without Python). Run it with
both clients from ../shared/reference-tools/README.md (src2 = MLflow 2.22, src = MLflow 3.6) and
Debian's python3-sklearn:

    PORT=5077 DRIFTBOOK_DATA_DIR=/tmp/dbk npm start &
    PYTHONPATH=/tmp/mlc/src2:/tmp/mlc/otel:/tmp/mlc/stubs MLFLOW_TRACKING_URI=http://127.0.0.1:5077 \
      /usr/bin/python3 scripts/compat/mlflow_training_check.py
    PYTHONPATH=/tmp/mlc/src:/tmp/mlc/otel:/tmp/mlc/stubs MLFLOW_TRACKING_URI=http://127.0.0.1:5077 \
      /usr/bin/python3 scripts/compat/mlflow_training_check.py

A sweep of Ridge regressions in nested runs: params, metrics with steps, tags, artifacts, a pandas
dataset input, search_runs, then the registry (versions, tags, aliases, `models:/` downloads). With
MLflow 2 the model is logged by mlflow.sklearn.log_model and loaded back by pyfunc.load_model; with
MLflow 3 (whose model flavours need pydantic 2, which Debian lacks) it is a logged model driven
through MlflowClient. Each step asserts what MLflow's own server answers; a failed step is reported
and the script goes on, then prints a summary and exits 1 if any step failed.
"""
import json
import os
import pickle
import tempfile
import time
import traceback
import uuid

import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import ViewType
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

MLFLOW3 = int(mlflow.__version__.split(".")[0]) >= 3
results = []
state = {}


def step(name):
    """Runs the decorated function at once and records whether it passed (later steps still run)."""

    def run(fn):
        try:
            fn()
            results.append((name, None))
            print(f"ok    {name}")
        except Exception as error:  # noqa: BLE001 — every failure is a finding to report
            results.append((name, f"{type(error).__name__}: {error}"))
            print(f"FAIL  {name}: {type(error).__name__}: {error}")
            traceback.print_exc(limit=3)

    return run


def expect(actual, wanted, what):
    assert actual == wanted, f"{what}: got {actual!r}, MLflow answers {wanted!r}"


print("mlflow", mlflow.__version__, "at", mlflow.get_tracking_uri())
client = MlflowClient()
tag = uuid.uuid4().hex[:6]
rng = np.random.default_rng(7)
features = pd.DataFrame(rng.normal(size=(200, 3)), columns=["tenure", "spend", "visits"])
target = features @ np.array([1.5, -2.0, 0.5]) + rng.normal(scale=0.1, size=200)
train_x, valid_x = features.iloc[:150], features.iloc[150:]
train_y, valid_y = target.iloc[:150], target.iloc[150:]
work = tempfile.mkdtemp(prefix="mlflow-training-check-")


@step("set_experiment by name creates it; get_experiment_by_name finds it")
def _():
    name = f"churn-training-{tag}"
    experiment = mlflow.set_experiment(name)
    state["experiment_id"] = experiment.experiment_id
    expect(experiment.name, name, "experiment name")
    expect(experiment.lifecycle_stage, "active", "lifecycle_stage")
    again = mlflow.set_experiment(name)
    expect(again.experiment_id, experiment.experiment_id, "set_experiment on an existing name")
    expect(client.get_experiment_by_name(name).experiment_id, experiment.experiment_id, "get_experiment_by_name")
    mlflow.set_experiment_tag("team", "growth")
    expect(client.get_experiment(experiment.experiment_id).tags.get("team"), "growth", "experiment tag")


@step("nested runs: params, stepped metrics, log_metrics batches, tags, end status")
def _():
    alphas = [0.1, 1.0, 10.0]
    start = int(time.time() * 1000)
    with mlflow.start_run(run_name="sweep", tags={"stage": "dev"}, description="alpha sweep") as parent:
        state["parent"] = parent.info.run_id
        mlflow.log_params({"model": "ridge", "n_train": len(train_x)})
        mlflow.set_tag("dataset", "synthetic")
        children = {}
        for alpha in alphas:
            with mlflow.start_run(run_name=f"alpha-{alpha}", nested=True) as child:
                mlflow.log_param("alpha", alpha)
                model = Ridge(alpha=alpha)
                for epoch in range(3):
                    model.fit(train_x.iloc[: 50 * (epoch + 1)], train_y.iloc[: 50 * (epoch + 1)])
                    rmse = mean_squared_error(valid_y, model.predict(valid_x)) ** 0.5
                    mlflow.log_metric("rmse", rmse, step=epoch, timestamp=start + epoch)
                    mlflow.log_metrics({"train_size": 50 * (epoch + 1), "r2": model.score(valid_x, valid_y)}, step=epoch)
                children[alpha] = (child.info.run_id, rmse, model)
        best = min(children, key=lambda a: children[a][1])
        mlflow.log_metric("best_rmse", children[best][1])
        mlflow.log_param("best_alpha", best)
    state["children"] = children
    state["best"] = best
    run = client.get_run(state["parent"])
    expect(run.info.status, "FINISHED", "parent status after the with block")
    assert run.info.end_time and run.info.end_time >= run.info.start_time, run.info
    expect(run.info.run_name, "sweep", "run_name")
    expect(run.data.tags.get("mlflow.runName"), "sweep", "mlflow.runName tag")
    expect(run.data.tags.get("mlflow.note.content"), "alpha sweep", "description tag")
    expect(run.data.tags.get("stage"), "dev", "start_run tags")
    expect(run.data.params, {"model": "ridge", "n_train": "150", "best_alpha": str(best)}, "params")
    child_id = children[best][0]
    child = client.get_run(child_id)
    expect(child.data.tags.get("mlflow.parentRunId"), state["parent"], "mlflow.parentRunId")
    expect(child.data.metrics["train_size"], 150.0, "latest metric value")
    history = client.get_metric_history(child_id, "rmse")
    expect([m.step for m in history], [0, 1, 2], "rmse history steps")
    expect([m.timestamp for m in history], [start, start + 1, start + 2], "rmse history timestamps")
    expect(history[-1].value, children[best][1], "last rmse value")


@step("set_terminated and a failed run; delete_run / restore_run")
def _():
    run = client.create_run(state["experiment_id"], run_name="crashed", tags={"stage": "dev"})
    run_id = run.info.run_id
    client.log_metric(run_id, "loss", float("nan"))
    client.log_metric(run_id, "overflow", float("inf"))
    client.set_terminated(run_id, status="FAILED")
    got = client.get_run(run_id)
    expect(got.info.status, "FAILED", "status after set_terminated")
    assert got.info.end_time, "end_time after set_terminated"
    assert np.isnan(got.data.metrics["loss"]), got.data.metrics
    expect(got.data.metrics["overflow"], float("inf"), "an infinite metric")
    client.delete_run(run_id)
    expect(client.get_run(run_id).info.lifecycle_stage, "deleted", "lifecycle_stage after delete_run")
    active = client.search_runs([state["experiment_id"]], run_view_type=ViewType.ACTIVE_ONLY)
    assert run_id not in [r.info.run_id for r in active], "a deleted run in ACTIVE_ONLY"
    deleted = client.search_runs([state["experiment_id"]], run_view_type=ViewType.DELETED_ONLY)
    expect([r.info.run_id for r in deleted], [run_id], "DELETED_ONLY")
    client.restore_run(run_id)
    expect(client.get_run(run_id).info.lifecycle_stage, "active", "lifecycle_stage after restore_run")
    state["failed"] = run_id


@step("artifacts: log_artifact, log_artifacts, log_text, log_dict; list_artifacts; download_artifacts")
def _():
    run_id = state["children"][state["best"]][0]
    report = os.path.join(work, "report (final) ü.md")
    with open(report, "w") as f:
        f.write("# Ridge\nbest alpha: %s\n" % state["best"])
    plots = os.path.join(work, "plots")
    os.makedirs(os.path.join(plots, "residuals"))
    with open(os.path.join(plots, "coef.csv"), "w") as f:
        f.write("feature,coef\n" + "".join(f"{c},{v}\n" for c, v in zip(features.columns, state["children"][state["best"]][2].coef_)))
    with open(os.path.join(plots, "residuals", "valid.txt"), "w") as f:
        f.write("ok\n")
    config = {"alpha": state["best"], "features": list(features.columns)}
    with mlflow.start_run(run_id=run_id):
        mlflow.log_artifact(report)
        mlflow.log_artifact(report, artifact_path="docs")
        mlflow.log_artifacts(plots, artifact_path="plots")
        mlflow.log_text("λ sweep done ✓\n", "notes/summary.txt")
        mlflow.log_dict(config, "config.json")
        mlflow.log_dict(config, "config.yaml")
    top = {(a.path, a.is_dir) for a in client.list_artifacts(run_id)}
    expect(top, {("report (final) ü.md", False), ("docs", True), ("plots", True), ("notes", True), ("config.json", False), ("config.yaml", False)}, "list_artifacts at the root")
    inner = {(a.path, a.is_dir, a.file_size) for a in client.list_artifacts(run_id, "plots")}
    expect(inner, {("plots/coef.csv", False, os.path.getsize(os.path.join(plots, "coef.csv"))), ("plots/residuals", True, None)}, "list_artifacts('plots')")
    expect(mlflow.artifacts.load_dict(f"runs:/{run_id}/config.json"), config, "load_dict")
    expect(mlflow.artifacts.load_text(f"runs:/{run_id}/notes/summary.txt"), "λ sweep done ✓\n", "load_text (UTF-8)")
    local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="plots", dst_path=os.path.join(work, "dl"))
    expect(open(os.path.join(local, "residuals", "valid.txt")).read(), "ok\n", "downloaded nested file")
    os.makedirs(os.path.join(work, "dl-all"))  # MlflowClient.download_artifacts wants an existing folder
    whole = client.download_artifacts(run_id, "", os.path.join(work, "dl-all"))
    expect(sorted(os.listdir(whole)), sorted(["report (final) ü.md", "docs", "plots", "notes", "config.json", "config.yaml"]), "download of the whole run")
    expect(open(os.path.join(whole, "docs", "report (final) ü.md")).read(), open(report).read(), "downloaded file content")
    empty = os.path.join(work, "empty.txt")
    open(empty, "w").close()
    client.log_artifact(run_id, empty, "docs")
    expect(open(client.download_artifacts(run_id, "docs/empty.txt", os.path.join(work, "dl-all"))).read(), "", "an empty artifact")
    expect(client.list_artifacts(run_id, "no/such/dir"), [], "list_artifacts of a missing folder")


@step("a 40 MB artifact and start_run(parent_run_id=…)")
def _():
    blob = os.path.join(work, "weights.bin")
    with open(blob, "wb") as f:
        f.write(rng.bytes(40 * 1024 * 1024))
    with mlflow.start_run(run_name="big", parent_run_id=state["parent"]) as run:
        mlflow.log_artifact(blob, "weights")
    expect(client.get_run(run.info.run_id).data.tags.get("mlflow.parentRunId"), state["parent"], "parent_run_id")
    expect([(a.path, a.file_size) for a in client.list_artifacts(run.info.run_id, "weights")], [("weights/weights.bin", 40 * 1024 * 1024)], "listed size")
    local = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="weights/weights.bin", dst_path=os.path.join(work, "big"))
    expect(open(local, "rb").read() == open(blob, "rb").read(), True, "the 40 MB artifact's bytes")
    client.delete_run(run.info.run_id)


@step("log_table / load_table: a predictions table across two runs")
def _():
    tables = []
    for alpha in sorted(state["children"]):
        run_id, _, model = state["children"][alpha]
        table = pd.DataFrame({"alpha": alpha, "y": valid_y.values[:5], "pred": model.predict(valid_x.iloc[:5])})
        tables.append(table)
        with mlflow.start_run(run_id=run_id):
            mlflow.log_table(table, artifact_file="eval/predictions.json")
    loaded = mlflow.load_table("eval/predictions.json", run_ids=[state["children"][a][0] for a in sorted(state["children"])], extra_columns=["run_id"])
    expect(len(loaded), 15, "rows of the table over three runs")
    by_run = {state["children"][a][0]: a for a in state["children"]}
    expect(sorted(zip(loaded["run_id"].map(by_run), loaded["alpha"])), sorted(zip(pd.concat(tables)["alpha"], pd.concat(tables)["alpha"])), "run_id column")
    order = ["alpha", "y"]
    np.testing.assert_allclose(loaded.sort_values(order)["pred"].to_numpy(), pd.concat(tables).sort_values(order)["pred"].to_numpy())


@step("log_input with a pandas dataset; the run's dataset inputs")
def _():
    run_id = state["parent"]
    train = mlflow.data.from_pandas(train_x.assign(target=train_y), name="churn-train", targets="target")
    with mlflow.start_run(run_id=run_id):
        mlflow.log_input(train, context="training", tags={"split": "train"})
    inputs = client.get_run(run_id).inputs.dataset_inputs
    expect(len(inputs), 1, "dataset inputs")
    dataset = inputs[0].dataset
    sent = train.to_dict()
    for field in ["name", "digest", "source_type", "source", "schema", "profile"]:
        expect(getattr(dataset, field), sent[field], f"dataset {field}")
    expect(json.loads(dataset.profile), {"num_rows": 150, "num_elements": 600}, "dataset profile")
    tags = {t.key: t.value for t in inputs[0].tags}
    expect(tags, {"mlflow.data.context": "training", "split": "train"}, "dataset input tags")


@step("search_runs: filters, order_by, pandas output, nested children")
def _():
    experiment = [state["experiment_id"]]
    frame = mlflow.search_runs(experiment, filter_string=f"tags.mlflow.parentRunId = '{state['parent']}'", order_by=["metrics.rmse ASC"])
    assert isinstance(frame, pd.DataFrame), type(frame)
    expect(len(frame), 3, "children of the sweep")
    expect(list(frame["params.alpha"]), [str(a) for a in sorted(state["children"], key=lambda a: state["children"][a][1])], "order by metrics.rmse ASC")
    for column in ["run_id", "status", "start_time", "metrics.rmse", "metrics.r2", "params.alpha", "tags.mlflow.runName", "tags.mlflow.parentRunId"]:
        assert column in frame.columns, f"column {column} missing from {list(frame.columns)}"
    expect(str(frame["start_time"].dtype), "datetime64[ns, UTC]", "start_time dtype")
    best = mlflow.search_runs(experiment, filter_string="params.alpha = '%s' and metrics.rmse < 10" % state["best"], output_format="list")
    expect([r.info.run_id for r in best], [state["children"][state["best"]][0]], "params/metrics filter")
    named = client.search_runs(experiment, filter_string="attributes.run_name = 'sweep' and attributes.status = 'FINISHED'")
    expect([r.info.run_id for r in named], [state["parent"]], "run_name/status filter")
    like = client.search_runs(experiment, filter_string="tags.mlflow.runName LIKE 'alpha-%'", max_results=2, order_by=["attributes.start_time DESC"])
    expect(len(like), 2, "max_results page")
    assert like.token, "a next page token when more runs match"
    rest = client.search_runs(experiment, filter_string="tags.mlflow.runName LIKE 'alpha-%'", max_results=2, order_by=["attributes.start_time DESC"], page_token=like.token)
    expect(len(rest), 1, "second page")
    ids = [state["children"][a][0] for a in state["children"]]
    by_alpha = client.search_runs(experiment, filter_string=f"attributes.run_id IN ('{ids[0]}', '{ids[2]}')", order_by=["params.alpha DESC"])
    expect([r.data.params["alpha"] for r in by_alpha], sorted([str(a) for a in list(state["children"])[::2]], reverse=True), "run_id IN, order by params.alpha DESC")
    failed = client.search_runs(experiment, filter_string="attributes.status != 'FINISHED'")
    expect([r.info.run_id for r in failed], [state["failed"]], "status != filter")
    dataset = client.search_runs(experiment, filter_string="dataset.name = 'churn-train' and dataset.context = 'training'")
    expect([r.info.run_id for r in dataset], [state["parent"]], "dataset filter")


@step("run housekeeping: rename, set_tags/delete_tag, a changed param, a long metric history, experiment rename")
def _():
    run_id = state["children"][state["best"]][0]
    client.update_run(run_id, name="best-alpha")
    expect(client.get_run(run_id).info.run_name, "best-alpha", "run_name after update_run")
    with mlflow.start_run(run_id=run_id):
        mlflow.set_tags({"reviewed": "yes", "temp": "1"})
        mlflow.delete_tag("temp")
        try:
            mlflow.log_param("alpha", "changed")
            raise AssertionError("changing a logged param was accepted")
        except mlflow.exceptions.MlflowException as error:
            expect(error.error_code, "INVALID_PARAMETER_VALUE", "error code for a changed param")
        # 2,500 points: more than one page of get-history (and more than one log-batch)
        client.log_batch(run_id, metrics=[mlflow.entities.Metric("loss_curve", 1.0 / (i + 1), 1_700_000_000_000 + i, i) for i in range(2500)])
    tags = client.get_run(run_id).data.tags
    expect((tags.get("reviewed"), "temp" in tags), ("yes", False), "tags after set_tags/delete_tag")
    history = client.get_metric_history(run_id, "loss_curve")
    expect([m.step for m in history], list(range(2500)), "a 2,500-point metric history")
    name = client.get_experiment(state["experiment_id"]).name
    client.rename_experiment(state["experiment_id"], name + "-v2")
    expect(client.get_experiment_by_name(name + "-v2").experiment_id, state["experiment_id"], "renamed experiment")
    expect(client.get_experiment_by_name(name), None, "the old name after a rename")
    by_name = mlflow.search_runs(experiment_names=[name + "-v2"], filter_string="tags.reviewed = 'yes'", output_format="list")
    expect([r.info.run_id for r in by_name], [run_id], "search_runs(experiment_names=…)")
    client.rename_experiment(state["experiment_id"], name)


@step("asynchronous logging (synchronous=False) then flush")
def _():
    with mlflow.start_run(run_name="async") as run:
        for epoch in range(50):
            mlflow.log_metric("loss", 1.0 / (epoch + 1), step=epoch, synchronous=False)
        mlflow.log_params({"optimizer": "sgd", "lr": 0.01}, synchronous=False)
        mlflow.set_tag("mode", "async", synchronous=False)
        mlflow.flush_async_logging()
    got = client.get_run(run.info.run_id)
    expect((got.data.params, got.data.tags.get("mode")), ({"optimizer": "sgd", "lr": "0.01"}, "async"), "params and tag logged asynchronously")
    expect([m.step for m in client.get_metric_history(run.info.run_id, "loss")], list(range(50)), "metric steps logged asynchronously")
    client.delete_run(run.info.run_id)


@step("search_experiments: filter and order_by")
def _():
    found = client.search_experiments(filter_string=f"name LIKE '%{tag}' and tags.team = 'growth'", order_by=["name ASC"])
    expect([e.experiment_id for e in found], [state["experiment_id"]], "search_experiments")
    deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=f"name LIKE '%{tag}'")
    expect(list(deleted), [], "DELETED_ONLY")


def write_model_dir(model, path):
    """A model directory as MLflow 3 users upload it when no flavour is installed: pickle + MLmodel."""
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "model.pkl"), "wb") as f:
        pickle.dump(model, f)
    with open(os.path.join(path, "MLmodel"), "w") as f:
        f.write("flavors:\n  sklearn:\n    pickled_model: model.pkl\n    serialization_format: pickle\n")
    return path


def log_best_model():
    """Logs the best model and returns the source to register (runs:/… in MLflow 2, models:/m-… in 3)."""
    run_id, _, model = state["children"][state["best"]]
    if not MLFLOW3:
        from mlflow.models import infer_signature

        with mlflow.start_run(run_id=run_id):
            info = mlflow.sklearn.log_model(model, "model", signature=infer_signature(valid_x, model.predict(valid_x)))
        expect(info.run_id, run_id, "ModelInfo.run_id")
        return f"runs:/{run_id}/model"
    from mlflow.entities import LoggedModelOutput, LoggedModelStatus

    logged = client.create_logged_model(state["experiment_id"], name="ridge", source_run_id=run_id, tags={"framework": "sklearn"}, params={"alpha": str(state["best"])})
    expect(logged.status, LoggedModelStatus.PENDING, "a new logged model's status")
    expect(logged.source_run_id, run_id, "source_run_id")
    client.log_model_params(logged.model_id, {"solver": "auto"})
    client.log_model_artifacts(logged.model_id, write_model_dir(model, os.path.join(work, "logged")))
    client.log_metric(run_id, "valid_rmse", state["children"][state["best"]][1], model_id=logged.model_id)
    digest = mlflow.data.from_pandas(valid_x, name="churn-valid").digest
    client.log_metric(run_id, "valid_r2", 0.9, model_id=logged.model_id, dataset_name="churn-valid", dataset_digest=digest)
    client.log_outputs(run_id, [LoggedModelOutput(logged.model_id, step=0)])  # as mlflow.<flavor>.log_model does
    ready = client.finalize_logged_model(logged.model_id, LoggedModelStatus.READY)
    expect(ready.status, LoggedModelStatus.READY, "finalized status")
    got = client.get_logged_model(logged.model_id)
    expect(got.params, {"alpha": str(state["best"]), "solver": "auto"}, "logged model params")
    expect(got.tags.get("framework"), "sklearn", "logged model tag")
    expect(sorted((m.key, m.value, m.dataset_name) for m in got.metrics), [("valid_r2", 0.9, "churn-valid"), ("valid_rmse", state["children"][state["best"]][1], None)], "logged model metrics")
    on_valid = client.search_logged_models([state["experiment_id"]], filter_string="metrics.valid_r2 > 0.5", datasets=[{"dataset_name": "churn-valid", "dataset_digest": digest}])
    expect([m.model_id for m in on_valid], [logged.model_id], "search_logged_models(datasets=…)")
    elsewhere = client.search_logged_models([state["experiment_id"]], filter_string="metrics.valid_r2 > 0.5", datasets=[{"dataset_name": "churn-test"}])
    expect(list(elsewhere), [], "search_logged_models on another dataset")
    expect({a.path for a in client.list_logged_model_artifacts(logged.model_id)}, {"model.pkl", "MLmodel"}, "logged model artifacts")
    found = client.search_logged_models([state["experiment_id"]], filter_string="name = 'ridge' and params.alpha = '%s'" % state["best"])
    expect([m.model_id for m in found], [logged.model_id], "search_logged_models")
    by_metric = client.search_logged_models([state["experiment_id"]], filter_string="metrics.valid_rmse < 10", order_by=[{"field_name": "creation_time", "ascending": False}])
    expect([m.model_id for m in by_metric], [logged.model_id], "search_logged_models by metric")
    client.set_logged_model_tags(logged.model_id, {"reviewed": "yes"})
    client.delete_logged_model_tag(logged.model_id, "framework")
    expect(client.get_logged_model(logged.model_id).tags, {"reviewed": "yes"}, "logged model tags after set/delete")
    state["model_id"] = logged.model_id
    return f"models:/{logged.model_id}"


@step("log the best model and register it (register_model)")
def _():
    source = log_best_model()
    name = f"churn-ridge-{tag}"
    version = mlflow.register_model(source, name, tags={"alpha": str(state["best"])})
    state["name"] = name
    expect(version.version, "1", "first version")
    expect(version.run_id, state["children"][state["best"]][0], "version run_id")
    expect(version.status, "READY", "version status")
    expect(version.tags, {"alpha": str(state["best"])}, "version tags")


@step("MlflowClient registry: models, versions, tags, descriptions, search")
def _():
    name = state["name"]
    client.update_registered_model(name, description="Ridge churn model")
    client.set_registered_model_tag(name, "owner", "growth")
    client.set_registered_model_tag(name, "temp", "x")
    client.delete_registered_model_tag(name, "temp")
    model = client.get_registered_model(name)
    expect(model.description, "Ridge churn model", "registered model description")
    expect(model.tags, {"owner": "growth"}, "registered model tags")
    run_id = state["children"][state["best"]][0]
    v1 = client.get_model_version(name, "1")
    second = client.create_model_version(name, v1.source, run_id=run_id, tags={"candidate": "yes"}, description="retrained")
    expect(second.version, "2", "second version")
    client.update_model_version(name, "2", description="retrained on more data")
    client.set_model_version_tag(name, "2", "validated", "true")
    client.delete_model_version_tag(name, "2", "candidate")
    got = client.get_model_version(name, "2")
    expect(got.description, "retrained on more data", "version description")
    expect(got.tags, {"validated": "true"}, "version tags")
    expect(sorted(v.version for v in client.search_model_versions(f"name = '{name}'")), ["1", "2"], "search_model_versions by name")
    expect([v.version for v in client.search_model_versions(f"name = '{name}' and tag.validated = 'true'")], ["2"], "search_model_versions by tag")
    expect(sorted(v.version for v in client.search_model_versions(f"run_id = '{run_id}'") if v.name == name), ["1", "2"], "search_model_versions by run_id")
    found = client.search_registered_models(filter_string=f"name LIKE 'churn-ridge-{tag}%'", order_by=["name ASC"])
    expect([m.name for m in found], [name], "search_registered_models LIKE")
    expect([m.name for m in client.search_registered_models(filter_string="tags.owner = 'growth'") if m.name == name], [name], "search_registered_models by tag")
    if not MLFLOW3:
        expect([v.version for v in client.get_latest_versions(name)], ["2"], "get_latest_versions")
    expect(sorted(v.version for v in client.get_registered_model(name).latest_versions), ["2"], "latest_versions (stage None)")
    first = client.search_model_versions(f"name = '{name}'", max_results=1, order_by=["version_number DESC"])
    expect([v.version for v in first], ["2"], "search_model_versions order_by version_number DESC")
    rest = client.search_model_versions(f"name = '{name}'", max_results=1, order_by=["version_number DESC"], page_token=first.token)
    expect([v.version for v in rest], ["1"], "search_model_versions second page")
    page = client.search_registered_models(filter_string=f"name LIKE '%{tag}'", max_results=1, order_by=["last_updated_timestamp DESC"])
    expect([m.name for m in page], [name], "search_registered_models max_results")


@step("registry housekeeping: download URI, copy_model_version, rename, delete a version")
def _():
    name = state["name"]
    uri = client.get_model_version_download_uri(name, "1")
    assert uri.startswith("mlflow-artifacts:/"), f"download URI {uri}"
    copy = f"churn-ridge-prod-{tag}"
    state["copy"] = copy
    copied = client.copy_model_version(f"models:/{name}/1", copy)
    expect((copied.name, copied.version, copied.source), (copy, "1", f"models:/{name}/1"), "copied version")
    expect(client.get_model_version_download_uri(copy, "1"), uri, "the copy's download URI (resolved as MLflow stores it)")
    client.rename_registered_model(copy, copy + "-x")  # MlflowClient's rename answers None
    expect(client.get_registered_model(copy + "-x").name, copy + "-x", "renamed model")
    expect(client.get_model_version(copy + "-x", "1").source, f"models:/{name}/1", "a version of the renamed model")
    client.rename_registered_model(copy + "-x", copy)
    extra = client.create_model_version(name, client.get_model_version(name, "1").source)
    client.delete_model_version(name, extra.version)
    expect(sorted(v.version for v in client.search_model_versions(f"name = '{name}'")), ["1", "2"], "versions after delete_model_version")
    if not MLFLOW3:
        staged = client.transition_model_version_stage(name, "1", "Staging")
        expect(staged.current_stage, "Staging", "transition_model_version_stage")
        expect([v.version for v in client.get_latest_versions(name, stages=["Staging"])], ["1"], "get_latest_versions(Staging)")


@step("aliases: set, get_model_version_by_alias, move, delete")
def _():
    name = state["name"]
    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "challenger", "2")
    expect(client.get_model_version_by_alias(name, "champion").version, "1", "champion")
    expect(client.get_registered_model(name).aliases, {"champion": "1", "challenger": "2"}, "registered model aliases")
    expect(client.get_model_version(name, "2").aliases, ["challenger"], "version aliases")
    client.set_registered_model_alias(name, "champion", "2")
    expect(sorted(client.get_model_version(name, "2").aliases), ["challenger", "champion"], "aliases after the move")
    client.delete_registered_model_alias(name, "challenger")
    expect(client.get_registered_model(name).aliases, {"champion": "2"}, "aliases after delete")
    try:
        client.get_model_version_by_alias(name, "challenger")
        raise AssertionError("a deleted alias still resolves")
    except mlflow.exceptions.MlflowException as error:
        expect(error.error_code, "INVALID_PARAMETER_VALUE", "error code for a missing alias")


@step("models:/name@alias and models:/name/1 downloads")
def _():
    name = state["name"]
    by_alias = mlflow.artifacts.download_artifacts(f"models:/{name}@champion", dst_path=os.path.join(work, "alias"))
    by_version = mlflow.artifacts.download_artifacts(f"models:/{name}/1", dst_path=os.path.join(work, "version"))
    files = {"MLmodel", "model.pkl"}
    assert files <= set(os.listdir(by_alias)), os.listdir(by_alias)
    assert files <= set(os.listdir(by_version)), os.listdir(by_version)
    expect(open(os.path.join(by_alias, "model.pkl"), "rb").read(), open(os.path.join(by_version, "model.pkl"), "rb").read(), "same model behind both URIs")
    one = mlflow.artifacts.download_artifacts(f"models:/{name}@champion/MLmodel", dst_path=os.path.join(work, "one"))
    expect(os.path.basename(one), "MLmodel", "a single file from models:/…@alias/path")


@step("load the champion and predict")
def _():
    model = state["children"][state["best"]][2]
    if MLFLOW3:
        local = mlflow.artifacts.download_artifacts(f"models:/{state['name']}@champion/model.pkl", dst_path=os.path.join(work, "load"))
        with open(local, "rb") as f:
            loaded = pickle.load(f)
    else:
        loaded = mlflow.pyfunc.load_model(f"models:/{state['name']}@champion")
        expect(loaded.metadata.run_id, state["children"][state["best"]][0], "loaded model's run_id")
    np.testing.assert_allclose(np.asarray(loaded.predict(valid_x)), model.predict(valid_x))


if not MLFLOW3:

    @step("MLflow 2: log_model(registered_model_name=…), load runs:/…, get_model_info(models:/…)")
    def _():
        run_id, _, model = state["children"][state["best"]]
        name = f"churn-oneliner-{tag}"
        with mlflow.start_run(run_id=run_id):
            info = mlflow.sklearn.log_model(model, "model-registered", registered_model_name=name)
        expect(str(info.registered_model_version), "1", "ModelInfo.registered_model_version")
        version = client.get_model_version(name, "1")
        expect((version.run_id, version.source), (run_id, f"{client.get_run(run_id).info.artifact_uri}/model-registered"), "the one-liner's version")
        loaded = mlflow.pyfunc.load_model(f"runs:/{run_id}/model-registered")
        np.testing.assert_allclose(loaded.predict(valid_x), model.predict(valid_x))
        expect(mlflow.models.get_model_info(f"models:/{name}/1").run_id, run_id, "get_model_info(models:/…)")
        expect(mlflow.sklearn.load_model(f"models:/{name}/latest").alpha, model.alpha, "sklearn.load_model(models:/…/latest)")
        client.delete_registered_model(name)


if MLFLOW3:

    @step("MLflow 3: version from models:/m-… gets run_id from source_run_id; run outputs")
    def _():
        name = f"churn-lm-{tag}"
        client.create_registered_model(name)
        version = client.create_model_version(name, source=f"models:/{state['model_id']}", model_id=state["model_id"])
        # ModelVersion.from_proto drops model_id (a TODO in MLflow 3.6), so the client never shows it.
        expect(version.run_id, state["children"][state["best"]][0], "run_id from the logged model")
        found = client.search_model_versions(f"name = '{name}' and run_id = '{version.run_id}'")
        expect([v.version for v in found], ["1"], "search_model_versions by run_id")
        downloaded = mlflow.artifacts.download_artifacts(f"models:/{name}/1", dst_path=os.path.join(work, "lm"))
        assert {"MLmodel", "model.pkl"} <= set(os.listdir(downloaded)), os.listdir(downloaded)
        by_id = mlflow.artifacts.download_artifacts(f"models:/{state['model_id']}", dst_path=os.path.join(work, "lm-id"))
        assert {"MLmodel", "model.pkl"} <= set(os.listdir(by_id)), os.listdir(by_id)
        run = mlflow.MlflowClient().get_run(version.run_id)
        expect([o.model_id for o in run.outputs.model_outputs], [state["model_id"]], "run outputs list the logged model")


if MLFLOW3:

    @step("MLflow 3 fluent: initialize_logged_model, search_logged_models (pandas), register_model('runs:/…')")
    def _():
        run_id = state["children"][state["best"]][0]
        with mlflow.start_run(run_id=run_id):
            model = mlflow.initialize_logged_model(name="ridge-fluent", tags={"via": "fluent"})
            expect(model.source_run_id, run_id, "initialize_logged_model's source_run_id")
            client.log_model_artifacts(model.model_id, write_model_dir(state["children"][state["best"]][2], os.path.join(work, "fluent")))
            client.finalize_logged_model(model.model_id, "READY")
        expect(mlflow.get_logged_model(model.model_id).name, "ridge-fluent", "get_logged_model")
        frame = mlflow.search_logged_models(experiment_ids=[state["experiment_id"]], filter_string="name = 'ridge-fluent'")
        assert isinstance(frame, pd.DataFrame), type(frame)
        expect(list(frame["model_id"]), [model.model_id], "search_logged_models as a DataFrame")
        # A 2.x-style script in a 3.x world: artifacts under the run, registered by runs:/ URI.
        with mlflow.start_run(run_id=run_id):
            mlflow.log_artifacts(os.path.join(work, "fluent"), artifact_path="legacy-model")
        name = f"churn-legacy-{tag}"
        version = mlflow.register_model(f"runs:/{run_id}/legacy-model", name)
        expect(version.run_id, run_id, "runs:/ registration run_id")
        local = mlflow.artifacts.download_artifacts(f"models:/{name}/1", dst_path=os.path.join(work, "legacy"))
        assert {"MLmodel", "model.pkl"} <= set(os.listdir(local)), os.listdir(local)
        client.delete_registered_model(name)


@step("mistakes answer MLflow's error codes")
def _():
    def code_of(call):
        try:
            call()
        except mlflow.exceptions.MlflowException as error:
            return error.error_code
        return "no error"

    name = state["name"]
    experiment_name = client.get_experiment(state["experiment_id"]).name
    mistakes = {
        "get_run of an unknown id": (lambda: client.get_run("0" * 32), "RESOURCE_DOES_NOT_EXIST"),
        "get_experiment of an unknown id": (lambda: client.get_experiment("987654"), "RESOURCE_DOES_NOT_EXIST"),
        "create_experiment with a taken name": (lambda: client.create_experiment(experiment_name), "RESOURCE_ALREADY_EXISTS"),
        "create_registered_model with a taken name": (lambda: client.create_registered_model(name), "RESOURCE_ALREADY_EXISTS"),
        "get_model_version of an unknown version": (lambda: client.get_model_version(name, "99"), "RESOURCE_DOES_NOT_EXIST"),
        "create_model_version on an unknown model": (lambda: client.create_model_version(f"nope-{tag}", "s3://b/m"), "RESOURCE_DOES_NOT_EXIST"),
        "an alias on an unknown version": (lambda: client.set_registered_model_alias(name, "canary", "99"), "RESOURCE_DOES_NOT_EXIST"),
        "delete_registered_model of an unknown model": (lambda: client.delete_registered_model(f"nope-{tag}"), "RESOURCE_DOES_NOT_EXIST"),
        "a filter with an unknown operator": (lambda: client.search_runs([state["experiment_id"]], "metrics.rmse ~ 1"), "INVALID_PARAMETER_VALUE"),
        "log_metric on a deleted run": (lambda: (client.delete_run(state["failed"]), client.log_metric(state["failed"], "late", 1.0)), "INVALID_PARAMETER_VALUE"),
    }
    found = {what: code_of(call) for what, (call, _) in mistakes.items()}
    expect(found, {what: wanted for what, (_, wanted) in mistakes.items()}, "error codes")


@step("clean up: delete the registered model(s) and the experiment")
def _():
    for name in [state.get("name"), state.get("copy"), f"churn-lm-{tag}" if MLFLOW3 else None]:
        if name:
            client.delete_registered_model(name)
    assert not client.search_registered_models(filter_string=f"name LIKE '%{tag}'"), "registered models left after delete"
    client.delete_experiment(state["experiment_id"])
    expect(client.get_experiment(state["experiment_id"]).lifecycle_stage, "deleted", "experiment lifecycle_stage")
    name = client.get_experiment(state["experiment_id"]).name
    expect(client.get_experiment_by_name(name).lifecycle_stage, "deleted", "get_experiment_by_name of a deleted experiment")
    client.restore_experiment(state["experiment_id"])
    expect(mlflow.set_experiment(name).experiment_id, state["experiment_id"], "set_experiment after restore")
    client.delete_experiment(state["experiment_id"])


failed = [(name, error) for name, error in results if error]
print(f"\nmlflow {mlflow.__version__}: {len(results) - len(failed)} passed, {len(failed)} failed")
for name, error in failed:
    print(f"  FAILED {name}: {error}")
raise SystemExit(1 if failed else 0)
