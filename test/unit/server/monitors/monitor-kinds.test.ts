import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { blobPath } from '#server/blobs/content-addressed.ts';
import { getDataset, type DatasetView } from '#server/datasets/service.ts';
import { ApiError } from '#server/http/errors.ts';
import { monitorRoutes } from '#server/monitors/routes.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { deliverDue } from '#server/webhooks/delivery.ts';
import { WebhookSecrets } from '#server/webhooks/secrets.ts';
import { sizeChunks } from '#lib/stats/chunks/index.ts';
import { cbpe } from '#lib/stats/performance/index.ts';
import { reconstructionDrift } from '#lib/stats/multivariate/index.ts';
import { mulberry32 } from '../../../support/mulberry32';
import { startReceiver } from '../../../support/webhook-receiver';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('monitor-kinds.test.ts');

/**
 * Performance (CBPE) and multivariate (PCA reconstruction) monitors through the API, their numbers
 * checked against the statistics library called directly on the same rows; the training run's
 * dataset as a reference (MLflow log_input → server dataset) and its errors; PATCH; and an
 * evaluation's progress and cancel, which leaves nothing saved.
 */

type Answer = { status: number; body: any };

const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A classifier's scored rows: its probability of class 1 (sharper with `sharpness`), and the label drawn from the true probability. */
function scored(seed: number, n: number, sharpness: number, labelled: number): { probability: string; label: string }[] {
	const random = mulberry32(seed);
	return Array.from({ length: n }, (_, i) => {
		const x = normal(random);
		const label = random() < sigmoid(3 * x) ? '1' : '0';
		return { probability: sigmoid(sharpness * x).toFixed(6), label: i < labelled ? label : '' };
	});
}
const scoredCsv = (rows: ReturnType<typeof scored>, withLabel = true) =>
	[withLabel ? 'probability,label' : 'probability', ...rows.map((r) => (withLabel ? `${r.probability},${r.label}` : r.probability))].join('\n') + '\n';

const CLASSES = ['cat', 'dog', 'emu'];
type ClassRow = { p: string[]; pred: string; label: string };

/** A 3-class model's scored rows: each class's probability (softmax, sharper with `sharpness`), its predicted class, the label drawn from the true probabilities. */
function scoredClasses(seed: number, n: number, sharpness: number, labelled: number): ClassRow[] {
	const random = mulberry32(seed);
	const softmax = (z: number[]) => {
		const e = z.map((v) => Math.exp(v - Math.max(...z)));
		const total = e.reduce((a, b) => a + b, 0);
		return e.map((v) => v / total);
	};
	return Array.from({ length: n }, (_, i) => {
		const logits = CLASSES.map(() => 1.5 * normal(random));
		const truth = softmax(logits.map((z) => 2 * z));
		const u = random();
		const label = u < truth[0] ? 0 : u < truth[0] + truth[1] ? 1 : 2;
		const p = softmax(logits.map((z) => sharpness * z)).map((x) => x.toFixed(6));
		const pred = p.indexOf(p.reduce((a, b) => (Number(b) > Number(a) ? b : a)));
		return { p, pred: CLASSES[pred], label: i < labelled ? CLASSES[label] : '' };
	});
}
const classesCsv = (rows: ClassRow[]) => ['p_cat,p_dog,p_emu,pred,label', ...rows.map((r) => `${r.p.join(',')},${r.pred},${r.label}`)].join('\n') + '\n';

/** Multiclass CBPE on the rows as the monitor reads them: classes sorted, labels as their indices, a missing label NaN. */
function expectedMulticlass(reference: ClassRow[], current: ClassRow[], metric: 'f1' | 'roc_auc') {
	const data = (rows: ClassRow[]) => ({
		yPredProba: CLASSES.map((_, k) => Float64Array.from(rows, (r) => Number(r.p[k]))),
		yPred: Float64Array.from(rows, (r) => CLASSES.indexOf(r.pred)),
		yTrue: Float64Array.from(rows, (r) => (r.label === '' ? NaN : CLASSES.indexOf(r.label)))
	});
	const result = cbpe(data(reference), data(current), { metrics: [metric], chunks: windowChunks, classNames: CLASSES });
	const series = result.metrics[metric];
	return { ...series[series.length - 1], needs_calibration: result.needs_calibration };
}

/** Features a, b (b follows a unless `broken`), and a plan; as text, as a CSV holds them. */
function features(seed: number, n: number, broken: boolean): { a: string; b: string; plan: string }[] {
	const random = mulberry32(seed);
	return Array.from({ length: n }, () => {
		const a = normal(random);
		const b = broken ? normal(random) : 0.9 * a + 0.44 * normal(random);
		return { a: a.toFixed(6), b: b.toFixed(6), plan: random() < 0.3 ? 'premium' : 'basic' };
	});
}
const featuresCsv = (rows: ReturnType<typeof features>) => ['a,b,plan', ...rows.map((r) => `${r.a},${r.b},${r.plan}`)].join('\n') + '\n';

const REFERENCE_ROWS = 4000;
const WINDOW_ROWS = 500;
const windowChunks = { reference: sizeChunks(REFERENCE_ROWS, WINDOW_ROWS, 'drop'), analysis: sizeChunks(WINDOW_ROWS, WINDOW_ROWS) };

/** CBPE on the rows as the monitor reads them: prediction = probability ≥ 0.5, a missing label NaN. */
function expectedCbpe(reference: ReturnType<typeof scored>, current: ReturnType<typeof scored>, withLabel: boolean) {
	const data = (rows: ReturnType<typeof scored>, labels: boolean) => {
		const p = Float64Array.from(rows, (r) => Number(r.probability));
		return {
			yPredProba: p,
			yPred: Float64Array.from(p, (x) => (x >= 0.5 ? 1 : 0)),
			yTrue: labels ? Float64Array.from(rows, (r) => (r.label === '' ? NaN : Number(r.label))) : null
		};
	};
	const series = cbpe(data(reference, true), data(current, withLabel), { metrics: ['roc_auc'], chunks: windowChunks }).metrics.roc_auc;
	return series[series.length - 1];
}

function expectedReconstruction(reference: ReturnType<typeof features>, current: ReturnType<typeof features>) {
	const table = (rows: ReturnType<typeof features>) => ({
		a: Float64Array.from(rows, (r) => Number(r.a)),
		b: Float64Array.from(rows, (r) => Number(r.b)),
		plan: rows.map((r) => r.plan)
	});
	const { chunks } = reconstructionDrift(table(reference), table(current), { features: ['a', 'b', 'plan'], chunks: windowChunks });
	return chunks[chunks.length - 1];
}

const scoredReference = scored(11, REFERENCE_ROWS, 3, REFERENCE_ROWS);
const scoredSteady = scored(12, WINDOW_ROWS, 3, 200); // labels on 200 rows arrived
const scoredBlunt = scored(13, WINDOW_ROWS, 0.3, 0); // the model barely separates the classes any more
const classReference = scoredClasses(31, REFERENCE_ROWS, 2, REFERENCE_ROWS);
const classSteady = scoredClasses(32, WINDOW_ROWS, 2, 150);
const classBlunt = scoredClasses(33, WINDOW_ROWS, 0.2, 0); // the model barely tells the classes apart
const featureReference = features(21, REFERENCE_ROWS, false);
const featureSteady = features(22, WINDOW_ROWS, false);
const featureBroken = features(23, WINDOW_ROWS, true);

for (const factory of targets) {
	describe.runIf(factory.enabled)(`monitor kinds on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let secrets: WebhookSecrets;
		let app: Hono;
		let receiver: Awaited<ReturnType<typeof startReceiver>>;
		const clock = { t: Date.parse('2026-03-01T00:00:00Z'), now: () => clock.t };
		const ids: Record<string, string> = {};

		async function call(method: string, path: string, body?: unknown, on: Hono = app): Promise<Answer> {
			const res = await on.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}
		const mlflow = async (method: string, endpoint: string, body?: unknown) => {
			const res = await call(method, `/api/2.0/mlflow/${endpoint}`, body);
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			return res.body;
		};
		async function upload(name: string, text: string): Promise<string> {
			const res = await app.request(`/api/datasets?name=${name}&format=csv`, { method: 'POST', body: text });
			expect(res.status).toBe(201);
			return ((await res.json()) as any).dataset.id;
		}
		async function create(body: Record<string, unknown>): Promise<any> {
			const res = await call('POST', '/api/monitors', { model_name: 'churn', ...body });
			expect(res.status, JSON.stringify(res.body)).toBe(201);
			return res.body.monitor;
		}
		const evaluate = (id: string) => call('POST', `/api/monitors/${id}/evaluate`);
		/** A run of experiment `training` that logged `inputs`, registered as a new version of churn; answers the version. */
		async function trainedVersion(inputs: { name: string; source?: string; context?: string }[]): Promise<string> {
			const experiment = (await call('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=training')).body.experiment?.experiment_id;
			const experimentId = experiment ?? (await mlflow('POST', 'experiments/create', { name: 'training' })).experiment_id;
			const run = (await mlflow('POST', 'runs/create', { experiment_id: experimentId, start_time: Date.now() + 60_000 })).run.info.run_id;
			await mlflow('POST', 'runs/log-inputs', {
				run_id: run,
				datasets: inputs.map((input, i) => ({
					dataset: {
						name: input.name,
						digest: `d${i}`,
						source_type: 'local',
						source: input.source ?? JSON.stringify({ uri: `file:///data/${input.name}.csv` })
					},
					tags: input.context ? [{ key: 'mlflow.data.context', value: input.context }] : []
				}))
			});
			return (await mlflow('POST', 'model-versions/create', { name: 'churn', source: `runs:/${run}/model`, run_id: run })).model_version.version;
		}

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			secrets = new WebhookSecrets({ dataDir: target.dir, env: {} });
			app = createApp({
				store,
				version: 'test',
				auth: false,
				clock,
				artifactRoot: join(target.dir, 'artifacts'),
				webhooks: { allowedSchemes: ['http'], secrets }
			});
			receiver = await startReceiver();
			ids.scoredReference = await upload('scored-reference', scoredCsv(scoredReference));
			ids.scoredSteady = await upload('scored-steady', scoredCsv(scoredSteady));
			ids.scoredBlunt = await upload('scored-blunt', scoredCsv(scoredBlunt, false));
			ids.classReference = await upload('classes-reference', classesCsv(classReference));
			ids.classSteady = await upload('classes-steady', classesCsv(classSteady));
			ids.classBlunt = await upload('classes-blunt', classesCsv(classBlunt));
			ids.featureReference = await upload('churn-train', featuresCsv(featureReference));
			ids.featureSteady = await upload('features-steady', featuresCsv(featureSteady));
			ids.featureBroken = await upload('features-broken', featuresCsv(featureBroken));
			await mlflow('POST', 'registered-models/create', { name: 'churn' });
			for (const v of [1, 2]) await mlflow('POST', 'model-versions/create', { name: 'churn', source: `s3://b/churn/${v}` });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '1' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '2' });
			await mlflow('POST', 'webhooks', { name: 'retrain', url: receiver.url, secret: 'k', events: [{ entity: 'MONITOR', action: 'ALERTED' }] });
		});
		afterAll(async () => {
			await receiver?.close();
			await store?.close();
			await target?.dispose();
		});

		it('estimates performance with CBPE: quiet with realized labels on a steady window, an alert, webhook and rollback when the model blunts', async () => {
			const m = await create({
				name: 'auc-watch',
				kind: 'performance',
				alias: 'canary',
				rollback: true,
				reference_dataset_id: ids.scoredReference,
				current_dataset_id: ids.scoredSteady,
				performance: { probability: 'probability', target: 'label', metric: 'roc_auc' }
			});
			expect(m).toMatchObject({ kind: 'performance', performance: { probability: 'probability', target: 'label', metric: 'roc_auc' } });
			const quiet = await evaluate(m.id);
			expect(quiet.status, JSON.stringify(quiet.body)).toBe(200);
			const calm = expectedCbpe(scoredReference, scoredSteady, true);
			expect(calm.alert).toBe(false);
			expect(quiet.body.evaluation).toMatchObject({
				kind: 'performance',
				alerted: false,
				value: calm.value,
				upper_threshold: calm.upper_threshold,
				lower_threshold: calm.lower_threshold,
				share: null,
				rollback: null,
				report: { kind: 'performance', metric: 'roc_auc', rows: WINDOW_ROWS, reference_chunks: 8, realized: calm.realized, labelled_rows: 200 }
			});
			expect(Number.isFinite(calm.realized)).toBe(true);

			// The model version watched now scores the blunt window: PATCH points the monitor at it.
			const patched = await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: ids.scoredBlunt });
			expect(patched.status, JSON.stringify(patched.body)).toBe(200);
			const loud = await evaluate(m.id);
			const blunt = expectedCbpe(scoredReference, scoredBlunt, false);
			expect(blunt.alert).toBe(true);
			expect(loud.body.evaluation).toMatchObject({
				alerted: true,
				value: blunt.value,
				lower_threshold: blunt.lower_threshold,
				report: { realized: null, labelled_rows: 0 }
			});
			expect(loud.body.evaluation.rollback).toMatchObject({ rolled_back: true, alias: 'canary', from_version: '2', to_version: '1' });
			const [last] = (await call('GET', '/api/registry/models/churn/aliases/canary/history')).body.history;
			expect(last.reason).toMatch(/^monitor auc-watch alerted: estimated roc_auc 0\.\d+ outside the reference's thresholds/);

			const run = (await mlflow('GET', `runs/get?run_id=${loud.body.evaluation.run_id}`)).run;
			const metric = (key: string) => run.data.metrics.find((x: any) => x.key === key)?.value;
			expect(metric('estimated_roc_auc')).toBe(blunt.value);
			expect(metric('lower_threshold')).toBe(blunt.lower_threshold);
			expect(metric('alert')).toBe(1);
			expect(run.data.tags.find((t: any) => t.key === 'driftbook.monitor_kind').value).toBe('performance');

			receiver.received.length = 0;
			await deliverDue({ store, clock, secrets });
			const sent = receiver.received.map((r) => JSON.parse(r.body));
			expect(sent.map((b) => `${b.entity}.${b.action}`)).toEqual(['monitor.alerted']);
			expect(sent[0].data).toMatchObject({
				monitor_kind: 'performance',
				metric: 'roc_auc',
				estimated: blunt.value,
				value: blunt.value,
				realized: null,
				rows: WINDOW_ROWS
			});
			expect(sent[0].data.rollback).toMatchObject({ rolled_back: true, to_version: '1' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '2' });
		});

		it("estimates a multiclass model's performance with CBPE from a class → probability column mapping, as the library does", async () => {
			const performance = { probability: { emu: 'p_emu', cat: 'p_cat', dog: 'p_dog' }, prediction: 'pred', target: 'label', metric: 'f1' };
			const refusal = async (body: Record<string, unknown>, field: RegExp) => {
				const res = await call('POST', '/api/monitors', {
					model_name: 'churn',
					name: 'refused',
					kind: 'performance',
					reference_dataset_id: ids.classReference,
					current_dataset_id: ids.classSteady,
					performance: { ...performance, ...body }
				});
				expect(res.status, JSON.stringify(res.body)).toBe(400);
				expect(res.body.error.message).toMatch(field);
			};
			await refusal({ probability: { cat: 'p_cat' } }, /performance\.probability/);
			await refusal({ probability: { cat: 'p_cat', dog: '' } }, /performance\.probability/);
			await refusal({ probability: 'cat=p_cat, dog=p_dog' }, /\{class: column\}[\s\S]*performance\.probability/);
			await refusal({ prediction: undefined }, /performance\.prediction/);
			await refusal({ cutoff: 0.4 }, /performance\.cutoff/);

			const m = await create({
				name: 'classes-f1',
				kind: 'performance',
				reference_dataset_id: ids.classReference,
				current_dataset_id: ids.classSteady,
				performance
			});
			expect(m.performance).toEqual(performance);
			const steady = expectedMulticlass(classReference, classSteady, 'f1');
			const blunt = expectedMulticlass(classReference, classBlunt, 'f1');
			expect([steady.alert, blunt.alert]).toEqual([false, true]);
			const quiet = await evaluate(m.id);
			expect(quiet.status, JSON.stringify(quiet.body)).toBe(200);
			expect(quiet.body.evaluation).toMatchObject({
				kind: 'performance',
				alerted: false,
				value: steady.value,
				upper_threshold: steady.upper_threshold,
				lower_threshold: steady.lower_threshold,
				report: {
					metric: 'f1',
					classes: CLASSES,
					rows: WINDOW_ROWS,
					sampling_error: steady.sampling_error,
					needs_calibration: steady.needs_calibration,
					realized: steady.realized,
					labelled_rows: 150
				}
			});
			await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: ids.classBlunt });
			const loud = (await evaluate(m.id)).body.evaluation;
			expect(loud).toMatchObject({ alerted: true, value: blunt.value, lower_threshold: blunt.lower_threshold, report: { realized: null, labelled_rows: 0 } });
			const run = (await mlflow('GET', `runs/get?run_id=${loud.run_id}`)).run;
			expect(run.data.metrics.find((x: any) => x.key === 'estimated_f1').value).toBe(blunt.value);
			expect(run.data.params.find((x: any) => x.key === 'probability').value).toBe('cat=p_cat, dog=p_dog, emu=p_emu');

			// Its notebook reruns it in a multiclass performance cell.
			const created = await call('POST', `/api/monitors/${m.id}/evaluations/${loud.id}/notebook`);
			const source = (await call('GET', `/api/notebooks/${created.body.notebook.slug}`)).body.notebook.source as string;
			expect(source).toContain('probability: cat=p_cat, dog=p_dog, emu=p_emu\nprediction: pred\ntarget: label\nmetrics: f1\n```');

			// A label outside the mapping's classes names the dataset, column and row.
			const other = await upload('classes-other', classesCsv(classSteady).replace(',dog,', ',fox,'));
			await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: other });
			const unknown = await evaluate(m.id);
			expect(unknown.status).toBe(422);
			expect(unknown.body.error.message).toMatch(/column "pred" holds class "fox", not one of the classes in performance\.probability \(cat, dog, emu\)/);
		});

		it('measures multivariate drift by PCA reconstruction: quiet while b follows a, an alert once it does not', async () => {
			const m = await create({ name: 'joint', kind: 'multivariate', reference_dataset_id: ids.featureReference, current_dataset_id: ids.featureSteady });
			const steady = expectedReconstruction(featureReference, featureSteady);
			const broken = expectedReconstruction(featureReference, featureBroken);
			expect([steady.alert, broken.alert]).toEqual([false, true]);
			const quiet = (await evaluate(m.id)).body.evaluation;
			expect(quiet).toMatchObject({
				kind: 'multivariate',
				alerted: false,
				value: steady.value,
				upper_threshold: steady.upper_threshold,
				report: { features: ['a', 'b', 'plan'] }
			});
			await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: ids.featureBroken });
			const loud = (await evaluate(m.id)).body.evaluation;
			expect(loud).toMatchObject({ alerted: true, value: broken.value, upper_threshold: broken.upper_threshold, lower_threshold: broken.lower_threshold });
			const run = (await mlflow('GET', `runs/get?run_id=${loud.run_id}`)).run;
			expect(run.data.metrics.find((x: any) => x.key === 'reconstruction_error').value).toBe(broken.value);

			// Its notebook reruns the analysis in a multivariate cell, the window as one chunk.
			const created = await call('POST', `/api/monitors/${m.id}/evaluations/${loud.id}/notebook`);
			const source = (await call('GET', `/api/notebooks/${created.body.notebook.slug}`)).body.notebook.source as string;
			expect(source).toContain('```multivariate name=multivariate\nreference: reference\nanalysis: current\nchunk: 500 rows\nfeatures: a, b, plan\n```');
		});

		it("takes the training run's dataset (log_input) as the reference, by name or by a server: source, and says which link is missing", async () => {
			const byName = await trainedVersion([
				{ name: 'churn-train', context: 'training' },
				{ name: 'holdout', context: 'evaluation' }
			]);
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'trained', version: byName });
			const m = await create({
				name: 'from-training',
				kind: 'multivariate',
				alias: 'trained',
				reference_training_run: true,
				current_dataset_id: ids.featureBroken
			});
			expect(m).toMatchObject({ reference_training_run: true, reference_dataset_id: null });
			const evaluation = (await evaluate(m.id)).body.evaluation;
			expect(evaluation).toMatchObject({ reference_dataset_id: ids.featureReference, value: expectedReconstruction(featureReference, featureBroken).value });

			// A source naming a server dataset by id wins over the name; the alias moving moves the reference.
			const retrained = await upload('retrained', featuresCsv(featureReference));
			const byId = await trainedVersion([{ name: 'anything', source: JSON.stringify({ uri: `server:${retrained}` }) }]);
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'trained', version: byId });
			expect((await evaluate(m.id)).body.evaluation.reference_dataset_id).toBe(retrained);

			const refused = async (alias: string, version: string) => {
				await mlflow('POST', 'registered-models/alias', { name: 'churn', alias, version });
				const res = await call('POST', '/api/monitors', {
					name: 'r',
					model_name: 'churn',
					alias,
					reference_training_run: true,
					current_dataset_id: ids.featureSteady
				});
				expect(res.status).toBe(422);
				return res.body.error.message as string;
			};
			expect(await refused('untrained', '1')).toMatch(/model churn version 1 has no run_id/);
			const bare = await trainedVersion([]);
			expect(await refused('bare', bare)).toMatch(new RegExp(`run [0-9a-f]{32} \\(model churn version ${bare}\\) logged no dataset inputs`));
			const unknown = await trainedVersion([{ name: 'not-uploaded', context: 'training' }]);
			expect(await refused('unknown', unknown)).toMatch(/logged dataset "not-uploaded" \(digest d0\), and no server dataset is named "not-uploaded"/);
			const two = await trainedVersion([{ name: 'churn-train' }, { name: 'holdout' }]);
			expect(await refused('two', two)).toMatch(
				/logged 2 datasets \("churn-train" \(digest d0\), "holdout" \(digest d1\)\); log the training one with context "training"/
			);
		});

		it('edits a monitor with PATCH, checking the merged monitor and naming the field at fault', async () => {
			const m = await create({
				name: 'editable',
				reference_dataset_id: ids.featureReference,
				current_dataset_id: ids.featureSteady,
				alias: 'canary',
				rollback: true
			});
			const refusal = async (patch: unknown, field: RegExp) => {
				const res = await call('PATCH', `/api/monitors/${m.id}`, patch);
				expect(res.status, JSON.stringify(res.body)).toBe(400);
				expect(res.body.error.message).toMatch(field);
			};
			await refusal({ alert_share: 2 }, /alert_share/);
			await refusal({ model_name: 'other' }, /model_name/);
			await refusal({ kind: 'performance' }, /performance/);
			await refusal({ alias: null }, /rollback/);
			await refusal({ window_seconds: 3600 }, /window_seconds/);
			clock.t += 1000;
			const changed = await call('PATCH', `/api/monitors/${m.id}`, { name: 'edited', alert_share: 0.25, schedule_seconds: 3600, rollback: false, alias: null });
			expect(changed.status, JSON.stringify(changed.body)).toBe(200);
			expect(changed.body.monitor).toMatchObject({
				name: 'edited',
				alert_share: 0.25,
				schedule_seconds: 3600,
				next_run_at: clock.t + 3_600_000,
				alias: null,
				rollback: false
			});
			expect((await call('GET', `/api/monitors/${m.id}`)).body.monitor).toEqual(changed.body.monitor);
			// The current dataset: another stored version, the prediction log by name (the id goes), and back.
			await refusal({ current_dataset_id: 'yesterday' }, /current_dataset_id/);
			const missing = await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: '00000000-0000-4000-8000-000000000000' });
			expect(missing.status).toBe(404);
			expect(missing.body.error.message).toMatch(/^current_dataset_id: dataset 00000000-0000-4000-8000-000000000000 not found/);
			await refusal({ current_dataset_name: 'churn-latest' }, /current_dataset_name/);
			await refusal({ current_dataset_id: ids.featureBroken, current_dataset_name: 'predictions/churn' }, /current_dataset_id/);
			const other = await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: ids.featureBroken });
			expect(other.body.monitor).toMatchObject({ current_dataset_id: ids.featureBroken, current_dataset_name: null });
			const logged = await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_name: 'predictions/churn', current_routes: ['canary'] });
			expect(logged.status, JSON.stringify(logged.body)).toBe(200);
			expect(logged.body.monitor).toMatchObject({ current_dataset_id: null, current_dataset_name: 'predictions/churn', current_routes: ['canary'] });
			// Routes filter a prediction log only: back to a stored version, they go too or are refused.
			await refusal({ current_dataset_id: ids.featureSteady }, /current_routes/);
			const back = await call('PATCH', `/api/monitors/${m.id}`, { current_dataset_id: ids.featureSteady, current_routes: null });
			expect(back.body.monitor).toMatchObject({ current_dataset_id: ids.featureSteady, current_dataset_name: null, current_routes: null });
			expect((await call('GET', `/api/monitors/${m.id}`)).body.monitor).toEqual(back.body.monitor);

			// Naming the training run as the reference drops the stored one.
			const trained = await call('PATCH', `/api/monitors/${m.id}`, { reference_training_run: true, alias: 'trained' });
			expect(trained.body.monitor).toMatchObject({ reference_training_run: true, reference_dataset_id: null, alias: 'trained' });
		});

		it('reports an evaluation’s progress and cancels it without saving anything', async () => {
			// The current data comes from a view that waits for the test to let it read, so the cancel
			// lands while the evaluation is running, whatever the machine's speed.
			let release!: () => void;
			const gate = new Promise<void>((resolve) => (release = resolve));
			const root = join(target.dir, 'artifacts');
			const gated: DatasetView = {
				prefix: 'predictions/',
				async describe() {
					await gate;
					const dataset = await getDataset(store, ids.featureBroken);
					return { dataset, file: blobPath(root, dataset.sha256) };
				},
				find: async () => undefined
			};
			const monitors = new Hono()
				.route('/api/monitors', monitorRoutes({ store, artifactRoot: root, clock, views: [gated] }))
				.onError((error, c) => c.json({ error: { code: (error as ApiError).code, message: error.message } }, (error as ApiError).status ?? 500));
			const m = await create({ name: 'slow', kind: 'multivariate', reference_dataset_id: ids.featureReference, current_dataset_name: 'predictions/churn' });

			expect((await call('GET', `/api/monitors/${m.id}/progress`, undefined, monitors)).body.progress).toBeNull();
			const pending = call('POST', `/api/monitors/${m.id}/evaluate`, undefined, monitors);
			let progress = null;
			while (progress === null) progress = (await call('GET', `/api/monitors/${m.id}/progress`, undefined, monitors)).body.progress;
			expect(progress).toMatchObject({ monitor_id: m.id, trigger: 'manual', cancellable: true, cancelling: false });
			expect(progress.fraction).toBeGreaterThan(0);
			expect(progress.fraction).toBeLessThan(1);
			// A second evaluation of the same monitor waits its turn.
			expect((await call('POST', `/api/monitors/${m.id}/evaluate`, undefined, monitors)).status).toBe(409);

			const cancelled = await call('POST', `/api/monitors/${m.id}/evaluate/cancel`, undefined, monitors);
			expect(cancelled.status).toBe(200);
			expect(cancelled.body.progress).toMatchObject({ cancelling: true });
			release();
			const answer = await pending;
			expect(answer.status).toBe(409);
			expect(answer.body.error).toMatchObject({ code: 'cancelled', message: 'the evaluation of monitor slow was cancelled; nothing was saved' });
			expect((await call('GET', `/api/monitors/${m.id}/evaluations`)).body.evaluations).toEqual([]);
			const [runs] = await store.query<{ n: number | string }>(`SELECT count(*) AS n FROM mlflow_run_tags WHERE key = 'driftbook.monitor_id' AND value = $1`, [
				m.id
			]);
			expect(Number(runs.n)).toBe(0);
			expect((await call('GET', `/api/monitors/${m.id}/progress`, undefined, monitors)).body.progress).toBeNull();
			expect((await call('POST', `/api/monitors/${m.id}/evaluate/cancel`, undefined, monitors)).status).toBe(409);

			// Nothing was left behind: the next evaluation runs and saves whole.
			const next = await call('POST', `/api/monitors/${m.id}/evaluate`, undefined, monitors);
			expect(next.status, JSON.stringify(next.body)).toBe(200);
			expect((await call('GET', `/api/monitors/${m.id}/evaluations`)).body.evaluations).toHaveLength(1);
		});
	});
}
