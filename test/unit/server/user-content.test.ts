import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type MlflowHarness } from './mlflow/helpers';
import { targets } from './targets';

const SCRIPT_PAGE = '<html><script>fetch("/api/notebooks").then((r) => r.text()).then(alert)</script></html>';

/** Uploaded bytes are served so that a browser never runs them as the app (issue 17 #9). */
describe('user content (artifacts, datasets) is served as attachments in a sandbox', () => {
	let h: MlflowHarness;
	beforeAll(async () => {
		h = await openHarness(targets[0]);
	});
	afterAll(async () => {
		await h?.close();
	});

	const expectInert = (res: Response, fileName: string) => {
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${fileName.replace('.', '\\.')}"`));
		expect(res.headers.get('content-security-policy')).toMatch(/^sandbox(;|$)/);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	};

	it.each(['page.html', 'image.svg', 'notes.txt'])('artifact %s', async (fileName) => {
		const path = `0/run1/artifacts/${fileName}`;
		const put = await h.app.request(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body: SCRIPT_PAGE });
		expect(put.status).toBe(200);
		const res = await h.app.request(`/api/2.0/mlflow-artifacts/artifacts/${path}`);
		expectInert(res, fileName);
		expect(await res.text()).toBe(SCRIPT_PAGE);
	});

	it('dataset content', async () => {
		const up = await h.app.request('/api/datasets?name=page&format=csv', { method: 'POST', body: `a\n${SCRIPT_PAGE}\n` });
		expect(up.status).toBe(201);
		const { dataset } = await up.json();
		expectInert(await h.app.request(`/api/datasets/${dataset.id}/content`), 'page.csv');
	});
});
