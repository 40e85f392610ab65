/**
 * The browser side of cbpe-pca.bench.ts: a dedicated worker that fetches the benchmark's files
 * from its own origin, then runs the library (CBPE, PCA data reconstruction) on them as the app's
 * stats worker would, timing each run with the data already in memory. Bundled by esbuild.
 */
import { cbpe, DEFAULT_CBPE_METRICS, type CbpeResult } from '#lib/stats/performance/index.ts';
import { reconstructionDrift, type ReconstructionResult } from '#lib/stats/multivariate/index.ts';

export interface WorkerRequest {
	repeat: number;
}

export interface WorkerReply {
	cbpe_ms: number[];
	pca_ms: number[];
	cbpe: CbpeResult;
	pca: ReconstructionResult;
}

interface Meta {
	rows: { reference: number; analysis: number };
	features: string[];
}

async function f64(name: string): Promise<Float64Array> {
	const response = await fetch(`/data/${name}.f64`);
	if (!response.ok) throw new Error(`/data/${name}.f64: HTTP ${response.status}`);
	return new Float64Array(await response.arrayBuffer());
}

async function load(prefix: 'ref' | 'ana', rows: number, features: string[]) {
	const columns = await f64(`${prefix}_features`);
	return {
		features: Object.fromEntries(features.map((name, k) => [name, columns.subarray(k * rows, (k + 1) * rows)])),
		predictions: { yPredProba: await f64(`${prefix}_proba`), yPred: await f64(`${prefix}_pred`), yTrue: await f64(`${prefix}_true`) }
	};
}

function timed<T>(work: () => T, repeat: number): { ms: number[]; result: T } {
	const ms: number[] = [];
	let result!: T;
	for (let r = 0; r < repeat; r++) {
		const t = performance.now();
		result = work();
		ms.push(performance.now() - t);
	}
	return { ms, result };
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
	try {
		const meta = (await (await fetch('/data/meta.json')).json()) as Meta;
		const reference = await load('ref', meta.rows.reference, meta.features);
		const analysis = await load('ana', meta.rows.analysis, meta.features);
		const performanceRuns = timed(() => cbpe(reference.predictions, analysis.predictions, { metrics: DEFAULT_CBPE_METRICS }), event.data.repeat);
		const multivariateRuns = timed(() => reconstructionDrift(reference.features, analysis.features, { features: meta.features }), event.data.repeat);
		const reply: WorkerReply = { cbpe_ms: performanceRuns.ms, pca_ms: multivariateRuns.ms, cbpe: performanceRuns.result, pca: multivariateRuns.result };
		self.postMessage(reply);
	} catch (error) {
		self.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
	}
};
