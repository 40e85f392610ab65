import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Serving, ServingTarget } from './service';
import { ApiError } from '#server/http/errors.ts';
import { readBody, validate, validBody } from '#server/http/validate.ts';
import { aliasName, modelName, versionNumber } from '#server/model-registry/path-params.ts';
import {
	feedbackSchema,
	REQUEST_ID_HEADER,
	ROUTING_KEY_HEADER,
	routingRuleSchema,
	SERVED_VERSION_HEADER,
	SERVED_ROUTE_HEADER
} from '#lib/contracts/serving.ts';

// A caller's request id becomes a log key and a header: printable, bounded.
const requestId = z
	.string()
	.regex(/^[\x21-\x7e]{1,200}$/, 'expected 1 to 200 printable ASCII characters')
	.optional();

/** /serve: MLflow's scoring protocol on registry models, their routing rules and feedback. */
export function servingRoutes(serving: Serving): Hono {
	const name = (c: Context) => validate(modelName, c.req.param('name'), 'model name');

	async function invoke(c: Context, target: ServingTarget) {
		const id = validate(requestId, c.req.header(REQUEST_ID_HEADER), `${REQUEST_ID_HEADER} header`);
		const body = await readBody(c);
		const scored = await serving.invoke(target, body, { requestId: id, routingKey: c.req.header(ROUTING_KEY_HEADER) });
		// Headers as a plain object: the node adapter writes them as they are, where `c.json` with
		// more than one header builds (and validates) a Headers object on every answer.
		return new Response(JSON.stringify({ predictions: scored.predictions }), {
			status: 200,
			headers: {
				'content-type': 'application/json',
				[SERVED_VERSION_HEADER]: scored.version,
				[SERVED_ROUTE_HEADER]: scored.route,
				[REQUEST_ID_HEADER]: scored.requestId
			}
		});
	}

	return new Hono()
		.post('/models/:target/invocations', (c) => {
			const target = c.req.param('target');
			const at = target.lastIndexOf('@');
			if (at < 0)
				throw new ApiError(400, 'invalid_request', `expected models/<name>@<alias>/invocations or models/<name>/<version>/invocations, got models/${target}`);
			return invoke(c, {
				name: validate(modelName, target.slice(0, at), 'model name'),
				alias: validate(aliasName, target.slice(at + 1), 'alias')
			});
		})
		.post('/models/:name/:version/invocations', (c) => invoke(c, { name: name(c), version: validate(versionNumber, c.req.param('version'), 'version') }))
		.get('/models/:name/routing', async (c) => {
			const model = name(c);
			await serving.requireModel(model);
			return c.json({ name: model, rule: (await serving.rules.get(model)) ?? null });
		})
		.put('/models/:name/routing', async (c) => {
			const model = name(c);
			const rule = await validBody(c, routingRuleSchema, 'routing rule');
			await serving.requireModel(model);
			await serving.rules.setRule(model, rule);
			return c.json({ name: model, rule });
		})
		.post('/models/:name/routing/stop-canary', async (c) => {
			const model = name(c);
			await serving.requireModel(model);
			return c.json({ name: model, rule: (await serving.rules.clearCanary(model)) ?? null });
		})
		.delete('/models/:name/routing', async (c) => {
			const model = name(c);
			await serving.requireModel(model);
			return c.json({ name: model, removed: await serving.rules.clearRule(model) });
		})
		.post('/models/:name/feedback', async (c) => {
			const model = name(c);
			const feedback = await validBody(c, feedbackSchema, 'feedback');
			await serving.requireModel(model);
			serving.log.feedback(model, feedback.request_id, feedback.label);
			return c.json({ name: model, request_id: feedback.request_id }, 202);
		});
}

/** GET /metrics: Prometheus's text format. */
export function metricsRoutes(serving: Serving): Hono {
	return new Hono().get('/', async (c) => {
		const { body, contentType } = await serving.metrics.exposition();
		return c.body(body, 200, { 'content-type': contentType });
	});
}
