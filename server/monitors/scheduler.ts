import { evaluateMonitor, type MonitorDeps } from './evaluate';
import type { Clock } from '#server/webhooks/delivery.ts';
import { systemClock } from '#server/webhooks/delivery.ts';

/**
 * Scheduled evaluations: a monitor with a schedule is due when its next_run_at has passed by the
 * clock. Each due monitor is claimed (its next run moved one interval on) before it is evaluated,
 * so two loops never evaluate it twice; a failed evaluation is logged and waits for its next turn.
 */

/** Evaluates every monitor due at `at`; returns the ids evaluated (failed ones too). */
export async function runDueMonitors(deps: MonitorDeps, at: number): Promise<string[]> {
	const claimed = await deps.store.query<{ id: string }>(
		`UPDATE monitors SET next_run_at = $1 + schedule_ms WHERE schedule_ms IS NOT NULL AND next_run_at <= $1 RETURNING id`,
		[at]
	);
	for (const { id } of claimed) {
		try {
			await evaluateMonitor(deps, id, { at, trigger: 'schedule' });
		} catch (error) {
			console.error(`[monitors] scheduled evaluation of ${id} failed: ${(error as Error).message}`);
		}
	}
	return claimed.map((m) => m.id);
}

/** Checks for due monitors every `intervalMs` until stopped (the server's scheduler). */
export function startMonitorScheduler(deps: MonitorDeps & { clock?: Clock }, intervalMs = 30_000): { stop(): void } {
	const clock = deps.clock ?? systemClock;
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		runDueMonitors(deps, clock.now())
			.catch((error: Error) => console.error(`[monitors] scheduling failed: ${error.message}`))
			.finally(() => (running = false));
	}, intervalMs);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}
