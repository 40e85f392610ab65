/**
 * Serving's Prometheus metrics (prom-client), one registry per app: requests, latency and
 * errors per model version and route, and the values monitors report. GET /api/metrics (and
 * /metrics at the site's root) answers `registry.metrics()` in the text exposition format.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where a failed request went wrong: the caller's input, the model, or the server. */
export type ErrorKind = 'input' | 'not_found' | 'model' | 'internal';

export class ServingMetrics {
	readonly registry = new Registry();
	readonly #requests = new Counter({
		name: 'driftbook_serving_requests_total',
		help: 'Scoring requests answered, by model version, route and HTTP status (shadow scorings count with route="shadow").',
		labelNames: ['model', 'version', 'route', 'status'] as const,
		registers: [this.registry]
	});
	readonly #rows = new Counter({
		name: 'driftbook_serving_rows_total',
		help: 'Input rows scored, by model version and route.',
		labelNames: ['model', 'version', 'route'] as const,
		registers: [this.registry]
	});
	readonly #latency = new Histogram({
		name: 'driftbook_serving_request_duration_seconds',
		help: 'Time from a scoring request arriving to its answer (model run included), by model version and route.',
		labelNames: ['model', 'version', 'route'] as const,
		buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
		registers: [this.registry]
	});
	readonly #errors = new Counter({
		name: 'driftbook_serving_errors_total',
		help: 'Failed scoring requests, by model version (version="none" when none was resolved) and kind.',
		labelNames: ['model', 'version', 'kind'] as const,
		registers: [this.registry]
	});
	readonly #monitors = new Gauge({
		name: 'driftbook_monitor_value',
		help: 'The latest value a monitor computed for a model, by monitor and metric.',
		labelNames: ['model', 'monitor', 'metric'] as const,
		registers: [this.registry]
	});

	/** A version and route's series of answered requests, looked up once (prom-client hashes the labels on every call otherwise). */
	readonly #scoredSeries = new Map<string, { requests: { inc(): void }; rows: { inc(n: number): void }; latency: { observe(s: number): void } }>();

	scored(labels: { model: string; version: string; route: string }, rows: number, seconds: number): void {
		const key = `${labels.model}\0${labels.version}\0${labels.route}`;
		let series = this.#scoredSeries.get(key);
		if (!series) {
			series = { requests: this.#requests.labels({ ...labels, status: '200' }), rows: this.#rows.labels(labels), latency: this.#latency.labels(labels) };
			this.#scoredSeries.set(key, series);
		}
		series.requests.inc();
		series.rows.inc(rows);
		series.latency.observe(seconds);
	}

	failed(labels: { model: string; version: string; route: string; status: number }, kind: ErrorKind): void {
		this.#requests.inc({ ...labels, status: String(labels.status) });
		this.#errors.inc({ model: labels.model, version: labels.version, kind });
	}

	/** For monitors (another part of the server): publish a monitor's latest value. */
	monitorValue(labels: { model: string; monitor: string; metric: string }, value: number): void {
		this.#monitors.set(labels, value);
	}

	/** The exposition text and its content type. */
	async exposition(): Promise<{ body: string; contentType: string }> {
		return { body: await this.registry.metrics(), contentType: this.registry.contentType };
	}
}
