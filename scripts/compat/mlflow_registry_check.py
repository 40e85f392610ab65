"""Registry checks with the official MLflow Python client against a running driftbook server.

Not part of `npm test` (the tests replay these requests without Python). Run with the clients
from ../shared/reference-tools/README.md (src2 = MLflow 2.22, src = MLflow 3.6):

    npm run -s driftbook -- serve --port 5077 --data-dir /tmp/dbk &
    PYTHONPATH=/tmp/mlc/src:/tmp/mlc/otel:/tmp/mlc/stubs MLFLOW_TRACKING_URI=http://127.0.0.1:5077 \
      /usr/bin/python3 scripts/compat/mlflow_registry_check.py

Checks issue 20's two findings: search_registered_models (whose filter the clients extend with
tag.`mlflow.prompt.is_prompt` != 'true' from 2.21 on) finds untagged models, and a version
registered from a logged model gets its source run, so search_model_versions("run_id=…") finds it.
"""
import uuid

import mlflow
from mlflow import MlflowClient

print("mlflow", mlflow.__version__)
client = MlflowClient()
tag = uuid.uuid4().hex[:6]
experiment = client.create_experiment(f"compat-{tag}")
run = client.create_run(experiment)
run_id = run.info.run_id

name = f"compat-{tag}"
client.create_registered_model(name)
client.create_model_version(name, source=f"{run.info.artifact_uri}/model", run_id=run_id)
found = [m.name for m in client.search_registered_models(filter_string=f"name = '{name}'")]
assert found == [name], f"search_registered_models(name = …) found {found}"
assert name in [m.name for m in client.search_registered_models()], "search_registered_models() misses the model"
print("search_registered_models: ok")

if hasattr(client, "create_logged_model"):  # MLflow 3
    model = client.create_logged_model(experiment, name="model", source_run_id=run_id)
    by_client = f"compat-lm-{tag}"
    client.create_registered_model(by_client)
    version = client.create_model_version(by_client, source=f"models:/{model.model_id}", model_id=model.model_id)
    assert version.run_id == run_id, f"create_model_version(model_id=…) run_id {version.run_id}"
    by_fluent = f"compat-fluent-{tag}"
    fluent = mlflow.register_model(f"models:/{model.model_id}", by_fluent)
    assert fluent.run_id == run_id, f"register_model(models:/…) run_id {fluent.run_id}"
    versions = {(v.name, v.version) for v in client.search_model_versions(f"run_id = '{run_id}'")}
    assert {(by_client, "1"), (by_fluent, "1"), (name, "1")} <= versions, f"search_model_versions(run_id) found {versions}"
    print("versions from a logged model: ok")
print("OK")
