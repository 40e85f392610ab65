/**
 * Serving registry models in the server process: a request names a model by alias or version;
 * the alias resolves once per request (aliases.ts: a moved alias answers from the next request
 * on, each request from one version), the version's session is warm in the ModelCache, the
 * model's routing rule may send it to the canary and score it in the shadow too. Every scoring is
 * logged (prediction-log.ts) and counted (metrics.ts).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { AliasVersions } from './aliases';
import { ModelCache, type ServedModel } from './models';
import { PredictionLog, sampled, type PredictionLogOptions } from './prediction-log';
import { ServingMetrics, type ErrorKind } from './metrics';
import { chooseRoute, RoutingRules } from './routing';
import { InputError, inputTensor, parseScoringBody, predictions, rowInputs, rowOutputs, type ScoringRows } from './scoring';
import { ApiError } from '#server/http/errors.ts';
import { MlflowError } from '#server/mlflow/errors.ts';
import { getRegisteredModel } from '#server/model-registry/registered-models.ts';
import type { Store } from '#server/store/index.ts';

/** What a request names: `<name>@<alias>` or `<name>/<version>`. */
export type ServingTarget = { name: string; alias: string } | { name: string; version: string };

export interface Scored {
	requestId: string;
	name: string;
	version: string;
	/** `primary` or `canary` under a routing rule, else `direct`. */
	route: string;
	predictions: unknown;
}

export interface ServingOptions {
	store: Store;
	artifactRoot: string;
	log: PredictionLogOptions;
	/** Decides canary routing for requests without a routing key; default Math.random. */
	random?: () => number;
}

/** A registry or input failure as the API's error, with its kind for the metrics. */
function asApiError(error: unknown): { error: unknown; kind: ErrorKind } {
	if (error instanceof InputError) return { error: new ApiError(error.status, 'invalid_input', error.message), kind: 'input' };
	if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST')
		return { error: new ApiError(404, 'not_found', error.message), kind: 'not_found' };
	if (error instanceof ApiError) return { error, kind: error.status === 404 ? 'not_found' : error.status < 500 ? 'input' : 'model' };
	return { error, kind: 'internal' };
}

async function run(model: ServedModel, tensor: Tensor): Promise<InferenceSession.OnnxValueMapType> {
	try {
		return await model.session.run({ [model.input.name]: tensor });
	} catch (error) {
		throw new ApiError(500, 'model_failed', `model ${model.name} version ${model.version} failed on the input: ${(error as Error).message}`);
	}
}

export class Serving {
	readonly models: ModelCache;
	readonly rules: RoutingRules;
	readonly log: PredictionLog;
	readonly metrics = new ServingMetrics();
	readonly #store: Store;
	readonly #random: () => number;
	readonly #shadows = new Set<Promise<void>>();
	readonly #aliases: AliasVersions;

	constructor(options: ServingOptions) {
		this.#store = options.store;
		this.models = new ModelCache(options.store, options.artifactRoot);
		this.rules = new RoutingRules(options.store);
		this.log = new PredictionLog(options.log);
		this.#random = options.random ?? Math.random;
		this.#aliases = new AliasVersions(options.store);
	}

	#aliasVersion(name: string, alias: string): Promise<string | undefined> {
		return this.#aliases.version(name, alias);
	}

	/** The version that answers, the route it took, and the shadow alias that scores too. */
	async #resolve(target: ServingTarget, routingKey: string | undefined): Promise<{ version: string; route: string; shadow?: string }> {
		if ('version' in target) return { version: target.version, route: 'direct' };
		const rule = await this.rules.get(target.name);
		const underRule = rule?.primary === target.alias;
		const route = underRule ? chooseRoute(target.name, rule, routingKey, this.#random) : 'direct';
		// A canary alias that was removed sends its share back to the primary.
		const canary = route === 'canary' ? await this.#aliasVersion(target.name, rule!.canary!.alias) : undefined;
		if (canary) return { version: canary, route, shadow: rule?.shadow };
		const version = await this.#aliasVersion(target.name, target.alias);
		if (!version) {
			await getRegisteredModel(this.#store, target.name); // 404 for an unknown model
			throw new ApiError(404, 'not_found', `model ${target.name} has no alias ${target.alias}`);
		}
		return { version, route: underRule ? 'primary' : 'direct', shadow: underRule ? rule?.shadow : undefined };
	}

	#logRows(requestId: string, model: ServedModel, route: string, rows: ScoringRows, outputs: Array<Record<string, unknown>>, ms: number, time: number) {
		this.log.append({
			request_id: requestId,
			time,
			model: model.name,
			version: model.version,
			route,
			inputs: sampled(requestId, this.log.inputSample) ? rowInputs(rows) : null,
			outputs,
			latency_ms: ms
		});
	}

	/** Scores one request; throws ApiError (4xx for input that does not fit, 404 for an unknown model, alias or version). */
	async invoke(target: ServingTarget, body: unknown, options: { requestId?: string; routingKey?: string } = {}): Promise<Scored> {
		const started = performance.now();
		const time = Date.now();
		const requestId = options.requestId ?? randomUUID();
		let labels = { model: target.name, version: 'none', route: 'direct' };
		try {
			const rows = parseScoringBody(body);
			const { version, route, shadow } = await this.#resolve(target, options.routingKey);
			labels = { model: target.name, version, route };
			const model = await this.models.get(target.name, version);
			const tensor = inputTensor(model, rows);
			const outputs = rowOutputs(await run(model, tensor), tensor.dims[0]);
			const seconds = (performance.now() - started) / 1000;
			this.metrics.scored(labels, outputs.length, seconds);
			this.#logRows(requestId, model, route, rows, outputs, seconds * 1000, time);
			if (shadow) this.#shadow(target.name, shadow, rows, requestId, time);
			return { requestId, name: target.name, version, route, predictions: predictions(rows, outputs) };
		} catch (caught) {
			const { error, kind } = asApiError(caught);
			// Unknown models and versions are counted under one label: a caller must not grow the metrics at will.
			const counted = kind === 'not_found' ? { model: 'unknown', version: 'none', route: labels.route } : labels;
			this.metrics.failed({ ...counted, status: error instanceof ApiError ? error.status : 500 }, kind);
			throw error;
		}
	}

	/** Scores the request on the shadow alias after the answer; logged and counted, never returned. */
	#shadow(name: string, alias: string, rows: ScoringRows, requestId: string, time: number): void {
		const labels = { model: name, version: 'none', route: 'shadow' };
		const started = performance.now();
		const task = (async () => {
			const version = await this.#aliasVersion(name, alias);
			if (!version) throw new ApiError(404, 'not_found', `model ${name} has no alias ${alias} (its shadow)`);
			labels.version = version;
			const model = await this.models.get(name, version);
			const tensor = inputTensor(model, rows);
			const outputs = rowOutputs(await run(model, tensor), tensor.dims[0]);
			const seconds = (performance.now() - started) / 1000;
			this.metrics.scored(labels, outputs.length, seconds);
			this.#logRows(requestId, model, 'shadow', rows, outputs, seconds * 1000, time);
		})().catch((caught: unknown) => {
			const { error, kind } = asApiError(caught);
			this.metrics.failed({ ...labels, status: error instanceof ApiError ? error.status : 500 }, kind);
			console.error(`[serving] shadow ${name}@${alias} failed on request ${requestId}: ${(error as Error).message}`);
		});
		this.#shadows.add(task);
		void task.finally(() => this.#shadows.delete(task));
	}

	/** Resolves when every shadow scoring started so far has finished (tests, shutdown). */
	async idle(): Promise<void> {
		while (this.#shadows.size > 0) await Promise.all([...this.#shadows]);
	}

	/** The model's existence, for routes that configure it (404 otherwise). */
	async requireModel(name: string): Promise<void> {
		try {
			await getRegisteredModel(this.#store, name);
		} catch (caught) {
			throw asApiError(caught).error;
		}
	}

	async close(): Promise<void> {
		this.#aliases.close();
		await this.idle();
		await this.log.close();
		await this.models.close();
	}
}
