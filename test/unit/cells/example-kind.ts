/**
 * A minimal cell kind, used only by tests: how a kind is written. A `shout` cell reads
 * `text:` (and, optionally, `times:`) and its value is the text in capitals, repeated. Everything
 * the notebook needs is in this one record; registering it (one entry in `cells/registry.ts`, or
 * `new CellKinds([...])` as the tests do) is the only other step.
 */
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { pushMetric } from '#lib/cells/core/runs.ts';
import type { SyncMetric } from '#lib/api/sync.ts';
import ValueView from '#lib/components/outputs/ValueView.svelte';

export interface ShoutValue {
	text: string;
	times: number;
}

export const shoutKind: CellKind = {
	kind: 'shout',
	inputs: () => [],
	async run(cell): Promise<ShoutValue> {
		const fields = new Fields(cell);
		const times = fields.number('times') ?? 1;
		return { text: Array(times).fill(fields.required('text').toUpperCase()).join(' '), times };
	},
	template: 'text: hello\ntimes: 2',
	nameStem: 'loud',
	outline: (cell) => `shout ${cell.name}`,
	output: output(ValueView, (value: ShoutValue) => ({ value: value.text })),
	track(value) {
		const metrics: SyncMetric[] = [];
		pushMetric(metrics, 'times', (value as ShoutValue).times);
		return { params: { text: (value as ShoutValue).text }, metrics };
	}
};
