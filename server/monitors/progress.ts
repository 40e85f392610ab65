import { ApiError } from '#server/http/errors.ts';
import type { EvaluationProgress } from '#lib/contracts/monitors.ts';

/**
 * Evaluations in progress in this process, one per monitor at a time: how far each has got (the
 * page polls it) and its AbortController (the cancel route aborts it). An evaluation computes
 * first and saves last, in one transaction; it checks for a cancel between steps and stops
 * taking one once it starts saving (rollback, run, row, webhook event), so a cancelled
 * evaluation leaves nothing behind and a saved one is whole.
 */

interface Running extends EvaluationProgress {
	controller: AbortController;
}

const running = new Map<string, Running>();

/** What a cancelled evaluation throws (its evaluate request answers 409 `cancelled`). */
export class EvaluationCancelled extends ApiError {
	constructor(monitorName: string) {
		super(409, 'cancelled', `the evaluation of monitor ${monitorName} was cancelled; nothing was saved`);
		this.name = 'EvaluationCancelled';
	}
}

/** The handle an evaluation reports through. */
export interface ProgressHandle {
	signal: AbortSignal;
	/** Records how far the evaluation is (0–1) and what it is doing; throws EvaluationCancelled when cancelled. */
	step(fraction: number, stage: string): void;
	/** From here on the evaluation saves: a cancel is refused (it would come too late to undo). */
	saving(): void;
	done(): void;
}

/** Registers an evaluation of `monitor`; a 409 while another of it runs. */
export function beginEvaluation(monitor: { id: string; name: string }, trigger: 'schedule' | 'manual', at: number): ProgressHandle {
	if (running.has(monitor.id)) throw new ApiError(409, 'evaluation_running', `monitor ${monitor.name} is being evaluated already; wait for it or cancel it`);
	const entry: Running = {
		monitor_id: monitor.id,
		trigger,
		started_at: at,
		fraction: 0,
		stage: 'starting',
		cancellable: true,
		controller: new AbortController()
	};
	running.set(monitor.id, entry);
	const cancelled = () => {
		if (entry.controller.signal.aborted) throw new EvaluationCancelled(monitor.name);
	};
	return {
		signal: entry.controller.signal,
		step(fraction, stage) {
			cancelled();
			entry.fraction = Math.max(entry.fraction, Math.min(1, fraction));
			entry.stage = stage;
		},
		saving() {
			cancelled();
			entry.cancellable = false;
			entry.stage = 'saving';
		},
		done: () => void running.delete(monitor.id)
	};
}

/** The evaluation of a monitor in progress, or null. */
export function evaluationProgress(monitorId: string): EvaluationProgress | null {
	const entry = running.get(monitorId);
	if (!entry) return null;
	const { controller, ...progress } = entry;
	return { ...progress, cancelling: controller.signal.aborted };
}

/** Asks the monitor's running evaluation to stop; a 409 when none runs or it is already saving. */
export function cancelEvaluation(monitor: { id: string; name: string }): EvaluationProgress {
	const entry = running.get(monitor.id);
	if (!entry) throw new ApiError(409, 'not_running', `monitor ${monitor.name} has no evaluation running`);
	if (!entry.cancellable) throw new ApiError(409, 'saving', `the evaluation of monitor ${monitor.name} is saving its results: too late to cancel`);
	entry.controller.abort(new EvaluationCancelled(monitor.name));
	return evaluationProgress(monitor.id)!;
}
