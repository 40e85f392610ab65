import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentActor } from '#server/auth/principal.ts';
import { ApiError } from '#server/http/errors.ts';
import {
	CONTENT_TYPES,
	createDataset,
	datasetFile,
	deleteDataset,
	fileStream,
	getDataset,
	listDatasets,
	maxDatasetBytes,
	tooLargeDataset,
	type DatasetView
} from './service';
import { parseRange } from '#server/http/range.ts';
import type { Store } from '#server/store/index.ts';
import { validate } from '#server/http/validate.ts';
import { DATASET_FORMATS } from '#lib/contracts/datasets.ts';
import { userContentHeaders } from '#server/http/user-content.ts';

// Names become download file names and labels: printable, no path separators or quotes.
const datasetName = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.max(200, 'must be at most 200 characters')
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	.regex(/^[^/\\"\u0000-\u001f\u007f]+$/, 'must not contain / \\ " or control characters');
const uploadQuery = z.object({ name: datasetName, format: z.enum(DATASET_FORMATS) });
const listQuery = z.object({ name: datasetName.optional() });
const datasetId = z.uuid('expected a dataset id (a uuid)');

/**
 * /datasets: upload (raw bytes), list, describe, download (ranges, ETag), delete; names under a
 * view's prefix (`predictions/<model>`) are made by that view and read the same way.
 */
export function datasetRoutes({
	store,
	artifactRoot,
	maxBytes,
	views = []
}: {
	store: Store;
	artifactRoot: string;
	maxBytes?: number;
	views?: DatasetView[];
}): Hono {
	const id = (c: Context) => validate(datasetId, c.req.param('id'), 'dataset id');
	/** A stored version, or one a view made; 404 for neither. */
	async function locate(datasetId: string) {
		try {
			const dataset = await getDataset(store, datasetId);
			return { dataset, file: datasetFile(artifactRoot, dataset) };
		} catch (error) {
			if (!(error instanceof ApiError) || error.status !== 404) throw error;
			for (const view of views) {
				const found = await view.find(datasetId);
				if (found) return found;
			}
			throw error;
		}
	}
	return new Hono()
		.post('/', async (c) => {
			const query = validate(uploadQuery, c.req.query(), 'dataset upload (query ?name=…&format=…)');
			const limit = maxBytes ?? maxDatasetBytes();
			const declared = Number(c.req.header('content-length'));
			if (Number.isFinite(declared) && declared > limit) throw tooLargeDataset(limit);
			const dataset = await createDataset(store, artifactRoot, { ...query, body: c.req.raw.body, maxBytes: limit }, currentActor());
			return c.json({ dataset }, 201);
		})
		.get('/', async (c) => {
			const raw = c.req.query('name');
			const view = raw === undefined ? undefined : views.find((v) => raw.startsWith(v.prefix));
			if (view) {
				const made = await view.describe(raw!);
				return c.json({ datasets: made ? [{ ...made.dataset, versions: 1 }] : [] });
			}
			const { name } = validate(listQuery, c.req.query(), 'dataset list query');
			return c.json({ datasets: await listDatasets(store, name) });
		})
		.get('/:id', async (c) => c.json({ dataset: (await locate(id(c))).dataset }))
		.get('/:id/content', async (c) => {
			const { dataset, file } = await locate(id(c));
			const etag = `"${dataset.sha256}"`;
			const headers: Record<string, string> = {
				'Content-Type': CONTENT_TYPES[dataset.format],
				...userContentHeaders(`${dataset.name}.${dataset.format}`),
				ETag: etag,
				'Accept-Ranges': 'bytes',
				// Content-addressed: the bytes behind an id never change.
				'Cache-Control': 'private, max-age=31536000, immutable'
			};
			const ifNoneMatch = c.req.header('if-none-match');
			if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return c.body(null, 304, headers);
			const ifRange = c.req.header('if-range');
			const range = ifRange && ifRange !== etag ? undefined : parseRange(c.req.header('range'), dataset.size_bytes);
			if (range === 'unsatisfiable') {
				return c.json(
					{ error: { code: 'range_not_satisfiable', message: `range ${c.req.header('range')} is outside the dataset's ${dataset.size_bytes} bytes` } },
					416,
					{ 'Content-Range': `bytes */${dataset.size_bytes}` }
				);
			}
			if (range) {
				headers['Content-Range'] = `bytes ${range.start}-${range.end}/${dataset.size_bytes}`;
				headers['Content-Length'] = String(range.end - range.start + 1);
				return c.body(fileStream(file, range), 206, headers);
			}
			headers['Content-Length'] = String(dataset.size_bytes);
			return c.body(fileStream(file), 200, headers);
		})
		.delete('/:id', async (c) => c.json({ deleted: await deleteDataset(store, artifactRoot, id(c)) }));
}
