import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryString, serve, type HttpServer, type Json, type MlflowHarness, type SuiteContext } from './helpers';

/**
 * Replays, request by request over real HTTP, what the MLflow Python client sends for the usual
 * scripts (as its rest_store.py, model_registry/rest_store.py and mlflow_artifacts_repo.py do):
 *
 *   MLflow 2.x: set_experiment → start_run → log_param / log_metric(step) / log_metrics / set_tag →
 *   log_artifact → sklearn.log_model → end_run → register_model → set_registered_model_alias →
 *   get_model_version_by_alias → pyfunc.load_model("models:/churn@champion")
 *
 *   MLflow 3.x: the same start, then log_model(name="model") as a logged model (logged-models,
 *   runs/outputs, get-history, log-batch with model_id, PATCH status), register_model via
 *   logged-models/search, PATCH tags, and load_model("models:/m-…").
 *
 * Every response is checked for its status and the fields the client reads from it.
 */

interface Reply {
	status: number;
	type: string | null;
	body: Json;
}

const T0 = 1_717_000_000_000;

/** The model directory sklearn.log_model writes (the files the client PUTs one by one). */
function sklearnModelFiles(runId: string | null, artifactPath: string): Record<string, Uint8Array> {
	const text = (s: string) => new TextEncoder().encode(s);
	return {
		MLmodel: text(
			`artifact_path: ${artifactPath}\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    pickled_model: model.pkl\n  sklearn:\n    pickled_model: model.pkl\n    sklearn_version: 1.4.2\n${runId ? `run_id: ${runId}\n` : ''}utc_time_created: '2024-05-29 12:00:00.000000'\n`
		),
		'model.pkl': new Uint8Array(randomBytes(4096)),
		'conda.yaml': text('channels: [conda-forge]\ndependencies: [python=3.11, pip]\nname: mlflow-env\n'),
		'python_env.yaml': text('python: 3.11.9\nbuild_dependencies: [pip]\ndependencies: [-r requirements.txt]\n'),
		'requirements.txt': text('mlflow==2.14.1\nscikit-learn==1.4.2\n'),
		'code/helpers.py': text('def predict(x):\n    return x\n')
	};
}

const MIME: Record<string, string> = { txt: 'text/plain', yaml: 'application/x-yaml', py: 'text/x-python', json: 'application/json' };

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function clientFlowsSuite(ctx: SuiteContext): void {
	describe('MLflow Python client flows over HTTP', () => {
		let h: MlflowHarness;
		let server: HttpServer;

		beforeAll(async () => {
			h = ctx.h;
			server = await serve(h.app);
		});
		afterAll(async () => {
			await server?.close();
		});

		/** rest_utils.call_endpoint: GET → params (query string), others → json body. */
		async function mlflow(method: string, endpoint: string, payload: Record<string, unknown> = {}): Promise<Reply> {
			const base = endpoint.startsWith('/') ? endpoint : `/api/2.0/mlflow/${endpoint}`;
			const url = `${server.url}${base}${method === 'GET' ? queryString(payload) : ''}`;
			const res = await fetch(url, method === 'GET' ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
			const type = res.headers.get('content-type');
			const text = await res.text();
			expect(type, `${method} ${endpoint}`).toMatch(/^application\/json/);
			return { status: res.status, type, body: JSON.parse(text) };
		}
		async function ok(method: string, endpoint: string, payload?: Record<string, unknown>): Promise<Json> {
			const reply = await mlflow(method, endpoint, payload);
			expect(reply.status, `${method} ${endpoint}: ${JSON.stringify(reply.body)}`).toBe(200);
			expect(typeof reply.body).toBe('object');
			return reply.body;
		}

		/** The mlflow-artifacts URI → the HTTP path under /api/2.0/mlflow-artifacts/artifacts. */
		const artifactsPath = (uri: string) => {
			expect(uri).toMatch(/^mlflow-artifacts:\//);
			return uri.replace(/^mlflow-artifacts:\/+/, '');
		};

		/** MlflowArtifactsRepository.log_artifact: PUT raw bytes with a guessed Content-Type. */
		async function logArtifact(artifactUri: string, relPath: string, bytes: Uint8Array): Promise<void> {
			const ext = relPath.split('.').pop() ?? '';
			const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${artifactsPath(artifactUri)}/${relPath}`, {
				method: 'PUT',
				headers: { 'Content-Type': MIME[ext] ?? 'application/octet-stream' },
				body: bytes as Uint8Array<ArrayBuffer>
			});
			expect(res.status, `PUT ${relPath}`).toBeGreaterThanOrEqual(200);
			expect(res.status, `PUT ${relPath}`).toBeLessThan(300);
		}

		/**
		 * download_artifacts as the client does it: list (basenames; recurse into directories),
		 * then GET each file. Answers relative path → bytes.
		 */
		async function downloadTree(artifactUri: string): Promise<Record<string, Uint8Array>> {
			const root = artifactsPath(artifactUri);
			const out: Record<string, Uint8Array> = {};
			const walk = async (rel: string) => {
				const listing = await ok('GET', '/api/2.0/mlflow-artifacts/artifacts', { path: rel ? `${root}/${rel}` : root });
				for (const f of listing.files ?? []) {
					expect(f.path).not.toContain('/'); // validate_path_is_safe on a basename
					expect(typeof f.is_dir).toBe('boolean');
					const path = rel ? `${rel}/${f.path}` : f.path;
					if (f.is_dir) {
						expect(f.file_size).toBeUndefined();
						await walk(path);
						continue;
					}
					expect(typeof f.file_size).toBe('number');
					const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`);
					expect(res.status, `GET ${path}`).toBe(200);
					out[path] = new Uint8Array(await res.arrayBuffer());
					expect(out[path].byteLength).toBe(f.file_size);
				}
			};
			await walk('');
			return out;
		}

		/** set_experiment(name) */
		async function setExperiment(name: string): Promise<string> {
			const missing = await mlflow('GET', 'experiments/get-by-name', { experiment_name: name });
			expect(missing.status).toBe(404);
			expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
			const { experiment_id } = await ok('POST', 'experiments/create', { name });
			expect(experiment_id).toMatch(/^\d+$/);
			const { experiment } = await ok('GET', 'experiments/get', { experiment_id });
			expect(experiment).toMatchObject({ experiment_id, name, lifecycle_stage: 'active', artifact_location: expect.any(String) });
			// a second set_experiment finds it by name
			expect((await ok('GET', 'experiments/get-by-name', { experiment_name: name })).experiment.experiment_id).toBe(experiment_id);
			return experiment_id;
		}

		/** start_run(run_name=…) */
		async function startRun(experimentId: string, runName: string): Promise<Json> {
			const { run } = await ok('POST', 'runs/create', {
				experiment_id: experimentId,
				user_id: 'alice',
				start_time: T0,
				run_name: runName,
				tags: [
					{ key: 'mlflow.user', value: 'alice' },
					{ key: 'mlflow.source.name', value: 'train.py' },
					{ key: 'mlflow.source.type', value: 'LOCAL' },
					{ key: 'mlflow.source.git.commit', value: 'abc123' },
					{ key: 'mlflow.runName', value: runName }
				]
			});
			expect(run.info).toMatchObject({
				run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				experiment_id: experimentId,
				run_name: runName,
				user_id: 'alice',
				status: 'RUNNING',
				start_time: T0,
				lifecycle_stage: 'active'
			});
			expect(run.info.run_uuid).toBe(run.info.run_id);
			expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);
			expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.source.name', value: 'train.py' }]));
			expect(run.inputs).toEqual({});
			expect(run.outputs).toEqual({});
			return run;
		}

		it('MLflow 2.x: track, log a model, register, alias and load it back', async () => {
			// 1. mlflow.set_experiment("churn")
			const exp = await setExperiment('churn');
			// 2. mlflow.start_run()
			const run = await startRun(exp, 'rf-baseline');
			const runId: string = run.info.run_id;
			// 3. log_param / log_metric(step) / log_metrics / set_tag
			expect(await ok('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'n_estimators', value: '100' })).toEqual({});
			for (let step = 0; step < 3; step++) {
				expect(
					await ok('POST', 'runs/log-metric', { run_id: runId, run_uuid: runId, key: 'rmse', value: 0.5 - step * 0.1, timestamp: T0 + step, step })
				).toEqual({});
			}
			expect(
				await ok('POST', 'runs/log-batch', {
					run_id: runId,
					metrics: [
						{ key: 'mae', value: 0.21, timestamp: T0 + 9, step: 0 },
						{ key: 'r2', value: 'NaN', timestamp: T0 + 9, step: 0 }
					],
					params: [],
					tags: []
				})
			).toEqual({});
			expect(await ok('POST', 'runs/set-tag', { run_id: runId, run_uuid: runId, key: 'team', value: 'retention' })).toEqual({});

			// 4-5. log_artifact("report.txt"): runs/get for artifact_uri, then PUT
			const { run: fetched } = await ok('GET', 'runs/get', { run_uuid: runId, run_id: runId });
			const artifactUri: string = fetched.info.artifact_uri;
			expect(fetched.data.params).toEqual([{ key: 'n_estimators', value: '100' }]);
			expect(fetched.data.metrics).toEqual(
				expect.arrayContaining([
					{ key: 'rmse', value: expect.closeTo(0.3, 10), timestamp: T0 + 2, step: 2 },
					{ key: 'r2', value: 'NaN', timestamp: T0 + 9, step: 0 }
				])
			);
			await logArtifact(artifactUri, 'report.txt', new TextEncoder().encode('all good\n'));

			// 6. mlflow.sklearn.log_model(model, "model"): a PUT per file, then runs/log-model
			const files = sklearnModelFiles(runId, 'model');
			for (const [rel, bytes] of Object.entries(files)) await logArtifact(artifactUri, `model/${rel}`, bytes);
			const modelJson = {
				run_id: runId,
				artifact_path: 'model',
				utc_time_created: '2024-05-29 12:00:00.000000',
				flavors: { python_function: { loader_module: 'mlflow.sklearn' }, sklearn: { sklearn_version: '1.4.2' } },
				model_uuid: 'b5b1e1a0c0f84b8b9a1c1d2e3f405060',
				mlflow_version: '2.14.1',
				signature: { inputs: '[{"type": "double"}]', outputs: '[{"type": "long"}]' }
			};
			expect(await ok('POST', 'runs/log-model', { run_id: runId, model_json: JSON.stringify(modelJson) })).toEqual({});

			// 7. end_run
			const { run_info } = await ok('POST', 'runs/update', { run_uuid: runId, run_id: runId, status: 'FINISHED', end_time: T0 + 60_000 });
			expect(run_info).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: T0 + 60_000 });

			// 8. mlflow.register_model("runs:/<run>/model", "churn")
			const created = await ok('POST', 'registered-models/create', { name: 'churn' });
			expect(created.registered_model.name).toBe('churn');
			const again = await mlflow('POST', 'registered-models/create', { name: 'churn' }); // tolerated by the client
			expect(again.status).toBe(400);
			expect(again.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
			const { run: forSource } = await ok('GET', 'runs/get', { run_uuid: runId, run_id: runId });
			const source = `${forSource.info.artifact_uri}/model`;
			const { model_version: mv } = await ok('POST', 'model-versions/create', { name: 'churn', source, run_id: runId });
			expect(mv).toMatchObject({
				name: 'churn',
				version: '1',
				status: 'READY',
				source,
				run_id: runId,
				creation_timestamp: expect.any(Number),
				current_stage: 'None'
			});
			// (with READY the client does not poll; it reads the version once more)
			expect((await ok('GET', 'model-versions/get', { name: 'churn', version: '1' })).model_version.status).toBe('READY');

			// 9. client.set_registered_model_alias("churn", "champion", 1) and get_model_version_by_alias
			expect((await ok('GET', 'registered-models/get', { name: 'churn' })).registered_model.name).toBe('churn');
			expect(await ok('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' })).toEqual({});
			const byAlias = await ok('GET', 'registered-models/alias', { name: 'churn', alias: 'champion' });
			expect(byAlias.model_version).toMatchObject({ name: 'churn', version: '1', aliases: ['champion'], source, run_id: runId });

			// 10. mlflow.pyfunc.load_model("models:/churn@champion")
			const resolved = (await ok('GET', 'registered-models/alias', { name: 'churn', alias: 'champion' })).model_version;
			expect((await ok('GET', 'registered-models/get', { name: 'churn' })).registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
			const { artifact_uri } = await ok('GET', 'model-versions/get-download-uri', { name: 'churn', version: resolved.version });
			expect(artifact_uri).toBe(`mlflow-artifacts:/${exp}/${runId}/artifacts/model`);
			const downloaded = await downloadTree(artifact_uri);
			expect(Object.keys(downloaded).sort()).toEqual(Object.keys(files).sort());
			for (const [rel, bytes] of Object.entries(files)) expect(downloaded[rel], rel).toEqual(bytes);

			// The run page: the log-model history tag and the other artifacts.
			const { run: finished } = await ok('GET', 'runs/get', { run_id: runId });
			const history = JSON.parse(finished.data.tags.find((t: Json) => t.key === 'mlflow.log-model.history').value);
			expect(history).toHaveLength(1);
			expect(history[0]).toMatchObject({ artifact_path: 'model', run_id: runId });
			expect((await downloadTree(artifactUri))['report.txt']).toEqual(new TextEncoder().encode('all good\n'));
		});

		it('MLflow 3.x: logged model, run outputs, register via logged-models/search, load models:/m-…', async () => {
			const exp = await setExperiment('churn-v3');
			const run = await startRun(exp, 'rf-v3');
			const runId: string = run.info.run_id;
			await ok('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'max_depth', value: '8' });

			// log_metric: MLflow 3 reads the run first (inputs, outputs.model_outputs)
			const before = (await ok('GET', 'runs/get', { run_uuid: runId, run_id: runId })).run;
			expect(before.outputs.model_outputs ?? []).toEqual([]);
			expect(before.inputs).toEqual({});
			await ok('POST', 'runs/log-metric', { run_id: runId, run_uuid: runId, key: 'rmse', value: 0.27, timestamp: T0, step: 0 });

			// mlflow.sklearn.log_model(model, name="model")
			await ok('GET', 'runs/get', { run_uuid: runId, run_id: runId });
			const { model } = await ok('POST', 'logged-models', {
				experiment_id: exp,
				name: 'model',
				source_run_id: runId,
				params: [{ key: 'max_depth', value: '8' }],
				tags: [
					{ key: 'mlflow.user', value: 'alice' },
					{ key: 'mlflow.source.name', value: 'train.py' }
				]
			});
			const modelId: string = model.info.model_id;
			expect(model.info).toMatchObject({
				model_id: expect.stringMatching(/^m-[0-9a-f]{32}$/),
				experiment_id: exp,
				name: 'model',
				artifact_uri: `mlflow-artifacts:/${exp}/models/${modelId}/artifacts`,
				status: 'LOGGED_MODEL_PENDING',
				creation_timestamp_ms: expect.any(Number),
				last_updated_timestamp_ms: expect.any(Number),
				source_run_id: runId
			});
			expect(model.data.params).toEqual([{ key: 'max_depth', value: '8' }]);
			expect(await ok('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 0 }] })).toEqual({});
			const history = await ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'rmse', max_results: 25000 });
			expect(history.metrics).toEqual([{ key: 'rmse', value: 0.27, timestamp: T0, step: 0 }]);
			expect(history.next_page_token).toBeUndefined();
			// step-0 metrics logged again against the model
			expect(
				await ok('POST', 'runs/log-batch', {
					run_id: runId,
					metrics: history.metrics.map((m: Json) => ({ ...m, model_id: modelId })),
					params: [],
					tags: []
				})
			).toEqual({});
			const pending = (await ok('GET', `logged-models/${modelId}`)).model;
			expect(pending.info.status).toBe('LOGGED_MODEL_PENDING');
			expect(pending.data.metrics).toEqual([{ key: 'rmse', value: 0.27, timestamp: T0, step: 0, model_id: modelId, run_id: runId }]);
			const files = sklearnModelFiles(null, 'model');
			for (const [rel, bytes] of Object.entries(files)) await logArtifact(pending.info.artifact_uri, rel, bytes);
			const finalized = await ok('PATCH', `logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' });
			expect(finalized.model.info.status).toBe('LOGGED_MODEL_READY');

			await ok('POST', 'runs/update', { run_uuid: runId, run_id: runId, status: 'FINISHED', end_time: T0 + 1000 });
			const after = (await ok('GET', 'runs/get', { run_id: runId })).run;
			expect(after.outputs.model_outputs).toEqual([{ model_id: modelId, step: 0 }]);

			// mlflow.register_model("runs:/<run>/model", "churn3")
			expect((await ok('POST', 'registered-models/create', { name: 'churn3' })).registered_model.name).toBe('churn3');
			const forSource = (await ok('GET', 'runs/get', { run_uuid: runId, run_id: runId })).run;
			// the run's own "model" directory is empty: 200 {} (a 404 would abort the client)
			const listing = await mlflow('GET', '/api/2.0/mlflow-artifacts/artifacts', { path: `${artifactsPath(forSource.info.artifact_uri)}/model` });
			expect(listing).toMatchObject({ status: 200, body: {} });
			const found = await ok('POST', 'logged-models/search', { experiment_ids: [exp], filter: "name = 'model'" });
			const candidates = found.models.filter((m: Json) => m.info.source_run_id === runId);
			expect(candidates.map((m: Json) => m.info.model_id)).toEqual([modelId]);
			const { model_version: mv } = await ok('POST', 'model-versions/create', {
				name: 'churn3',
				source: `models:/${modelId}`,
				run_id: runId,
				model_id: modelId
			});
			expect(mv).toMatchObject({ name: 'churn3', version: '1', status: 'READY', source: `models:/${modelId}`, run_id: runId, model_id: modelId });
			await ok('GET', `logged-models/${modelId}`);
			await ok('GET', `logged-models/${modelId}`);
			const versionsTag = JSON.stringify([{ name: 'churn3', version: '1' }]);
			await ok('PATCH', `logged-models/${modelId}/tags`, { tags: [{ key: 'mlflow.modelVersions', value: versionsTag }] });
			const registered = (await ok('GET', `logged-models/${modelId}`)).model.info;
			expect(registered.tags).toContainEqual({ key: 'mlflow.modelVersions', value: versionsTag });
			expect(registered.registrations).toEqual([{ name: 'churn3', version: '1' }]);

			// mlflow.pyfunc.load_model(f"models:/{model_id}")
			const toLoad = (await ok('GET', `logged-models/${modelId}`)).model.info;
			const downloaded = await downloadTree(toLoad.artifact_uri);
			expect(Object.keys(downloaded).sort()).toEqual(Object.keys(files).sort());
			for (const [rel, bytes] of Object.entries(files)) expect(downloaded[rel], rel).toEqual(bytes);
			// and "models:/churn3/1" resolves to the same files
			expect((await ok('GET', 'model-versions/get-download-uri', { name: 'churn3', version: '1' })).artifact_uri).toBe(toLoad.artifact_uri);

			// The 3.x client may ask for server info; a JSON 404 is fine.
			const info = await mlflow('GET', '/api/3.0/mlflow/server-info');
			expect(info.status).toBe(404);
			expect(info.body.error_code).toBe('ENDPOINT_NOT_FOUND');
		});

		it('training script (scripts/compat/mlflow_training_check.py): runs found by their datasets; a missing alias is a 400', async () => {
			const exp = await setExperiment('churn-training');
			// mlflow.log_input(mlflow.data.from_pandas(df, name="churn-train", targets="target"), context="training", tags={"split": "train"})
			const trained = (await startRun(exp, 'sweep')).info.run_id;
			const dataset = (name: string, digest: string) => ({
				name,
				digest,
				source_type: 'code',
				source: '{"tags": {"mlflow.user": "alice", "mlflow.source.name": "train.py", "mlflow.source.type": "LOCAL"}}',
				schema: '{"mlflow_colspec": [{"type": "double", "name": "a", "required": true}, {"type": "long", "name": "target", "required": true}]}',
				profile: '{"num_rows": 2, "num_elements": 4}'
			});
			await ok('POST', 'runs/log-inputs', {
				run_id: trained,
				datasets: [
					{
						tags: [
							{ key: 'split', value: 'train' },
							{ key: 'mlflow.data.context', value: 'training' }
						],
						dataset: dataset('churn-train', '1ef90787')
					}
				]
			});
			// a second run evaluates on another dataset
			const evaluated = (await startRun(exp, 'eval')).info.run_id;
			await ok('POST', 'runs/log-inputs', {
				run_id: evaluated,
				datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset: dataset('churn-valid', '5ac0b9e2') }]
			});
			await startRun(exp, 'no-inputs');

			// MlflowClient.search_runs([exp], filter_string=…) as rest_store._search_runs sends it
			const search = async (filter: string) => {
				const body = await ok('POST', 'runs/search', { experiment_ids: [exp], run_view_type: 'ACTIVE_ONLY', filter, max_results: 1000 });
				return (body.runs ?? []).map((r: Json) => r.info.run_id).sort();
			};
			expect(await search("dataset.name = 'churn-train' and dataset.context = 'training'")).toEqual([trained]);
			expect(await search("datasets.digest IN ('1ef90787', '5ac0b9e2')")).toEqual([trained, evaluated].sort());
			expect(await search("dataset.context != 'training'")).toEqual([evaluated]);
			expect(await search("dataset.name LIKE 'churn-%' and dataset.digest NOT IN ('1ef90787')")).toEqual([evaluated]);
			expect(await search("dataset.name ILIKE 'CHURN-TRAIN' and dataset.context = 'eval'")).toEqual([]);
			const badKey = await mlflow('POST', 'runs/search', { experiment_ids: [exp], filter: "dataset.source = 'x'" });
			expect(badKey.status).toBe(400);
			expect(badKey.body.error_code).toBe('INVALID_PARAMETER_VALUE');
			expect(badKey.body.message).toContain("'source'");

			// client.get_model_version_by_alias(name, "challenger") after the alias was deleted:
			// MLflow's server answers INVALID_PARAMETER_VALUE (400), which the client raises as is.
			await ok('POST', 'registered-models/create', { name: 'churn-training' });
			const missing = await mlflow('GET', 'registered-models/alias', { name: 'churn-training', alias: 'challenger' });
			expect(missing).toMatchObject({
				status: 400,
				body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias challenger not found.' }
			});
		});

		it('copy_model_version("models:/churn-src/1", "churn-prod"): the copy downloads from the original files', async () => {
			const exp = await setExperiment('churn-copy');
			const run = await startRun(exp, 'train');
			const runId: string = run.info.run_id;
			await ok('POST', 'registered-models/create', { name: 'churn-src' });
			await ok('POST', 'model-versions/create', { name: 'churn-src', source: `${run.info.artifact_uri}/model`, run_id: runId });
			// MlflowClient.copy_model_version, request by request (2.22 and 3.6 send the same)
			const src = (await ok('GET', 'model-versions/get', { name: 'churn-src', version: '1' })).model_version;
			await ok('POST', 'registered-models/create', { name: 'churn-prod' });
			const { model_version: copy } = await ok('POST', 'model-versions/create', {
				name: 'churn-prod',
				source: 'models:/churn-src/1',
				run_id: src.run_id,
				run_link: ''
			});
			expect(copy).toMatchObject({ name: 'churn-prod', version: '1', source: 'models:/churn-src/1', run_id: runId, status: 'READY' });
			// mlflow.artifacts.download_artifacts("models:/churn-prod/1") reads where MLflow's store put it
			expect(await ok('GET', 'model-versions/get-download-uri', { name: 'churn-prod', version: '1' })).toEqual({
				artifact_uri: `${run.info.artifact_uri}/model`
			});
			const missing = await mlflow('POST', 'model-versions/create', { name: 'churn-prod', source: 'models:/churn-src/7' });
			expect(missing.status).toBe(400);
			expect(missing.body.message).toContain("'models:/churn-src/7'");
			expect(missing.body.message).toContain('version=7');
		});
	});
}
