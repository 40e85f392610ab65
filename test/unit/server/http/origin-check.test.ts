import { describe, expect, it } from 'vitest';
import { allowedOrigins, crossSiteWriteRefusal } from '#server/http/origin-check.ts';

const request = (method: string, origin?: string) =>
	new Request('http://localhost:3000/api/2.0/mlflow/runs/create', { method, headers: origin ? { origin } : {} });

describe('crossSiteWriteRefusal', () => {
	it.each([
		['GET', 'https://evil.example', undefined],
		['POST', undefined, undefined],
		['PUT', 'http://localhost:3000', undefined],
		['POST', 'https://evil.example', 'cross-site POST from https://evil.example refused (allow it with DRIFTBOOK_CORS_ORIGINS)'],
		['DELETE', 'http://localhost:3001', 'cross-site DELETE from http://localhost:3001 refused (allow it with DRIFTBOOK_CORS_ORIGINS)']
	])('%s with Origin %s', (method, origin, refusal) => {
		expect(crossSiteWriteRefusal(request(method, origin), new Set())).toBe(refusal);
	});

	it('lets configured origins write', () => {
		const allowed = allowedOrigins(' https://team.example , http://localhost:5173');
		expect([...allowed]).toEqual(['https://team.example', 'http://localhost:5173']);
		expect(crossSiteWriteRefusal(request('POST', 'https://team.example'), allowed)).toBeUndefined();
	});
});
