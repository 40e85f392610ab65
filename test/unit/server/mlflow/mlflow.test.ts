import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '#server/app.ts';
import { targets, warnIfPostgresSkipped } from '../targets';
import { artifactsSuite } from './artifacts.suite';
import { clientFlowsSuite } from './client-flows.suite';
import { experimentsSuite } from './experiments.suite';
import { call, client, openHarness, type SuiteContext } from './helpers';
import { loggedModelsSuite } from './logged-models.suite';
import { registrySuite } from './registry.suite';
import { runsSuite } from './runs.suite';
import { unreachableStore } from '../../../support/unreachable-store';

warnIfPostgresSkipped('mlflow/mlflow.test.ts');

// One database per store kind for all the MLflow suites: opening a fresh PGlite costs seconds,
// so the suites share it (each names its own experiments, models and artifact paths).
for (const factory of targets) {
	describe.runIf(factory.enabled)(`MLflow REST API on ${factory.kind}`, () => {
		const ctx = {} as SuiteContext;
		beforeAll(async () => {
			ctx.h = await openHarness(factory);
			ctx.api = client(ctx.h.app);
		});
		afterAll(async () => {
			await ctx.h?.close();
		});

		experimentsSuite(ctx);
		runsSuite(ctx);
		registrySuite(ctx);
		loggedModelsSuite(ctx);
		artifactsSuite(ctx);
		clientFlowsSuite(ctx);
	});
}

describe('MLflow API when the store fails', () => {
	const broken = unreachableStore();
	const app = createApp({ store: broken, version: '0.0.0-test', artifactRoot: '/nonexistent' });

	it('answers 500 INTERNAL_ERROR JSON without internals (never for expected errors)', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await call(app, 'GET', 'experiments/get', { experiment_id: '0' });
		const calls = logged.mock.calls.length;
		logged.mockRestore();
		expect(res.status).toBe(500);
		expect(res.body).toEqual({ error_code: 'INTERNAL_ERROR', message: 'internal server error' });
		expect(calls).toBe(1);
		// Input errors are still answered before the store is touched.
		expect((await call(app, 'GET', 'experiments/get', {})).status).toBe(400);
		expect((await call(app, 'GET', 'no/such/endpoint')).status).toBe(404);
	});
});
