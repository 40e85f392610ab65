"""Webhook checks with the official MLflow 3 Python client against a running driftbook server.

Not part of `npm test` (test/unit/server/webhooks replays these requests without Python). Run with
the MLflow 3.6 client from ../shared/reference-tools/README.md; the server must allow http URLs:

    DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES=http npm run -s driftbook -- serve --port 5077 --data-dir /tmp/dbk &
    PYTHONPATH=/tmp/mlc/src:/tmp/mlc/otel:/tmp/mlc/stubs MLFLOW_TRACKING_URI=http://127.0.0.1:5077 \
      /usr/bin/python3 scripts/compat/mlflow_webhooks_check.py

Creates, reads, lists, updates, tests and deletes a webhook through MlflowClient, and checks that a
registry change reaches a local receiver signed as MLflow's own _generate_hmac_signature signs.
"""
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import mlflow
from mlflow import MlflowClient
from mlflow.entities.webhook import WebhookEvent, WebhookStatus
from mlflow.webhooks.delivery import _generate_hmac_signature

received = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}/hook"

print("mlflow", mlflow.__version__)
client = MlflowClient()
tag = uuid.uuid4().hex[:6]
secret = "s3cret-" + tag
hook = client.create_webhook(
    name=f"compat-{tag}",
    url=url,
    events=["registered_model.created", "model_version_alias.created"],
    secret=secret,
    description="compat check",
)
assert hook.status == WebhookStatus.ACTIVE and hook.url == url, hook
assert {str(e) for e in hook.events} == {"registered_model.created", "model_version_alias.created"}, hook.events
assert client.get_webhook(hook.webhook_id).name == f"compat-{tag}"
assert hook.webhook_id in [w.webhook_id for w in client.list_webhooks()]
print("create / get / list: ok")

result = client.test_webhook(hook.webhook_id, event=WebhookEvent.from_str("model_version_alias.created"))
assert result.success and result.response_status == 200, result
print("test_webhook:", result)

name = f"compat-hooked-{tag}"
client.create_registered_model(name, tags={"team": "growth"})
deadline = time.time() + 15
while time.time() < deadline and not any(json.loads(b)["data"].get("name") == name for _, b in received):
    time.sleep(0.2)
headers, body = next((h, b) for h, b in received if json.loads(b)["data"].get("name") == name)
payload = json.loads(body)
assert payload["entity"] == "registered_model" and payload["action"] == "created", payload
assert payload["data"] == {"name": name, "tags": {"team": "growth"}, "description": ""}, payload["data"]
expected = _generate_hmac_signature(secret, headers["X-MLflow-Delivery-Id"], headers["X-MLflow-Timestamp"], body)
assert headers["X-MLflow-Signature"] == expected, (headers["X-MLflow-Signature"], expected)
print("delivery signed as MLflow signs: ok")

updated = client.update_webhook(hook.webhook_id, status=WebhookStatus.DISABLED, description="off")
assert updated.status == WebhookStatus.DISABLED and updated.description == "off", updated
client.delete_webhook(hook.webhook_id)
assert hook.webhook_id not in [w.webhook_id for w in client.list_webhooks()]
print("update / delete: ok")
print("all webhook checks passed")
