import { describe, expect, it } from 'vitest';
import { BOX, layoutGraph } from '#lib/components/tracking/lineage-layout.ts';

const node = (id: string, type = 'x') => ({ id, type, label: id });

describe('lineage layout', () => {
	it('puts each node one column right of its furthest predecessor', () => {
		const layout = layoutGraph(
			[node('dataset'), node('run'), node('version'), node('report'), node('alias')],
			[
				{ from: 'dataset', to: 'run', kind: 'input' },
				{ from: 'run', to: 'version', kind: 'produced' },
				{ from: 'report', to: 'version', kind: 'justifies' },
				{ from: 'version', to: 'alias', kind: 'alias' }
			]
		);
		const layer = Object.fromEntries(layout.nodes.map((p) => [p.node.id, p.layer]));
		expect(layer).toEqual({ dataset: 0, report: 0, run: 1, version: 2, alias: 3 });
		expect(layout.width).toBe(BOX.margin * 2 + 4 * BOX.width + 3 * BOX.columnGap);
		expect(layout.edges).toHaveLength(4);
		for (const e of layout.edges) expect(e.path).toMatch(/^M[\d.]+,[\d.]+ C/);
	});

	it('never overlaps boxes, and drops edges to unknown nodes', () => {
		const nodes = ['v', 'a', 'b', 'c', 'd'].map((id) => node(id));
		const layout = layoutGraph(nodes, [...['a', 'b', 'c', 'd'].map((id) => ({ from: id, to: 'v', kind: 'k' })), { from: 'ghost', to: 'v', kind: 'k' }]);
		expect(layout.edges).toHaveLength(4);
		const boxes = layout.nodes.map((p) => [p.x, p.y]);
		for (let i = 0; i < boxes.length; i++)
			for (let j = i + 1; j < boxes.length; j++) {
				const overlapX = Math.abs(boxes[i][0] - boxes[j][0]) < BOX.width;
				const overlapY = Math.abs(boxes[i][1] - boxes[j][1]) < BOX.height;
				expect(overlapX && overlapY).toBe(false);
			}
		expect(Math.max(...layout.nodes.map((p) => p.y + BOX.height))).toBeLessThanOrEqual(layout.height);
	});

	it('terminates on a cycle', () => {
		const layout = layoutGraph(
			[node('a'), node('b')],
			[
				{ from: 'a', to: 'b', kind: 'k' },
				{ from: 'b', to: 'a', kind: 'k' }
			]
		);
		expect(layout.nodes).toHaveLength(2);
	});
});
