import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { deleteArtifacts, listArtifacts, maxArtifactBytes, normalizeArtifactPath, putArtifact, readArtifact } from './artifacts';
import { doesNotExist, invalidParameter, MlflowError } from '#server/mlflow/errors.ts';
import type { Store } from '#server/store/index.ts';
import { input, text } from '#server/mlflow/request.ts';
import { userContentHeaders } from '#server/http/user-content.ts';

const PREFIX = '/2.0/mlflow-artifacts/artifacts/';

const MIME: Record<string, string> = {
	json: 'application/json',
	txt: 'text/plain; charset=utf-8',
	yaml: 'text/yaml; charset=utf-8',
	yml: 'text/yaml; charset=utf-8',
	md: 'text/markdown; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	html: 'text/html; charset=utf-8',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	svg: 'image/svg+xml'
};

function mimeType(path: string): string {
	const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
	return (ext && MIME[ext]) || 'application/octet-stream';
}

/** The artifact path of a request: what follows …/mlflow-artifacts/artifacts/, each segment decoded. */
function artifactPath(c: Context): string {
	const pathname = new URL(c.req.url).pathname;
	const at = pathname.indexOf(PREFIX);
	const raw = at < 0 ? '' : pathname.slice(at + PREFIX.length);
	let decoded: string;
	try {
		decoded = raw
			.split('/')
			.map((segment) => decodeURIComponent(segment))
			.join('/');
	} catch {
		throw invalidParameter(`Invalid artifact path: '${raw}' is not valid percent-encoding.`);
	}
	return normalizeArtifactPath(decoded);
}

/**
 * The mlflow-artifacts proxy API (MLflow's `--serve-artifacts`), under /2.0/mlflow-artifacts:
 * PUT a file's raw bytes, GET them back, GET a directory listing, DELETE.
 */
export function artifactRoutes({ store, artifactRoot }: { store: Store; artifactRoot: string }): Hono {
	const app = new Hono();

	app.get('/artifacts', async (c) => {
		const { path } = await input(c, z.object({ path: text.optional() }));
		const files = await listArtifacts(store, normalizeArtifactPath(path ?? '', { allowRoot: true }));
		// An empty or missing directory is {} (MLflow 3 register_model lists before it looks elsewhere).
		return c.json(files.length > 0 ? { files } : {});
	});
	app.put('/artifacts/*', async (c) => {
		const path = artifactPath(c);
		const limit = maxArtifactBytes();
		const declared = Number(c.req.header('content-length'));
		if (Number.isFinite(declared) && declared > limit) {
			throw new MlflowError(
				'INVALID_PARAMETER_VALUE',
				`Artifact '${path}' is ${declared} bytes, larger than the limit of ${limit} bytes (DRIFTBOOK_MAX_ARTIFACT_BYTES).`,
				413
			);
		}
		await putArtifact(store, artifactRoot, path, c.req.raw.body, limit);
		return c.json({});
	});
	app.get('/artifacts/*', async (c) => {
		const path = artifactPath(c);
		const file = await readArtifact(store, artifactRoot, path);
		if (!file) throw doesNotExist(`Artifact '${path}' does not exist.`);
		return c.body(file.stream, 200, {
			'Content-Type': mimeType(path),
			'Content-Length': String(file.size),
			...userContentHeaders(path.slice(path.lastIndexOf('/') + 1))
		});
	});
	app.delete('/artifacts/*', async (c) => {
		const path = artifactPath(c);
		const removed = await store.transaction((tx) => deleteArtifacts(tx, path));
		if (removed === 0) throw doesNotExist(`Artifact '${path}' does not exist.`);
		return c.json({});
	});
	return app;
}
