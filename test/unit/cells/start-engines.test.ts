import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cellDefinitions, startEngines } from '#lib/cells/core/kinds.ts';
import type { CellServices } from '#lib/cells/core/types.ts';
import { CELL_KINDS } from '#lib/cells/registry.ts';
import { parseNotebook } from '#lib/notebook/format.ts';

/** Services that count how often each engine was asked for; each answers `engine`. */
function countingServices(answer: (engine: string) => Promise<never> = () => new Promise(() => {})) {
	const asked: Record<string, number> = {};
	const engine = (name: string) => () => {
		asked[name] = (asked[name] ?? 0) + 1;
		return answer(name);
	};
	const services = {
		db: engine('db'),
		stats: engine('stats'),
		loader: engine('loader'),
		inference: engine('inference'),
		trusted: () => true
	} as unknown as CellServices;
	return { services, asked };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('startEngines', () => {
	it('starts DuckDB, the loader and the stats worker for the sample notebook when it opens, once each, and no inference engine', async () => {
		const { cells } = parseNotebook(readFileSync('notebooks/churn-model-drift-review.driftbook.md', 'utf8'));
		expect(cells.some((c) => c.kind === 'model')).toBe(true);
		const { services, asked } = countingServices();
		startEngines(cells, services, CELL_KINDS);
		await settled();
		expect(asked).toEqual({ db: 1, loader: 1, stats: 1 });
	});

	it('starts only what the cells use: nothing for prose, DuckDB alone for SQL', async () => {
		const { services, asked } = countingServices();
		startEngines([{ kind: 'markdown', name: 'md1', attrs: {}, source: '# Notes' }], services, CELL_KINDS);
		await settled();
		expect(asked).toEqual({});
		startEngines([{ kind: 'sql', name: 'q', attrs: {}, source: 'SELECT 1' }], services, CELL_KINDS);
		await settled();
		expect(asked).toEqual({ db: 1 });
	});

	it('leaves a failure to start to the cell that needs the engine (no unhandled rejection)', async () => {
		const { services, asked } = countingServices((name) => Promise.reject(new Error(`${name} failed to start`)));
		startEngines([{ kind: 'drift', name: 'd', attrs: {}, source: 'reference: a\ncurrent: b' }], services, CELL_KINDS);
		await settled();
		expect(asked).toEqual({ db: 1, stats: 1 });
	});
});

describe('deferred cells', () => {
	it('the sample notebook defers its model cell, which starts the inference engine, and nothing else', () => {
		const { cells } = parseNotebook(readFileSync('notebooks/churn-model-drift-review.driftbook.md', 'utf8'));
		const { services } = countingServices();
		const deferred = cellDefinitions(cells, services, CELL_KINDS).filter((d) => d.deferred);
		expect(deferred.map((d) => d.name)).toEqual(cells.filter((c) => c.kind === 'model').map((c) => c.name));
		expect(deferred.map((d) => d.name)).toEqual(['scores']);
	});
});
