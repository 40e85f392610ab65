import { describe, expect, it } from 'vitest';
import { Supervisor, WorkerCrashError, type Instance } from '#lib/workers/supervisor.ts';

/** An instance whose death the test controls, like a worker's `error` event. */
function instance(id: number, log: string[]) {
	let die!: (error: Error) => void;
	const crashed = new Promise<never>((_, reject) => (die = reject));
	crashed.catch(() => {});
	const made: Instance<number> = { value: id, crashed, terminate: () => log.push(`terminate ${id}`) };
	return { made, die };
}

describe('Supervisor', () => {
	it('starts once, and after a crash fails pending work, terminates, and starts afresh', async () => {
		const log: string[] = [];
		const started: ReturnType<typeof instance>[] = [];
		const crashes: string[] = [];
		const supervisor = new Supervisor(
			'statistics',
			async () => {
				const next = instance(started.length + 1, log);
				started.push(next);
				return next.made;
			},
			{ consequence: 'run the cell again', onCrash: (e) => crashes.push(e.message) }
		);

		const first = await supervisor.get();
		expect((await supervisor.get()).value).toBe(1);
		expect(started).toHaveLength(1);

		started[0].die(new Error('statistics worker failed to start or crashed: Out of memory'));
		await expect(first.crashed).rejects.toThrow(new WorkerCrashError('statistics', 'Out of memory', 'run the cell again'));
		await expect(first.crashed).rejects.toThrow('statistics worker crashed (Out of memory) and was restarted; run the cell again');
		expect(crashes).toHaveLength(1);
		expect(log).toEqual(['terminate 1']);
		expect(supervisor.restarts).toBe(1);

		expect((await supervisor.get()).value).toBe(2);
		// A bare error event (no message) is most often memory.
		started[1].die(new Error('statistics worker failed to start or crashed'));
		await new Promise((r) => setTimeout(r, 0));
		expect(crashes[1]).toContain('statistics worker crashed (out of memory?)');
	});

	it('does not cache a failed start', async () => {
		let attempts = 0;
		const supervisor = new Supervisor(
			'DuckDB',
			async () => {
				attempts++;
				if (attempts === 1) throw new Error('wasm failed to load');
				return instance(attempts, []).made;
			},
			{ consequence: 'run the cell again' }
		);
		await expect(supervisor.get()).rejects.toThrow('wasm failed to load');
		expect((await supervisor.get()).value).toBe(2);
	});

	it('runs call hooks as calls start until they are done', async () => {
		const supervisor = new Supervisor('inference', async () => instance(1, []).made, { consequence: '' });
		await supervisor.get();
		const seen: string[] = [];
		let calls = 0;
		supervisor.onCall(() => {
			seen.push('hook');
			return ++calls === 2;
		});
		await supervisor.call(async () => seen.push('first'));
		await supervisor.call(async () => seen.push('second'));
		await supervisor.call(async () => seen.push('third'));
		expect(seen).toEqual(['hook', 'first', 'hook', 'second', 'third']);
	});
});
