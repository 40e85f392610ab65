/**
 * A layered left-to-right layout for a small lineage graph: each node's column is the longest
 * path reaching it (sources on the left), nodes in a column are ordered by the mean row of
 * their predecessors to keep edges from crossing, and edges are cubic curves between the
 * boxes' sides. Pure, so it is tested in Node.
 */

export interface GraphNode {
	id: string;
	type: string;
	label: string;
}

export interface GraphEdge {
	from: string;
	to: string;
	kind: string;
}

export interface PlacedNode<N extends GraphNode = GraphNode> {
	node: N;
	layer: number;
	x: number;
	y: number;
}

export interface PlacedEdge {
	edge: GraphEdge;
	path: string;
	labelX: number;
	labelY: number;
}

export interface GraphLayout<N extends GraphNode = GraphNode> {
	nodes: PlacedNode<N>[];
	edges: PlacedEdge[];
	width: number;
	height: number;
}

export const BOX = { width: 190, height: 46, columnGap: 90, rowGap: 22, margin: 16 };

export function layoutGraph<N extends GraphNode>(nodes: readonly N[], edges: readonly GraphEdge[]): GraphLayout<N> {
	const ids = new Set(nodes.map((n) => n.id));
	const usable = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
	const layer = new Map(nodes.map((n) => [n.id, 0]));
	// Longest path by relaxation; at most |nodes| rounds, so a cycle cannot loop forever.
	for (let round = 0; round < nodes.length; round++) {
		let changed = false;
		for (const e of usable) {
			const next = layer.get(e.from)! + 1;
			if (next > layer.get(e.to)! && next < nodes.length) {
				layer.set(e.to, next);
				changed = true;
			}
		}
		if (!changed) break;
	}
	const columns: N[][] = [];
	for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n);
	const row = new Map<string, number>();
	columns.forEach((column, c) => {
		if (c > 0) {
			const mean = (n: N) => {
				const rows = usable.filter((e) => e.to === n.id && row.has(e.from)).map((e) => row.get(e.from)!);
				return rows.length === 0 ? Infinity : rows.reduce((a, b) => a + b, 0) / rows.length;
			};
			const keyed = column.map((n, i) => ({ n, key: mean(n), i }));
			keyed.sort((a, b) => a.key - b.key || a.i - b.i);
			column.splice(0, column.length, ...keyed.map((k) => k.n));
		}
		column.forEach((n, r) => row.set(n.id, r));
	});
	const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
	const height = BOX.margin * 2 + tallest * BOX.height + (tallest - 1) * BOX.rowGap;
	const placed: PlacedNode<N>[] = [];
	const at = new Map<string, PlacedNode<N>>();
	columns.forEach((column, c) => {
		const columnHeight = column.length * BOX.height + (column.length - 1) * BOX.rowGap;
		const top = (height - columnHeight) / 2;
		column.forEach((n, r) => {
			const p = { node: n, layer: c, x: BOX.margin + c * (BOX.width + BOX.columnGap), y: top + r * (BOX.height + BOX.rowGap) };
			placed.push(p);
			at.set(n.id, p);
		});
	});
	const placedEdges = usable.map((edge) => {
		const a = at.get(edge.from)!;
		const b = at.get(edge.to)!;
		const forward = b.x > a.x;
		const x1 = forward ? a.x + BOX.width : a.x + BOX.width / 2;
		const y1 = forward ? a.y + BOX.height / 2 : a.y + BOX.height;
		const x2 = forward ? b.x : b.x + BOX.width / 2;
		const y2 = forward ? b.y + BOX.height / 2 : b.y;
		const bend = forward ? Math.max(30, (x2 - x1) / 2) : 30;
		const path = forward
			? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`
			: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
		return { edge, path, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 - 4 };
	});
	const layers = columns.length;
	return { nodes: placed, edges: placedEdges, width: BOX.margin * 2 + layers * BOX.width + (layers - 1) * BOX.columnGap, height };
}
