import { Hono } from 'hono';
import { z } from 'zod';
import { currentActor } from '#server/auth/principal.ts';
import { validate, validBody } from '#server/http/validate.ts';
import { createNotebook } from '#server/notebooks/service.ts';
import { evaluateMonitor, type MonitorDeps } from './evaluate';
import { evaluationNotebookSource } from './notebook';
import { createMonitor, deleteMonitor, getEvaluation, getMonitor, listEvaluations, listMonitors } from './service';
import type { Clock } from '#server/webhooks/delivery.ts';
import { systemClock } from '#server/webhooks/delivery.ts';
import { monitorInputSchema } from '#lib/contracts/monitors.ts';

const evaluationId = z.coerce.number().int().positive();

/** /api/monitors: definitions, on-demand evaluation, evaluations over time, and a notebook on one. */
export function monitorRoutes(deps: MonitorDeps & { clock?: Clock }): Hono {
	const { store } = deps;
	const clock = deps.clock ?? systemClock;
	return new Hono()
		.get('/', async (c) => c.json({ monitors: await listMonitors(store, c.req.query('model') || undefined) }))
		.post('/', async (c) => {
			const body = await validBody(c, monitorInputSchema, 'monitor');
			return c.json({ monitor: await store.transaction((tx) => createMonitor(tx, body, clock.now())) }, 201);
		})
		.get('/:id', async (c) => c.json({ monitor: await getMonitor(store, c.req.param('id')) }))
		.delete('/:id', async (c) => {
			await store.transaction((tx) => deleteMonitor(tx, c.req.param('id')));
			return c.json({});
		})
		.post('/:id/evaluate', async (c) => c.json({ evaluation: await evaluateMonitor(deps, c.req.param('id'), { at: clock.now(), trigger: 'manual' }) }))
		.get('/:id/evaluations', async (c) => c.json({ evaluations: await listEvaluations(store, c.req.param('id')) }))
		.post('/:id/evaluations/:evaluation/notebook', async (c) => {
			const monitor = await getMonitor(store, c.req.param('id'));
			const evaluation = await getEvaluation(store, monitor.id, validate(evaluationId, c.req.param('evaluation'), 'evaluation id'));
			const notebook = await createNotebook(store, { source: await evaluationNotebookSource(store, monitor, evaluation) }, currentActor());
			return c.json({ notebook: { id: notebook.id, slug: notebook.slug } }, 201);
		});
}
