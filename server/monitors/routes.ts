import { Hono } from 'hono';
import { z } from 'zod';
import { currentActor } from '#server/auth/principal.ts';
import { readBody, validate, validBody } from '#server/http/validate.ts';
import { createNotebook } from '#server/notebooks/service.ts';
import { evaluateMonitor, type MonitorDeps } from './evaluate';
import { evaluationNotebookSource } from './notebook';
import { cancelEvaluation, evaluationProgress } from './progress';
import { createMonitor, deleteMonitor, getEvaluation, getMonitor, listEvaluations, listMonitors, updateMonitor } from './service';
import type { Clock } from '#server/webhooks/delivery.ts';
import { systemClock } from '#server/webhooks/delivery.ts';
import { mergeMonitorPatch, monitorInputSchema, monitorPatchSchema } from '#lib/contracts/monitors.ts';

const evaluationId = z.coerce.number().int().positive();
const monitorId = z.string().uuid();

/** /api/monitors: definitions, on-demand evaluation (its progress, its cancel), evaluations over time, and a notebook on one. */
export function monitorRoutes(deps: MonitorDeps & { clock?: Clock }): Hono {
	const { store } = deps;
	const clock = deps.clock ?? systemClock;
	return new Hono()
		.get('/', async (c) => c.json({ monitors: await listMonitors(store, c.req.query('model') || undefined) }))
		.post('/', async (c) => {
			const body = await validBody(c, monitorInputSchema, 'monitor');
			return c.json({ monitor: await store.transaction((tx) => createMonitor(tx, body, clock.now())) }, 201);
		})
		.get('/:id', async (c) => c.json({ monitor: await getMonitor(store, validate(monitorId, c.req.param('id'), 'monitor id')) }))
		.patch('/:id', async (c) => {
			const body = await readBody(c, {});
			const id = validate(monitorId, c.req.param('id'), 'monitor id');
			const patch = validate(monitorPatchSchema, body, 'monitor patch');
			const monitor = await store.transaction(async (tx) => {
				const merged = validate(monitorInputSchema, mergeMonitorPatch(await getMonitor(tx, id), patch), 'monitor');
				return updateMonitor(tx, id, merged, clock.now());
			});
			return c.json({ monitor });
		})
		.delete('/:id', async (c) => {
			await store.transaction((tx) => deleteMonitor(tx, validate(monitorId, c.req.param('id'), 'monitor id')));
			return c.json({});
		})
		.post('/:id/evaluate', async (c) =>
			c.json({ evaluation: await evaluateMonitor(deps, validate(monitorId, c.req.param('id'), 'monitor id'), { at: clock.now(), trigger: 'manual' }) })
		)
		.get('/:id/progress', async (c) => {
			const monitor = await getMonitor(store, validate(monitorId, c.req.param('id'), 'monitor id'));
			return c.json({ progress: evaluationProgress(monitor.id) });
		})
		.post('/:id/evaluate/cancel', async (c) => {
			const monitor = await getMonitor(store, validate(monitorId, c.req.param('id'), 'monitor id'));
			return c.json({ progress: cancelEvaluation(monitor) });
		})
		.get('/:id/evaluations', async (c) => c.json({ evaluations: await listEvaluations(store, validate(monitorId, c.req.param('id'), 'monitor id')) }))
		.post('/:id/evaluations/:evaluation/notebook', async (c) => {
			const id = validate(monitorId, c.req.param('id'), 'monitor id');
			const number = validate(evaluationId, c.req.param('evaluation'), 'evaluation id');
			const monitor = await getMonitor(store, id);
			const evaluation = await getEvaluation(store, monitor.id, number);
			const notebook = await createNotebook(store, { source: await evaluationNotebookSource(store, monitor, evaluation) }, currentActor());
			return c.json({ notebook: { id: notebook.id, slug: notebook.slug } }, 201);
		});
}
